import type { Core } from '@strapi/strapi';
import { createAuditEventRepository, type AuditEventRow, type NewAuditEvent } from '../../repositories/audit-event-repository';
import type { PaginationQuery as Pagination } from '../../../../shared/contracts/common';
import type { Actor } from '../../utils/actor';
import { paginate } from '../../utils/pagination';

export type AuditOutcome = NewAuditEvent['outcome'];

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  actor: Actor;
  subjectUserId?: string;
  channelKey?: string;
  details?: Record<string, unknown>;
}

/** Purchases, refunds, pauses and resumes (part of what was sold), erasures (proof of a GDPR request met) and members exports (who took customers' data): never dropped. */
const MUST_RECORD = new Set(['authorize', 'revoke', 'pause', 'resume', 'erase', 'export-members', 'export-personal-data']);
const ADMIN_USER_UID = 'admin::user';
const API_TOKEN_UID = 'admin::api-token';

/** Names by id, read in one query per kind; an id that no longer exists has none. */
const namesOf = async (strapi: Core.Strapi, uid: string, ids: string[], fields: string[], name: (row: Record<string, unknown>) => string | null) => {
  const numeric = [...new Set(ids)].map(Number).filter(Number.isSafeInteger);
  if (!numeric.length) return new Map<string, string>();
  const rows = (await strapi.db.query(uid as never).findMany({ select: ['id', ...fields], where: { id: { $in: numeric } } })) as Record<string, unknown>[];
  return new Map(rows.flatMap((row) => {
    const value = name(row);
    return value ? [[String(row.id), value] as const] : [];
  }));
};

const adminName = (row: Record<string, unknown>) => {
  const full = [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part.trim()).join(' ').trim();
  return full || (typeof row.username === 'string' && row.username.trim() ? row.username.trim() : null);
};

/** Delays before the second and third attempt of a money action's audit write. */
const RETRY_DELAYS_MS = [100, 500];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The driver's error code only: its message can quote the row's values (SQLite inlines them). */
const reasonOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'DATABASE_ERROR';
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const events = createAuditEventRepository(strapi);

  const insert = (entry: AuditEntry) =>
    events.insert({
      action: entry.action,
      outcome: entry.outcome,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorToken: entry.actor.token ?? null,
      subjectUserId: entry.subjectUserId,
      channelKey: entry.channelKey,
      details: entry.details ?? {},
    });

  /** A must-record row (money actions, erasures): retried, then an error-level log and a throw, so the caller fails loudly. */
  const insertMoneyAction = async (entry: AuditEntry) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await insert(entry);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt - 1];
        if (delay === undefined) {
          const reason = reasonOf(error);
          strapi.log.error(`[osteocom] audit event of a money action not recorded: action ${entry.action}, outcome ${entry.outcome}, ${attempt} attempts, reason ${reason}`);
          throw new Error(`The audit event of this ${entry.action} (${entry.outcome}) could not be recorded after ${attempt} attempts (${reason}).`);
        }
        strapi.log.warn(`[osteocom] audit write failed; retrying: action ${entry.action}, attempt ${attempt}, in ${delay} ms`);
        await sleep(delay);
      }
    }
  };

  /** Who acted, by name: an admin's first and last name, an API token's name; null for the system or an id no longer known. */
  const actorNames = async (rows: AuditEventRow[]) => {
    const idsOf = (type: string) => rows.filter((row) => row.actorType === type && row.actorId).map((row) => row.actorId!);
    const [admins, tokens] = await Promise.all([
      namesOf(strapi, ADMIN_USER_UID, idsOf('admin'), ['firstname', 'lastname', 'username'], adminName),
      namesOf(strapi, API_TOKEN_UID, idsOf('api-token'), ['name'], (row) => (typeof row.name === 'string' && row.name ? row.name : null)),
    ]);
    return (row: Pick<AuditEventRow, 'actorType' | 'actorId'>) => {
      if (!row.actorId) return null;
      if (row.actorType === 'admin') return admins.get(row.actorId) ?? null;
      if (row.actorType === 'api-token') return tokens.get(row.actorId) ?? null;
      return null;
    };
  };

  return {
    /**
     * Authorize, revoke and erase rows are retried and then throw (never silently dropped); other rows
     * (sync, settings) never throw, so a failed audit write does not undo what already happened.
     */
    async record(entry: AuditEntry) {
      if (MUST_RECORD.has(entry.action)) {
        await insertMoneyAction(entry);
        return;
      }
      try {
        await insert(entry);
      } catch (error) {
        strapi.log.error(`[osteocom] audit event not recorded: action ${entry.action}, reason ${reasonOf(error)}`);
      }
    },

    /**
     * A page of the activity log: consecutive automatic retries of one entitlement as one row with
     * their count and first time (the repository groups them), each actor with its name.
     */
    async list({ userId, ...pagination }: Pagination & { userId?: string }) {
      const { groups, total } = await events.groupedPage(userId, pagination);
      const byId = new Map((await events.byIds(groups.flatMap((group) => [group.firstId, group.lastId]))).map((row) => [row.id, row]));
      const rows = groups.flatMap((group) => {
        const last = byId.get(group.lastId);
        return last ? [{ last, count: group.count, firstAt: (byId.get(group.firstId) ?? last).createdAt }] : [];
      });
      const names = await actorNames(rows.map((row) => row.last));
      const results = rows.map(({ last, count, firstAt }) => {
        const { documentId: _documentId, updatedAt: _updatedAt, ...event } = last;
        return { ...event, count, firstAt, actorName: names(event) };
      });
      return { results, pagination: paginate(pagination, total) };
    },
  };
};
