/** A customer's access to a channel, and the admin's list of them (`GET /osteocom/entitlements`). */
import { z } from 'zod';
import { BAD_REQUEST, adminReply, booleanQuery, dateTime, pagedReply, paginationQuerySchema, type RouteContract } from './common';
import { REMINDER_OUTCOMES } from './reminders';

/**
 * Only `active` plays. `paused`: a subscription suspended at the shop (revoked at Osteocom until it
 * is resumed); `scheduled`: bought with a later start (`accessFrom`), nothing sent to Osteocom yet.
 */
export const entitlementStatusSchema = z.enum(['pending', 'active', 'revoked', 'failed', 'paused', 'scheduled']);
export type EntitlementStatus = z.infer<typeof entitlementStatusSchema>;

/** How an access's last expiring reminder ended (reminders.ts `REMINDER_OUTCOMES`). */
export const reminderOutcomeSchema = z.enum(REMINDER_OUTCOMES);

const accessUntil = dateTime.nullable().describe('When a time-limited access ends (null: for good).');
const accessFrom = dateTime.nullable().describe('When a scheduled access starts (null: at once).');
const pausedAt = dateTime.nullable().describe('Since when a paused access is paused (null: not paused).');

/** A customer's access to one channel, as the authorization and revocation routes report it. */
export const entitlementSchema = z.object({
  channelKey: z.string(),
  status: entitlementStatusSchema,
  price: z.int().nullable(),
  authorizedAt: dateTime.nullable(),
  revokedAt: dateTime.nullable(),
  revokeReason: z.string().nullable().optional().describe('Why access ended: `refund`, `chargeback`, `support`, `expired` (the access end passed) or free text; null: not said, or not revoked.'),
  accessUntil,
  accessFrom,
  pausedAt,
  pendingOperation: z.enum(['authorize', 'revoke']).nullable().describe('What the outbox still has to confirm with Osteocom.'),
  lastError: z.string().nullable().describe('Why the last call did not confirm it, as Osteocom said it.'),
  lastErrorCode: z.string().nullable().describe('The code of that error, e.g. `UPSTREAM_REJECTED` or `UPSTREAM_UNAVAILABLE`.'),
  attempts: z.int().nullable(),
  nextAttemptAt: dateTime.nullable(),
  needsReconciliation: z.boolean().describe('Osteocom may hold another state than this row: an editor should check and re-send.'),
  remindedFor: dateTime.nullable().describe('The access end the last expiring reminder was sent for (null: never reminded).'),
  reminderOutcome: reminderOutcomeSchema.nullable().describe('How that reminder ended: `sent` (emailed), `failed` (the email failed), `no-email` (no address), `email-off` (no email provider: the event only), `claimed` (being sent).'),
  updatedAt: dateTime,
});
export type Entitlement = z.infer<typeof entitlementSchema>;

/** What an end user sees of their own access (`GET /api/osteocom/me`). */
export const myEntitlementSchema = z.object({
  channelId: z.string(),
  channelTitle: z.string().nullable(),
  status: entitlementStatusSchema,
  authorizedAt: dateTime.nullable(),
  revokedAt: dateTime.nullable().describe("Osteocom's cancellation date once revoked."),
  accessUntil,
  accessFrom,
});
export type MyEntitlement = z.infer<typeof myEntitlementSchema>;

/** A row of the "Needs attention" list: with its customer and channel title. */
export const listedEntitlementSchema = entitlementSchema.extend({
  userId: z.string(),
  channelTitle: z.string().nullable(),
  operationAt: dateTime.nullable().describe('When the operation the row holds (or last held) was recorded.'),
});
export type ListedEntitlement = z.infer<typeof listedEntitlementSchema>;

/** The longest look-ahead of the "Expiring soon" list: a year covers the yearly subscriptions sites sell. */
export const EXPIRING_WITHIN_DAYS_MAX = 365;

export const expiringWithinDays = z.coerce
  .number({ message: 'must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1)
  .max(EXPIRING_WITHIN_DAYS_MAX)
  .describe('Only accesses that end within the next N days, soonest first.');

/** `GET /osteocom/entitlements?attention|expiringWithinDays` (admin): everything, what needs attention, or what expires soon (not both filters at once). */
export const findEntitlements = {
  query: paginationQuerySchema
    .extend({ attention: booleanQuery.optional(), expiringWithinDays: expiringWithinDays.optional() })
    .strip()
    .refine((query) => !(query.attention === 'true' && query.expiringWithinDays), {
      message: 'attention and expiringWithinDays cannot be combined',
      path: ['expiringWithinDays'],
    }),
  reply: pagedReply(listedEntitlementSchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;

/**
 * `GET /osteocom/entitlements/summary` (admin): how much the outbox holds, for a monitor or a glance.
 * `pending`: operations not yet confirmed by Osteocom; `due`: of those, the ones due for a send now;
 * `attention`: rows an editor should look at (the "Needs attention" list's total).
 */
export const entitlementSummary = {
  reply: adminReply(z.object({ pending: z.int().min(0), due: z.int().min(0), attention: z.int().min(0) })),
  errors: {},
} satisfies RouteContract;
