import type { Core } from '@strapi/strapi';
import type { AuditEvent } from '../../../shared/contracts/audit-events';
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

/** A stored event: what the admin's list shows (the contract's fields, stored absences as null) and Strapi's own columns. */
export type AuditEventRow = AuditEvent & { documentId: string; updatedAt: string };

/** Rows read per page when walking all of a customer's events: bounded memory, whatever their history. */
const PAGE = 500;

/** The audit trail: written once per event, never changed but for an erasure of personal data. */
export const createAuditEventRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(AUDIT_EVENT_UID);

  return {
    insert: (event: NewAuditEvent) => query().create({ data: event }),

    /** Every event about a customer, oldest first, a page at a time (keyset over the id). */
    async *allAbout(userId: string): AsyncGenerator<AuditEventRow[]> {
      for (let after = 0; ; ) {
        const rows = (await query().findMany({ where: { subjectUserId: userId, id: { $gt: after } }, orderBy: { id: 'asc' }, limit: PAGE })) as AuditEventRow[];
        if (rows.length) yield rows;
        if (rows.length < PAGE) return;
        after = rows.at(-1)!.id;
      }
    },

    /** The one change an event ever gets: personal values taken out of its details (an erasure). */
    setDetails: (id: number, details: Record<string, unknown>) => query().update({ where: { id }, data: { details } }),

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
