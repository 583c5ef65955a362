import type { Core } from '@strapi/strapi';
import type { AuditEvent } from '../../../shared/contracts/audit-events';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import type { ActorType } from '../utils/actor';
import { tableOf } from '../utils/db';
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

/** One row of the grouped activity log: the ids of its first and last event and how many it stands for. */
export interface AuditGroup {
  firstId: number;
  lastId: number;
  count: number;
}

/** Who writes the automatic retries: the outbox, as the system actor. */
export const RETRY_ACTOR = { type: 'system', id: 'outbox' } as const;
/** The actions whose automatic retries are grouped (an outbox answer still pending). */
const RETRIED_ACTIONS = ['authorize', 'revoke'];

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

    /**
     * A page of the activity log, newest first, with consecutive automatic retries of the same
     * entitlement (the outbox's `pending` answers to the same action, with no other event about that
     * customer and channel between them) as one row. Grouped by the database (window functions, on
     * SQLite, PostgreSQL and MySQL alike), so the pages and the total count rows as they are shown.
     */
    async groupedPage(userId: string | undefined, pagination: Pagination): Promise<{ groups: AuditGroup[]; total: number }> {
      const knex = strapi.db.connection;
      const table = tableOf(strapi, AUDIT_EVENT_UID);
      const col = table.column;
      const retry = `CASE WHEN ?? = ? AND ?? = ? AND ?? = ? AND ?? IN (${RETRIED_ACTIONS.map(() => '?').join(', ')}) THEN 1 ELSE 0 END`;
      const marked = knex(table.name)
        .select(
          knex.raw('?? AS ??', ['id', 'id']),
          knex.raw('?? AS ??', [col('subjectUserId'), 's']),
          knex.raw('?? AS ??', [col('channelKey'), 'c']),
          knex.raw('?? AS ??', [col('action'), 'a']),
          knex.raw(`${retry} AS ??`, [col('actorType'), RETRY_ACTOR.type, col('actorId'), RETRY_ACTOR.id, col('outcome'), 'pending', col('action'), ...RETRIED_ACTIONS, 'r'])
        )
        .modify((builder) => {
          if (userId) builder.where(col('subjectUserId'), userId);
        });
      const previous = (column: string) => `LAG(${column}) OVER (PARTITION BY s, c ORDER BY id)`;
      // A row starts a new group unless it is a retry right after a retry of the same action.
      const flagged = knex
        .select('id', 's', 'c', knex.raw(`CASE WHEN r = 1 AND ${previous('r')} = 1 AND ${previous('a')} = a THEN 0 ELSE 1 END AS starts`))
        .from('marked');
      const islands = knex.select('id', 's', 'c', 'starts', knex.raw('SUM(starts) OVER (PARTITION BY s, c ORDER BY id ROWS UNBOUNDED PRECEDING) AS g')).from('flagged');
      const base = () => knex.queryBuilder().with('marked', marked).with('flagged', flagged).with('islands', islands);
      const { offset, limit } = pageWindow(pagination);
      const [rows, counted] = await Promise.all([
        base()
          .select(knex.raw('MIN(id) AS first_id'), knex.raw('MAX(id) AS last_id'), knex.raw('COUNT(*) AS n'))
          .from('islands')
          .groupBy('s', 'c', 'g')
          .orderBy('last_id', 'desc')
          .limit(limit)
          .offset(offset),
        base().count({ total: '*' }).from('islands').where('starts', 1),
      ]);
      const groups = (rows as { first_id: unknown; last_id: unknown; n: unknown }[]).map((row) => ({ firstId: Number(row.first_id), lastId: Number(row.last_id), count: Number(row.n) }));
      return { groups, total: Number((counted as { total?: unknown }[])[0]?.total ?? 0) };
    },

    /** Events by id (the first and last of each group of the activity log). */
    byIds: async (ids: number[]) => (ids.length ? ((await query().findMany({ where: { id: { $in: ids } } })) as AuditEventRow[]) : []),

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
