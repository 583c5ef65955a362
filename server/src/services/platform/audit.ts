import type { Core } from '@strapi/strapi';
import { createAuditEventRepository, type NewAuditEvent } from '../../repositories/audit-event-repository';
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
const MUST_RECORD = new Set(['authorize', 'revoke', 'pause', 'resume', 'erase', 'export-members']);
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
        strapi.log.error('[osteocom] audit event not recorded', { action: entry.action, reason: reasonOf(error) });
      }
    },

    async list({ userId, ...pagination }: Pagination & { userId?: string }) {
      const { rows, total } = await events.page(userId, pagination);
      return { results: rows, pagination: paginate(pagination, total) };
    },
  };
};
