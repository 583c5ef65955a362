import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import type { ActorType } from '../utils/actor';
import { pageWindow } from '../utils/pagination';

export const AUDIT_EVENT_UID = 'plugin::osteocom.audit-event';

export interface NewAuditEvent {
  action: string;
  outcome: 'success' | 'pending' | 'failure';
  actorType: ActorType;
  actorId?: string;
  actorToken: { id: string; name: string } | null;
  subjectUserId?: string;
  channelKey?: string;
  details: Record<string, unknown>;
}

type AuditEventRow = NewAuditEvent & { id: number; documentId: string; createdAt: string; updatedAt: string };

/** The audit trail: written once per event, never changed. */
export const createAuditEventRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(AUDIT_EVENT_UID);

  return {
    insert: (event: NewAuditEvent) => query().create({ data: event }),

    /** A page of events, newest first; with `userId`, only those about that customer. */
    async page(userId: string | undefined, pagination: Pagination) {
      const where = userId ? { subjectUserId: userId } : {};
      const [rows, total] = await Promise.all([
        query().findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...pageWindow(pagination) }),
        query().count({ where }),
      ]);
      return { rows: rows as AuditEventRow[], total };
    },
  };
};
