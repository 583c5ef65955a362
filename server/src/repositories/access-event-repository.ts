import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableOf } from '../utils/db';

export const ACCESS_EVENT_UID = 'plugin::osteocom.access-event';

export type AccessEventKind = 'purchase' | 'refund' | 'expiry' | 'paused' | 'resumed';

/**
 * One row of the report's ledger (`osteocom_access_events`): what happened to an entitlement, when,
 * at what price, and how it changed the count of active accesses (`delta`: +1 access began, −1 one
 * ended, 0 neither). Append-only: never updated nor deleted, so a refund stays a refund when the
 * same customer buys the channel again (the entitlement row itself is rewritten by the re-purchase).
 */
export interface AccessEvent {
  eventKey: string;
  customerKey: string;
  channelKey: string;
  kind: AccessEventKind;
  delta: -1 | 0 | 1;
  price: number | null;
  /** Epoch ms. */
  at: number;
}

/** What the ledger needs of an entitlement row before and after a write. */
interface Side {
  status: string;
  price?: number | null;
  accessUntil?: Date | string | null;
  /** When Osteocom confirmed the sale: a new purchase clears it, a resume keeps it (entitlement-lifecycle.ts). */
  authorizedAt?: Date | string | null;
  /** Set by a refusal of Osteocom's; a refund recorded clears it. */
  lastErrorCode?: string | null;
}

const ms = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : null);

/**
 * Statuses a purchase starts from: nothing bought, waiting for Osteocom, refused, refunded before,
 * or scheduled (a later start stays `scheduled` until Osteocom confirms it: the sale counts when access begins).
 */
const BUYABLE = new Set(['none', 'pending', 'failed', 'revoked', 'scheduled']);

/**
 * The ledger event of one entitlement write, or null when the write changes nothing the report
 * counts. `before` is the row as read (null: the write inserts it), `after` its columns as written.
 *
 * - becoming `active` from pending (or nothing, failed, revoked): a purchase at its price, +1;
 *   from any other status (paused), or from a resume's pending (authorizedAt kept), the
 *   access resumes, +1, and is no new sale;
 * - leaving `active` for `revoked`: an expiry (dated at the access's end) when the end has come,
 *   else a refund, −1; for another status (paused): −1;
 * - a `pending` purchase revoked before Osteocom confirmed it: a refund of its price, 0 (no access
 *   had begun); a refused purchase revoked as its fallback is none.
 *
 * A re-sent or extended active access, a refused purchase and a refund confirmed by Osteocom after
 * it ended access here are no events: each sale and each refund is counted once, when access began
 * or ended on this site.
 */
export const ledgerEventOf = (
  keys: { entitlementId: number | string; version: number; customerKey: string; channelKey: string },
  before: Side | null,
  after: Side,
  now = Date.now()
): AccessEvent | null => {
  const from = before?.status ?? 'none';
  const to = after.status;
  if (from === to) return null;
  const price = after.price ?? before?.price ?? null;
  const event = (kind: AccessEventKind, delta: -1 | 0 | 1, at = now): AccessEvent => ({
    eventKey: `${keys.entitlementId}:${keys.version}`,
    customerKey: keys.customerKey,
    channelKey: keys.channelKey,
    kind,
    delta,
    price,
    at,
  });
  // A resumed access is pending with the sale's authorizedAt kept: access begins again, no new sale.
  const resumed = from === 'pending' && Boolean(before?.authorizedAt);
  if (to === 'active') return BUYABLE.has(from) && !resumed ? event('purchase', 1) : event('resumed', 1);
  if (from === 'active') {
    if (to !== 'revoked') return event('paused', -1);
    const end = ms(before?.accessUntil);
    return end !== null && end <= now ? event('expiry', -1, end) : event('refund', -1);
  }
  // Revoked while pending: a refund, unless Osteocom refused the purchase and the revocation is its
  // fallback (a refund recorded earlier, already counted when it ended the access).
  if (from === 'pending' && to === 'revoked') return after.lastErrorCode ? null : event('refund', 0);
  return null;
};

/** A count and a sum of prices of one kind of event, per channel. */
export interface ChannelFigures {
  channelKey: string;
  kind: AccessEventKind;
  count: number;
  amount: number;
  /** The change in active accesses. */
  delta: number;
}

/** Rows an INSERT … SELECT wrote, as each driver reports them. */
const affected = (result: unknown): number => {
  const value = result as { rowCount?: number; changes?: number; affectedRows?: number } | [{ affectedRows?: number }];
  if (Array.isArray(value)) return Number(value[0]?.affectedRows ?? 0);
  return Number(value.rowCount ?? value.changes ?? value.affectedRows ?? 0);
};

/**
 * The ledger: written in the same transaction as the entitlement's guarded write
 * (entitlement-repository.ts) with its tallies (access-tally-repository.ts), read by the sales
 * report for its channels: a range on the indexed `at` (epoch ms) grouped in SQL, so only the
 * figures reach Node.
 */
export const createAccessEventRepository = (strapi: Core.Strapi) => {
  const table = tableOf(strapi, ACCESS_EVENT_UID);
  const col = table.column;
  const knex = () => strapi.db.connection;
  const from = () => knex()(table.name);

  const rowOf = (event: AccessEvent) => ({
    [col('eventKey')]: event.eventKey,
    [col('customerKey')]: event.customerKey,
    [col('channelKey')]: event.channelKey,
    [col('kind')]: event.kind,
    [col('delta')]: event.delta,
    [col('price')]: event.price,
    [col('at')]: event.at,
  });

  return {
    /** Appends an event inside the caller's transaction. */
    append: (trx: Knex.Transaction, event: AccessEvent) => trx(table.name).insert(rowOf(event)),

    /** Whether the ledger holds any event (an upgraded site's is filled once from its entitlements). */
    isEmpty: async () => !(await from().first(col('id'))),

    /**
     * Fills an empty ledger from the entitlements as they are (a site upgraded from a version
     * without it): a purchase at `authorized_at` for each confirmed row, and for each revoked one
     * its end at `revoked_at` (or when the revocation was recorded, not yet confirmed): an expiry
     * at `access_until` when it came at or after the end, else a refund. One statement per kind
     * in one transaction; the keys are unique (`backfill:<id>:…`), so a second server doing the
     * same at once fails on them and changes nothing. Returns the events written.
     */
    async backfill(entitlementTable: { name: string; column: (attribute: string) => string }) {
      const e = entitlementTable.column;
      const mysql = strapi.db.dialect.client === 'mysql';
      const key = (suffix: string) =>
        mysql ? `CONCAT('backfill:', ??, '${suffix}')` : `'backfill:' || ?? || '${suffix}'`;
      const columns = ['eventKey', 'customerKey', 'channelKey', 'kind', 'delta', 'price', 'at'].map(col);
      const into = `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) `;
      const ended = `COALESCE(??, ??)`;
      const isExpiry = `?? IS NOT NULL AND ?? IS NOT NULL AND ${ended} >= ??`;
      return knex().transaction(async (trx) => {
        const purchases = await trx.raw(
          `${into}SELECT ${key(':purchase')}, ??, ??, 'purchase', 1, ??, ?? FROM ?? WHERE ?? IS NOT NULL AND ?? IN ('active', 'revoked')`,
          [table.name, ...columns, e('id'), e('customerKey'), e('channelKey'), e('price'), e('authorizedAt'), entitlementTable.name, e('authorizedAt'), e('status')]
        );
        const endBindings = [e('authorizedAt'), e('accessUntil'), e('revokedAt'), e('operationAt'), e('accessUntil')];
        const ends = await trx.raw(
          `${into}SELECT ${key(':end')}, ??, ??, ` +
            `CASE WHEN ${isExpiry} THEN 'expiry' ELSE 'refund' END, ` +
            `CASE WHEN ?? IS NULL THEN 0 ELSE -1 END, ??, ` +
            `CASE WHEN ${isExpiry} THEN ?? ELSE ${ended} END ` +
            `FROM ?? WHERE ?? = 'revoked' AND ${ended} IS NOT NULL`,
          [
            table.name,
            ...columns,
            e('id'),
            e('customerKey'),
            e('channelKey'),
            ...endBindings,
            e('authorizedAt'),
            e('price'),
            ...endBindings,
            e('accessUntil'),
            e('revokedAt'),
            e('operationAt'),
            entitlementTable.name,
            e('status'),
            e('revokedAt'),
            e('operationAt'),
          ]
        );
        return affected(purchases) + affected(ends);
      });
    },

    /** Events of `[start, end)` by channel and kind: their count, the sum of their prices and of their changes in active accesses. */
    async byChannel(start: number, end: number, db: Knex = knex()): Promise<ChannelFigures[]> {
      const rows = (await db(table.name)
        .select(
          knex().raw('?? AS ??', [col('channelKey'), 'channelKey']),
          knex().raw('?? AS ??', [col('kind'), 'kind']),
          knex().raw('COUNT(*) AS ??', ['count']),
          knex().raw('SUM(COALESCE(??, 0)) AS ??', [col('price'), 'amount']),
          knex().raw('SUM(??) AS ??', [col('delta'), 'delta'])
        )
        .where(col('at'), '>=', start)
        .where(col('at'), '<', end)
        .groupByRaw('1, 2')) as Record<string, unknown>[];
      return rows.map((row) => ({
        channelKey: String(row.channelKey),
        kind: String(row.kind) as AccessEventKind,
        count: Number(row.count),
        amount: Number(row.amount ?? 0),
        delta: Number(row.delta ?? 0),
      }));
    },

    /** The change in active accesses from `at` on, by channel (channels with none left out): what separates "now" from `at`. */
    deltasSince: async (at: number, db: Knex = knex()): Promise<Map<string, number>> =>
      new Map(
        ((await db(table.name)
          .select(knex().raw('?? AS ??', [col('channelKey'), 'channelKey']), knex().raw('SUM(??) AS ??', [col('delta'), 'delta']))
          .where(col('at'), '>=', at)
          .groupBy(col('channelKey'))) as Record<string, unknown>[]).map((row) => [String(row.channelKey), Number(row.delta ?? 0)])
      ),
  };
};
