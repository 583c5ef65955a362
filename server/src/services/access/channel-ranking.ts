import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { ReportChannel } from '../../../../shared/contracts/reports';
import { createAccessEventRepository, type ChannelFigures } from '../../repositories/access-event-repository';
import { createAccessTallyRepository, dayOf } from '../../repositories/access-tally-repository';

export type Ranked = Readonly<Omit<ReportChannel, 'title'>>;
type Figures = Omit<ReportChannel, 'idChannel' | 'title'>;
/** Channels' figures over part of a period: `activeEntitlements` is a count for the earlier part, a change for the later. */
type Part = Map<string, Figures>;

/** Periods whose ranking a server keeps: the Reports tab's few presets and what an owner just looked at. */
const RANKINGS_KEPT = 32;
/**
 * How long a kept ranking may serve at most: bounds what the stamp cannot see (events written by a
 * server still on a version without the count during a rolling upgrade, rows changed by hand).
 */
const KEPT_FOR_MS = 10 * 60_000;

/** Not localeCompare: every server orders ties alike, whatever its locale (pages may come from two). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byRank = (a: Ranked, b: Ranked) =>
  b.revenue - a.revenue || b.activeEntitlements - a.activeEntitlements || byCodePoint(a.idChannel, b.idChannel);

const ZERO: Figures = { purchases: 0, refunds: 0, revenue: 0, activeEntitlements: 0 };

const add = (part: Part, idChannel: string, figures: Partial<Figures>) => {
  const sum = { ...(part.get(idChannel) ?? ZERO) };
  for (const key of Object.keys(figures) as (keyof Figures)[]) sum[key] += figures[key] ?? 0;
  part.set(idChannel, sum);
};

/** Events grouped by channel and kind, summed by channel; `delta` counted in `activeEntitlements` when asked. */
const partOf = (events: ChannelFigures[], { withDelta }: { withDelta: boolean }): Part => {
  const part: Part = new Map();
  for (const row of events)
    add(part, row.channelKey, {
      purchases: row.kind === 'purchase' ? row.count : 0,
      refunds: row.kind === 'refund' ? row.count : 0,
      revenue: row.kind === 'purchase' ? row.amount : 0,
      activeEntitlements: withDelta ? row.delta : 0,
    });
  return part;
};

/** The two parts summed, ranked; channels with none of the figures left out. */
const rank = (earlier: Part, later: Part): readonly Ranked[] => {
  const sum: Part = new Map(earlier);
  for (const [idChannel, figures] of later) add(sum, idChannel, figures);
  return [...sum]
    .map(([idChannel, figures]) => ({ idChannel, ...figures }))
    .filter((row) => row.purchases || row.refunds || row.activeEntitlements)
    .sort(byRank)
    .map((row) => Object.freeze(row));
};

interface Kept {
  /** Events dated before the split, and before the end, when read. */
  stamps: { split: number; end: number };
  earlier: Part;
  /** Shared by every request served from it: frozen. */
  ranked: readonly Ranked[];
}

/**
 * The channels of a report's period, ranked by revenue, then accesses active at the end, then id.
 *
 * The period is read in two parts split at today's midnight (UTC); the ledger is append-only. The
 * earlier part (the period's events before the split grouped by channel, and every channel's
 * accesses active at the split), which depends only on the events dated before the split, is the work that
 * grows with a site's sales; it is kept per period with the count of events dated before the
 * split and used again while that count is unchanged. The later part is today's events. A
 * ranking is kept with the count before the end as well and served again while that is unchanged
 * too: the Reports tab's two requests and an owner's repeat views rank once, a sale today re-reads
 * today only, and an event dated earlier (an expiry recorded late), written by any server, makes
 * the next request read the whole period again.
 */
export const createChannelRanking = (strapi: Core.Strapi) => {
  const ledger = createAccessEventRepository(strapi);
  const tallies = createAccessTallyRepository(strapi);
  const kept = new LRUCache<string, Kept>({ max: RANKINGS_KEPT, ttl: KEPT_FOR_MS });
  /** Reads under way by key: a request arriving meanwhile (the tab sends two at once) waits for it. */
  const reading = new Map<string, Promise<Kept>>();

  /** `[start, split)`'s figures and each channel's accesses active at `split` (those active now less the changes since). */
  const earlierPart = async (start: number, split: number, trx: Knex.Transaction): Promise<Part> => {
    const part = partOf(start < split ? await ledger.byChannel(start, split, trx) : [], { withDelta: false });
    for (const [idChannel, active] of await tallies.activeByChannel(trx)) add(part, idChannel, { activeEntitlements: active });
    for (const [idChannel, delta] of await ledger.deltasSince(split, trx)) add(part, idChannel, { activeEntitlements: -delta });
    return part;
  };

  /**
   * Reads what the kept ranking lacks from one snapshot, with its stamps: a repeatable-read
   * transaction on PostgreSQL and MySQL (read committed, PostgreSQL's default and a common MySQL
   * setting, would let a sale commit between two reads), any transaction on SQLite.
   */
  const rankAfresh = (start: number, split: number, end: number, before: Kept | undefined) =>
    strapi.db.connection.transaction(
      async (trx: Knex.Transaction): Promise<Kept> => {
        const stamps = await tallies.eventsBefore(split, end, trx);
        const earlier = before?.stamps.split === stamps.split ? before.earlier : await earlierPart(start, split, trx);
        const later = partOf(split < end ? await ledger.byChannel(split, end, trx) : [], { withDelta: true });
        return { stamps, earlier, ranked: rank(earlier, later) };
      },
      strapi.db.dialect.client === 'sqlite' ? undefined : { isolationLevel: 'repeatable read' }
    );

  return {
    async ranked(start: number, end: number): Promise<readonly Ranked[]> {
      const split = Math.min(Math.max(dayOf(Date.now()), start), end);
      const key = `${start}:${end}:${split}`;
      const known = await (reading.get(key) ?? Promise.resolve(kept.get(key))).catch(() => undefined);
      // Read after this request began: a ranking with the same count holds every event before the end that it must.
      if (known && known.stamps.end === (await tallies.eventsBefore(split, end)).end) return known.ranked;
      const read = rankAfresh(start, split, end, known);
      reading.set(key, read);
      try {
        const fresh = await read;
        // Counts only grow: a read that began earlier and ended later does not replace a newer one.
        if ((kept.get(key)?.stamps.end ?? -1) <= fresh.stamps.end) kept.set(key, fresh);
        return fresh.ranked;
      } finally {
        if (reading.get(key) === read) reading.delete(key);
      }
    },
  };
};
