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

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Never throws: a failed audit write must not undo what already happened upstream. */
  async record(entry: AuditEntry) {
    try {
      await strapi.db.query(UID).create({
        data: {
          action: entry.action,
          outcome: entry.outcome,
          actorType: entry.actor.type,
          actorId: entry.actor.id,
          subjectUserId: entry.subjectUserId,
          channelKey: entry.channelKey,
          details: entry.details ?? {},
        },
      });
    } catch (error) {
      strapi.log.error('[osteocom] audit event not recorded', {
        action: entry.action,
        reason: error instanceof Error ? error.message : String(error),
      });
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
});
