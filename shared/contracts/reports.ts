/** The owner's sales report (`GET /osteocom/reports`): purchases, refunds and active access over a period. */
import { z } from 'zod';
import { adminReply, dateTime, type RouteContract } from './common';

export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
/** The most buckets a report answers: a year by day, ten years by month. */
export const MAX_REPORT_BUCKETS = 400;

const day = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

/**
 * The period is whole UTC days, `from` to `to` both included; buckets start on `from` (day), on the
 * Monday of its week (week, ISO 8601) or on the 1st of its month (month), and the first and last
 * are clipped to the period. `from` after `to` is refused with INVALID_PERIOD, more than
 * MAX_REPORT_BUCKETS buckets with TOO_MANY_BUCKETS.
 */
export const reportQuerySchema = z
  .object({
    from: day,
    to: day,
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
  channels: z.array(
    z.object({
      idChannel: z.string(),
      title: z.string().nullable(),
      ...figures,
      activeEntitlements,
    })
  ),
});
export type Report = z.infer<typeof reportSchema>;

/** `GET /osteocom/reports?from=&to=&interval=` (admin) */
export const getReport = {
  query: reportQuerySchema,
  reply: adminReply(reportSchema),
  errors: { 400: ['VALIDATION_ERROR', 'INVALID_PERIOD', 'TOO_MANY_BUCKETS'] },
} satisfies RouteContract;
