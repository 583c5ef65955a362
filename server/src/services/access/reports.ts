import type { Core } from '@strapi/strapi';
import type { PaginationQuery } from '../../../../shared/contracts/common';
import { REPORT_TOP_CHANNELS, type Report, type ReportChannel, type ReportChannelsQuery, type ReportQuery } from '../../../../shared/contracts/reports';
import { createAccessEventRepository } from '../../repositories/access-event-repository';
import { createAccessTallyRepository, type DayFigures } from '../../repositories/access-tally-repository';
import { createChannelRepository } from '../../repositories/channel-repository';
import { ENTITLEMENT_UID } from '../../repositories/entitlement-repository';
import { tableOf } from '../../utils/db';
import { getService } from '../../utils/get-service';
import { createChannelRanking, type Ranked } from './channel-ranking';
import { periodOf, reportPeriod } from './report-period';

type Summed = 'purchases' | 'refunds' | 'revenue' | 'refundedAmount' | 'delta';
const total = (days: DayFigures[], key: Summed) => days.reduce((sum, day) => sum + day[key], 0);

/** The page of a ranked list a query asks for. */
const pageOf = <Row>(rows: readonly Row[], { page, pageSize }: PaginationQuery) => ({
  rows: rows.slice((page - 1) * pageSize, page * pageSize),
  pagination: { page, pageSize, total: rows.length, pageCount: Math.ceil(rows.length / pageSize) },
});

/**
 * The owner's sales report: purchases, refunds and active access over a period, by bucket and by
 * channel, counted from the append-only ledger of access events (access-event-repository.ts), not
 * from the entitlement rows a re-purchase rewrites, and from its tallies kept with it
 * (access-tally-repository.ts). The series and totals read the period's days (a row a day) and
 * the active counts at its start and end from the sum of the days before: a site's age in days,
 * not its history of sales. The channels are ranked by channel-ranking.ts (kept while the ledger
 * before the period's end is unchanged). The report names its top channels; all of them are read
 * a page at a time (`channels`), titles for that page only.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const ledger = createAccessEventRepository(strapi);
  const tallies = createAccessTallyRepository(strapi);
  const ranking = createChannelRanking(strapi);

  const titled = async (rows: Ranked[]): Promise<ReportChannel[]> => {
    if (!rows.length) return [];
    const titles = await channels.titles(rows.map((row) => row.idChannel));
    return rows.map((row) => ({ ...row, title: titles.get(row.idChannel) ?? null }));
  };

  return {
    /** Fills an empty ledger from the entitlements (a site upgraded to the ledger); bootstrap. */
    async backfillLedger() {
      if (!(await ledger.isEmpty())) return 0;
      try {
        const written = await ledger.backfill(tableOf(strapi, ENTITLEMENT_UID));
        if (written) strapi.log.info(`[osteocom] report ledger filled from the existing entitlements: ${written} events`);
        return written;
      } catch (error) {
        // Another server filled it at the same time (the keys are unique): its events stand.
        if (!(await ledger.isEmpty())) return 0;
        throw error;
      }
    },

    /** Fills empty tallies from the ledger (a site upgraded to them, or one just filled above); bootstrap. */
    async backfillTallies() {
      if (!(await tallies.isEmpty()) || (await ledger.isEmpty())) return 0;
      try {
        const { days, counts } = await tallies.rebuild();
        strapi.log.info(`[osteocom] report tallies filled from the ledger: ${days} days, ${counts} active counts of channels and customers`);
        return days;
      } catch (error) {
        // Another server filled them at the same time (the keys are unique): its rows stand.
        if (!(await tallies.isEmpty())) return 0;
        throw error;
      }
    },

    async report(query: ReportQuery): Promise<Report> {
      const { start, end, buckets } = reportPeriod(query);
      const [days, activeAt, ranked, settings] = await Promise.all([
        tallies.days(start, end),
        tallies.activeAt(start, end),
        ranking.ranked(start, end),
        getService(strapi, 'settings').get(),
      ]);

      // Days are in order, as are the buckets: each bucket takes the days before the next one's start.
      let active = activeAt.entitlements;
      let next = 0;
      const series = buckets.map((bucketStart, bucket) => {
        const bucketEnd = buckets[bucket + 1] ?? end;
        const inBucket: DayFigures[] = [];
        while (next < days.length && days[next].day < bucketEnd) inBucket.push(days[next++]);
        active += total(inBucket, 'delta');
        return {
          start: new Date(bucketStart).toISOString(),
          purchases: total(inBucket, 'purchases'),
          refunds: total(inBucket, 'refunds'),
          revenue: total(inBucket, 'revenue'),
          activeEntitlements: active,
        };
      });

      return {
        currency: settings.values.currency,
        totals: {
          purchases: total(days, 'purchases'),
          refunds: total(days, 'refunds'),
          revenue: total(days, 'revenue'),
          refundedAmount: total(days, 'refundedAmount'),
          activeCustomers: activeAt.customers,
          activeEntitlements: active,
        },
        series,
        channels: await titled(ranked.slice(0, REPORT_TOP_CHANNELS)),
        channelCount: ranked.length,
      };
    },

    /** Every channel of a report, a page at a time, in the report's order. */
    async channels(query: ReportChannelsQuery) {
      const { start, end } = periodOf(query);
      const { rows, pagination } = pageOf(await ranking.ranked(start, end), query);
      return { data: await titled(rows), meta: { pagination } };
    },
  };
};
