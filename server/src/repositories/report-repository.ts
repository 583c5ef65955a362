import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableOf } from '../utils/db';
import { ENTITLEMENT_UID } from './entitlement-repository';

/** A count and a sum of prices, per bucket (index into the period's buckets) and channel. */
export interface BucketFigures {
  bucket: number;
  channelKey: string;
  count: number;
  amount: number;
  /** Of `count`, the rows that had been active (a refund of a purchase never confirmed ends no access). */
  ended: number;
}

export interface ChannelCount {
  channelKey: string;
  count: number;
}

/**
 * The sales report's aggregates, computed by the database: every query is a range on an indexed
 * epoch-ms column (`authorized_at`, `revoked_at`, `access_until`) grouped in SQL, so only the
 * figures reach Node. Buckets are given as their epoch-ms starts and found with a CASE over plain
 * number comparisons: the same SQL on SQLite, PostgreSQL and MySQL.
 *
 * An entitlement is active at instant t when it was confirmed before t and neither revoked nor
 * ended by t: `authorized_at < t AND (revoked_at IS NULL OR revoked_at >= t) AND (access_until IS NULL OR access_until >= t)`.
 * A paused access is not active from `paused_at` on (`paused_at` is cleared by a resume, so a
 * resumed access counts as active through its pause). A scheduled one has no `authorized_at` until it starts.
 * A refund is a revocation before the access ended (`revoked_at < access_until` or no end); a
 * revocation at or after the end is the expiry's.
 */
export const createReportRepository = (strapi: Core.Strapi) => {
  const table = tableOf(strapi, ENTITLEMENT_UID);
  const col = table.column;
  const knex = () => strapi.db.connection;
  const from = () => knex()(table.name);

  /** The index of the bucket `column` falls in; the caller's WHERE keeps it within the period. */
  const bucketOf = (column: string, buckets: number[]) => {
    if (buckets.length === 1) return knex().raw('0 AS ??', ['bucket']);
    const cases = buckets.slice(1).map((_, index) => `WHEN ?? < ? THEN ${index}`);
    const bindings = buckets.slice(1).flatMap((start) => [column, start]);
    return knex().raw(`CASE ${cases.join(' ')} ELSE ${buckets.length - 1} END AS ??`, [
      ...bindings,
      'bucket',
    ]);
  };

  const activeAt = (query: Knex.QueryBuilder, at: number) =>
    query
      .where(col('authorizedAt'), '<', at)
      .where((q) => q.whereNull(col('revokedAt')).orWhere(col('revokedAt'), '>=', at))
      .where((q) => q.whereNull(col('accessUntil')).orWhere(col('accessUntil'), '>=', at))
      .where((q) => q.whereNull(col('pausedAt')).orWhere(col('pausedAt'), '>=', at));

  const grouped = async (
    column: string,
    buckets: number[],
    end: number,
    narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder
  ): Promise<BucketFigures[]> => {
    const rows = await narrow(
      from()
        .select(
          bucketOf(column, buckets),
          knex().raw('?? AS ??', [col('channelKey'), 'channelKey']),
          knex().raw('COUNT(*) AS ??', ['count']),
          knex().raw('SUM(COALESCE(??, 0)) AS ??', [col('price'), 'amount']),
          // Ended an access only if it was active then: confirmed, and not paused before.
          knex().raw('SUM(CASE WHEN ?? IS NULL THEN 0 WHEN ?? IS NOT NULL AND ?? < ?? THEN 0 ELSE 1 END) AS ??', [
            col('authorizedAt'),
            col('pausedAt'),
            col('pausedAt'),
            column,
            'ended',
          ])
        )
        .where(column, '>=', buckets[0])
        .where(column, '<', end)
    ).groupByRaw('1, 2');
    return (rows as Record<string, unknown>[]).map((row) => ({
      bucket: Number(row.bucket),
      channelKey: String(row.channelKey),
      count: Number(row.count),
      amount: Number(row.amount ?? 0),
      ended: Number(row.ended ?? 0),
    }));
  };

  return {
    /** Entitlements confirmed active in the period (each purchase's price), by bucket and channel. */
    purchases: (buckets: number[], end: number) =>
      grouped(col('authorizedAt'), buckets, end, (query) => query),

    /** Entitlements revoked in the period before their access ended, by bucket and channel. */
    refunds: (buckets: number[], end: number) =>
      grouped(col('revokedAt'), buckets, end, (query) =>
        query.where((q) =>
          q
            .whereNull(col('accessUntil'))
            .orWhere(col('revokedAt'), '<', knex().ref(col('accessUntil')))
        )
      ),

    /** Accesses that reached their end in the period while not revoked before it, by bucket and channel. */
    expiries: (buckets: number[], end: number) =>
      grouped(col('accessUntil'), buckets, end, (query) =>
        query
          .whereNotNull(col('authorizedAt'))
          .where((q) =>
            q
              .whereNull(col('revokedAt'))
              .orWhere(col('revokedAt'), '>=', knex().ref(col('accessUntil')))
          )
      ),

    /** Accesses paused in the period while still running (not refunded or ended before), by bucket and channel. */
    pauses: (buckets: number[], end: number) =>
      grouped(col('pausedAt'), buckets, end, (query) =>
        query
          .where((q) => q.whereNull(col('revokedAt')).orWhere(col('revokedAt'), '>=', knex().ref(col('pausedAt'))))
          .where((q) => q.whereNull(col('accessUntil')).orWhere(col('accessUntil'), '>=', knex().ref(col('pausedAt'))))
      ),

    /** Entitlements active at `at`, by channel. */
    activeByChannel: async (at: number): Promise<ChannelCount[]> =>
      (
        (await activeAt(
          from().select(
            knex().raw('?? AS ??', [col('channelKey'), 'channelKey']),
            knex().raw('COUNT(*) AS ??', ['count'])
          ),
          at
        ).groupBy(col('channelKey'))) as Record<string, unknown>[]
      ).map((row) => ({
        channelKey: String(row.channelKey),
        count: Number(row.count),
      })),

    /** Customers with an entitlement active at `at`. */
    activeCustomers: async (at: number) =>
      Number(
        (
          (await activeAt(
            from().select(knex().raw('COUNT(DISTINCT ??) AS ??', [col('customerKey'), 'count'])),
            at
          )) as { count: unknown }[]
        )[0].count
      ),
  };
};
