import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { ReportChannel } from '../../../../shared/contracts/reports';
import { createAccessEventRepository, type AccessEventKind, type ChannelFigures } from '../../repositories/access-event-repository';
import { createAccessTallyRepository } from '../../repositories/access-tally-repository';

export type Ranked = Omit<ReportChannel, 'title'>;

/** Periods whose ranking a server keeps: the Reports tab's few presets and what an owner just looked at. */
const RANKINGS_KEPT = 32;

/** Not localeCompare: every server orders ties alike, whatever its locale (pages may come from two). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byRank = (a: Ranked, b: Ranked) =>
  b.revenue - a.revenue || b.activeEntitlements - a.activeEntitlements || byCodePoint(a.idChannel, b.idChannel);

const ofKind = (rows: ChannelFigures[], kind: AccessEventKind, key: 'count' | 'amount') =>
  rows.reduce((sum, row) => (row.kind === kind ? sum + row[key] : sum), 0);

/** Each channel's figures, ranked; channels with none of them left out. */
const rank = (events: ChannelFigures[], activeAtEnd: (idChannel: string) => number, channels: Iterable<string>): Ranked[] => {
  const eventsOf = new Map<string, ChannelFigures[]>();
  for (const row of events) {
    if (!eventsOf.has(row.channelKey)) eventsOf.set(row.channelKey, []);
    eventsOf.get(row.channelKey)!.push(row);
  }
  return [...new Set([...eventsOf.keys(), ...channels])]
    .map((idChannel) => {
      const rows = eventsOf.get(idChannel) ?? [];
      return {
        idChannel,
        purchases: ofKind(rows, 'purchase', 'count'),
        refunds: ofKind(rows, 'refund', 'count'),
        revenue: ofKind(rows, 'purchase', 'amount'),
        activeEntitlements: activeAtEnd(idChannel),
      };
    })
    .filter((row) => row.purchases || row.refunds || row.activeEntitlements)
    .sort(byRank);
};

/**
 * The channels of a report's period, ranked by revenue, then accesses active at the end, then id.
 *
 * Ranking reads the period's events grouped by channel and every channel's active count: work that
 * grows with the site's sales. It depends only on the ledger's events dated before the period's
 * end, and the ledger is append-only, so a ranking is kept per period with the count of those
 * events it was read with (one indexed sum over the day tallies) and served again while that count
 * is unchanged: the Reports tab's two requests and an owner's repeat views rank once, and any event
 * before the end, written by any server, makes the next request rank afresh.
 */
export const createChannelRanking = (strapi: Core.Strapi) => {
  const ledger = createAccessEventRepository(strapi);
  const tallies = createAccessTallyRepository(strapi);
  const kept = new LRUCache<string, { stamp: number; ranked: Ranked[] }>({ max: RANKINGS_KEPT });

  /**
   * Ranks `[start, end)` from one snapshot, with its stamp: on PostgreSQL a repeatable-read
   * transaction (read committed would let a sale commit between the active counts and the changes
   * since the end), on MySQL its default, on SQLite any transaction.
   */
  const rankAfresh = (start: number, end: number) =>
    strapi.db.connection.transaction(
      async (trx: Knex.Transaction) => {
        const stamp = await tallies.eventsBefore(end, trx);
        const events = await ledger.byChannel(start, end, trx);
        const activeNow = await tallies.activeByChannel(trx);
        const sinceEnd = await ledger.deltasSince(end, trx);
        const activeAtEnd = (idChannel: string) => (activeNow.get(idChannel) ?? 0) - (sinceEnd.get(idChannel) ?? 0);
        return { stamp, ranked: rank(events, activeAtEnd, [...activeNow.keys(), ...sinceEnd.keys()]) };
      },
      strapi.db.dialect.client === 'postgres' ? { isolationLevel: 'repeatable read' } : undefined
    );

  return {
    async ranked(start: number, end: number): Promise<Ranked[]> {
      const key = `${start}:${end}`;
      const cached = kept.get(key);
      if (cached && cached.stamp === (await tallies.eventsBefore(end))) return cached.ranked;
      const fresh = await rankAfresh(start, end);
      kept.set(key, fresh);
      return fresh.ranked;
    },
  };
};
