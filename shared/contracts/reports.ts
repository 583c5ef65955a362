/** The owner's sales report (`GET /osteocom/reports`): purchases, refunds and active access over a period. */
import { z } from 'zod';
import { adminReply, dateTime, pagedReply, paginationQuerySchema, type RouteContract } from './common';

export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
/** The most buckets a report answers: a year by day, ten years by month. */
export const MAX_REPORT_BUCKETS = 400;
/** The channels a report names (its top channels chart); all of them are pages of `GET /osteocom/reports/channels`. */
export const REPORT_TOP_CHANNELS = 10;

const day = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });
/** A period of whole UTC days, `from` to `to` both included (INVALID_PERIOD when `from` is after `to`). */
const periodQuery = { from: day, to: day };

/**
 * The period is whole UTC days, `from` to `to` both included; buckets start on `from` (day), on the
 * Monday of its week (week, ISO 8601) or on the 1st of its month (month), and the first and last
 * are clipped to the period. `from` after `to` is refused with INVALID_PERIOD, more than
 * MAX_REPORT_BUCKETS buckets with TOO_MANY_BUCKETS.
 */
export const reportQuerySchema = z
  .object({
    ...periodQuery,
    interval: z.enum(REPORT_INTERVALS).default('day'),
  })
  .strip();
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const count = z.int().min(0);
/** In the smallest unit of the currency, as prices are stored. */
const amount = z.int().min(0);

const figures = {
  purchases: count.describe(
    'Entitlements that became active in the period (a renewal of an active one is no purchase).'
  ),
  refunds: count.describe(
    'Entitlements revoked in the period before their access ended (an expiry is no refund).'
  ),
  revenue: amount.describe("The purchases' prices."),
};
const activeEntitlements = count.describe(
  'Entitlements active at the end of the period (or bucket).'
);

/** A channel's figures in a period; channels rank by revenue, then active accesses at the end, then id. */
export const reportChannelSchema = z.object({
  idChannel: z.string(),
  title: z.string().nullable(),
  ...figures,
  activeEntitlements,
});
export type ReportChannel = z.infer<typeof reportChannelSchema>;

export const reportSchema = z.object({
  currency: z.string().describe('The ISO 4217 code of the amounts (setting `currency`).'),
  totals: z.object({
    ...figures,
    refundedAmount: amount.describe("The refunds' prices."),
    activeCustomers: count.describe(
      'Customers with at least one active entitlement at the end of the period.'
    ),
    activeEntitlements,
  }),
  series: z.array(z.object({ start: dateTime, ...figures, activeEntitlements })),
  channels: z
    .array(reportChannelSchema)
    .max(REPORT_TOP_CHANNELS)
    .describe('The top channels (by revenue, then active accesses), at most REPORT_TOP_CHANNELS.'),
  channelCount: count.describe(
    'Channels with a purchase, a refund or an active access in the period: the pages of GET /osteocom/reports/channels.'
  ),
});
export type Report = z.infer<typeof reportSchema>;

/** `GET /osteocom/reports?from=&to=&interval=` (admin) */
export const getReport = {
  query: reportQuerySchema,
  reply: adminReply(reportSchema),
  errors: { 400: ['VALIDATION_ERROR', 'INVALID_PERIOD', 'TOO_MANY_BUCKETS'] },
} satisfies RouteContract;

export const reportChannelsQuerySchema = z.object({ ...periodQuery, ...paginationQuerySchema.shape }).strip();
export type ReportChannelsQuery = z.infer<typeof reportChannelsQuerySchema>;

/** `GET /osteocom/reports/channels?from=&to=&page=&pageSize=` (admin): every channel of a report, a page at a time, in the report's order. */
export const getReportChannels = {
  query: reportChannelsQuerySchema,
  reply: pagedReply(reportChannelSchema),
  errors: { 400: ['VALIDATION_ERROR', 'INVALID_PERIOD'] },
} satisfies RouteContract;
