import type { Core } from '@strapi/strapi';
import type { Actor } from '../utils/actor';
import { pageWindow, paginate } from '../utils/pagination';

const UID = 'plugin::osteocom.audit-event';

export type AuditOutcome = 'success' | 'pending' | 'failure';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  actor: Actor;
  subjectUserId?: string;
  channelKey?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  userId?: string;
  action?: string;
}

/** Purchases and refunds: their audit row is part of what was sold, so it is never dropped. */
const MONEY_ACTIONS = new Set(['authorize', 'revoke']);
/** Delays before the second and third attempt of a money action's audit write. */
const RETRY_DELAYS_MS = [100, 500];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The driver's error code only: its message can quote the row's values (SQLite inlines them). */
const reasonOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'DATABASE_ERROR';
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const insert = (entry: AuditEntry) =>
    strapi.db.query(UID).create({
      data: {
        action: entry.action,
        outcome: entry.outcome,
        actorType: entry.actor.type,
        actorId: entry.actor.id,
        actorToken: entry.actor.token ?? null,
        subjectUserId: entry.subjectUserId,
        channelKey: entry.channelKey,
        details: entry.details ?? {},
      },
    });

  /** A money action's row: retried, then an error-level log and a throw, so the caller fails loudly. */
  const insertMoneyAction = async (entry: AuditEntry) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await insert(entry);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt - 1];
        if (delay === undefined) {
          const reason = reasonOf(error);
          strapi.log.error('[osteocom] audit event of a money action not recorded', { action: entry.action, outcome: entry.outcome, attempts: attempt, reason });
          throw new Error(`The audit event of this ${entry.action} (${entry.outcome}) could not be recorded after ${attempt} attempts (${reason}).`);
        }
        strapi.log.warn('[osteocom] audit write failed; retrying', { action: entry.action, attempt, delayMs: delay });
        await sleep(delay);
      }
    }
  };

  return {
    /**
     * Authorize and revoke rows are retried and then throw (never silently dropped); other rows
     * (sync, settings) never throw, so a failed audit write does not undo what already happened.
     */
    async record(entry: AuditEntry) {
      if (MONEY_ACTIONS.has(entry.action)) {
        await insertMoneyAction(entry);
        return;
      }
      try {
        await insert(entry);
      } catch (error) {
        strapi.log.error('[osteocom] audit event not recorded', { action: entry.action, reason: reasonOf(error) });
      }
    },

    async list({ page, pageSize, userId, action }: AuditQuery) {
      const where = { ...(userId ? { subjectUserId: userId } : {}), ...(action ? { action } : {}) };
      const [results, total] = await Promise.all([
        strapi.db.query(UID).findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...pageWindow({ page, pageSize }),
        }),
        strapi.db.query(UID).count({ where }),
      ]);
      return { results, pagination: paginate({ page, pageSize }, total) };
    },
  };
};
