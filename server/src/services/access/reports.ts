import type { Core } from '@strapi/strapi';
import type { Report, ReportQuery } from '../../../../shared/contracts/reports';
import { createAccessEventRepository, type AccessEventKind, type BucketFigures } from '../../repositories/access-event-repository';
import { createChannelRepository } from '../../repositories/channel-repository';
import { ENTITLEMENT_UID } from '../../repositories/entitlement-repository';
import { tableOf } from '../../utils/db';
import { getService } from '../../utils/get-service';
import { reportPeriod } from './report-period';

type Row = BucketFigures & { kind: AccessEventKind };

const sum = (rows: Row[], key: 'count' | 'amount' | 'delta', where: (row: Row) => boolean = () => true) =>
  rows.reduce((total, row) => (where(row) ? total + row[key] : total), 0);

const ofKind = (kind: AccessEventKind, and: (row: Row) => boolean = () => true) => (row: Row) => row.kind === kind && and(row);

/**
 * The owner's sales report: purchases, refunds and active access over a period, by bucket and by
 * channel, counted from the append-only ledger of access events (access-event-repository.ts), not
 * from the entitlement rows a re-purchase rewrites. The database aggregates; here the buckets are
 * laid out and the active count carried from bucket to bucket: active at a bucket's end = active
 * at its start + the deltas of its events (purchases +1, refunds and expiries of an access −1).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const ledger = createAccessEventRepository(strapi);

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

    async report(query: ReportQuery): Promise<Report> {
      const { start, end, buckets } = reportPeriod(query);
      const [events, activeAtStart, activeCustomers, settings] = await Promise.all([
        ledger.grouped(buckets, end),
        ledger.activeByChannel(start),
        ledger.activeCustomers(end),
        getService(strapi, 'settings').get(),
      ]);

      let active = activeAtStart.reduce((total, row) => total + row.count, 0);
      const series = buckets.map((bucketStart, bucket) => {
        const inBucket = (row: Row) => row.bucket === bucket;
        active += sum(events, 'delta', inBucket);
        return {
          start: new Date(bucketStart).toISOString(),
          purchases: sum(events, 'count', ofKind('purchase', inBucket)),
          refunds: sum(events, 'count', ofKind('refund', inBucket)),
          revenue: sum(events, 'amount', ofKind('purchase', inBucket)),
          activeEntitlements: active,
        };
      });

      const startOf = new Map(activeAtStart.map((row) => [row.channelKey, row.count]));
      const channelKeys = [...new Set([...events.map((row) => row.channelKey), ...startOf.keys()])].sort();
      const titles = channelKeys.length ? await channels.titles(channelKeys) : new Map<string, string | null>();
      const byChannel = channelKeys
        .map((idChannel) => {
          const inChannel = (row: Row) => row.channelKey === idChannel;
          return {
            idChannel,
            title: titles.get(idChannel) ?? null,
            purchases: sum(events, 'count', ofKind('purchase', inChannel)),
            refunds: sum(events, 'count', ofKind('refund', inChannel)),
            revenue: sum(events, 'amount', ofKind('purchase', inChannel)),
            activeEntitlements: (startOf.get(idChannel) ?? 0) + sum(events, 'delta', inChannel),
          };
        })
        .filter((row) => row.purchases || row.refunds || row.activeEntitlements)
        .sort((a, b) => b.revenue - a.revenue || b.activeEntitlements - a.activeEntitlements || a.idChannel.localeCompare(b.idChannel));

      return {
        currency: settings.values.currency,
        totals: {
          purchases: sum(events, 'count', ofKind('purchase')),
          refunds: sum(events, 'count', ofKind('refund')),
          revenue: sum(events, 'amount', ofKind('purchase')),
          refundedAmount: sum(events, 'amount', ofKind('refund')),
          activeCustomers,
          activeEntitlements: active,
        },
        series,
        channels: byChannel,
      };
    },
  };
};
