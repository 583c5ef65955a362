import type { Core } from '@strapi/strapi';
import type { Report, ReportQuery } from '../../../../shared/contracts/reports';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createReportRepository, type BucketFigures } from '../../repositories/report-repository';
import { getService } from '../../utils/get-service';
import { reportPeriod } from './report-period';

const sum = (
  rows: BucketFigures[],
  key: 'count' | 'amount' | 'ended',
  where: (row: BucketFigures) => boolean = () => true
) => rows.reduce((total, row) => (where(row) ? total + row[key] : total), 0);

/**
 * The owner's sales report: purchases, refunds and active access over a period, by bucket and by
 * channel. The database aggregates (report-repository.ts); here the buckets are laid out and the
 * active count carried from bucket to bucket: active at a bucket's end = active at its start +
 * accesses that began in it − accesses that ended in it (refunded or run out).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const reports = createReportRepository(strapi);

  return {
    async report(query: ReportQuery): Promise<Report> {
      const { start, end, buckets } = reportPeriod(query);
      const [purchases, refunds, expiries, pauses, activeAtStart, activeAtEnd, activeCustomers, settings] =
        await Promise.all([
          reports.purchases(buckets, end),
          reports.refunds(buckets, end),
          reports.expiries(buckets, end),
          reports.pauses(buckets, end),
          reports.activeByChannel(start),
          reports.activeByChannel(end),
          reports.activeCustomers(end),
          getService(strapi, 'settings').get(),
        ]);

      let active = activeAtStart.reduce((total, row) => total + row.count, 0);
      const series = buckets.map((bucketStart, bucket) => {
        const inBucket = (row: BucketFigures) => row.bucket === bucket;
        active +=
          sum(purchases, 'count', inBucket) -
          sum(refunds, 'ended', inBucket) -
          sum(expiries, 'ended', inBucket) -
          sum(pauses, 'ended', inBucket);
        return {
          start: new Date(bucketStart).toISOString(),
          purchases: sum(purchases, 'count', inBucket),
          refunds: sum(refunds, 'count', inBucket),
          revenue: sum(purchases, 'amount', inBucket),
          activeEntitlements: active,
        };
      });

      const channelKeys = [
        ...new Set(
          [...purchases, ...refunds]
            .map((row) => row.channelKey)
            .concat(activeAtEnd.map((row) => row.channelKey))
        ),
      ].sort();
      const titles = channelKeys.length
        ? await channels.titles(channelKeys)
        : new Map<string, string | null>();
      const activeOf = new Map(activeAtEnd.map((row) => [row.channelKey, row.count]));
      const byChannel = channelKeys
        .map((idChannel) => {
          const inChannel = (row: BucketFigures) => row.channelKey === idChannel;
          return {
            idChannel,
            title: titles.get(idChannel) ?? null,
            purchases: sum(purchases, 'count', inChannel),
            refunds: sum(refunds, 'count', inChannel),
            revenue: sum(purchases, 'amount', inChannel),
            activeEntitlements: activeOf.get(idChannel) ?? 0,
          };
        })
        .sort(
          (a, b) =>
            b.revenue - a.revenue ||
            b.activeEntitlements - a.activeEntitlements ||
            a.idChannel.localeCompare(b.idChannel)
        );

      return {
        currency: settings.values.currency,
        totals: {
          purchases: sum(purchases, 'count'),
          refunds: sum(refunds, 'count'),
          revenue: sum(purchases, 'amount'),
          refundedAmount: sum(refunds, 'amount'),
          activeCustomers,
          activeEntitlements: activeAtEnd.reduce((total, row) => total + row.count, 0),
        },
        series,
        channels: byChannel,
      };
    },
  };
};
