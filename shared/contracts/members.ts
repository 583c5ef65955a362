/**
 * The member list (`POST /osteocom/members/search`) and its bulk extension
 * (`POST /osteocom/entitlements/extensions`): one row per customer and channel, the rows the
 * members export (`members-export.ts`) writes for the same filter.
 */
import { z } from 'zod';
import { BAD_REQUEST, dataReply, dateTime, paginationSchema, searchQuery, upstreamIdSchema, type RouteContract } from './common';
import { entitlementRefSchema } from './access';
import { expiringWithinDays } from './entitlements';

/**
 * What the admin filters by. `expired`: a time-limited access whose end passed (revoked by the
 * expiry pass, or about to be); `revoked`: ended otherwise (a refund, an admin). `paused` and
 * `scheduled` are entitlement statuses of the pause/resume and scheduled-start features.
 */
export const MEMBER_STATUSES = ['active', 'pending', 'paused', 'scheduled', 'expired', 'revoked', 'failed'] as const;
export const memberStatusSchema = z.enum(MEMBER_STATUSES);
export type MemberStatus = z.infer<typeof memberStatusSchema>;

/** A calendar day, `YYYY-MM-DD` (in the site's zone, setting `syncTz`). */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const [year, month, day] = value.split('-').map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    return year >= 1970 && year <= 9999 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'must be a real calendar date');

/** The list's filters, all optional, all applied together: the same names as the members export's query. */
export const memberFilterSchema = z.object({
  channel: upstreamIdSchema.optional().describe("Only this channel (the import's `productId`)."),
  status: memberStatusSchema.optional(),
  expiringWithinDays: expiringWithinDays.optional().describe('Only active or pending accesses that end within the next N days.'),
  endsBy: calendarDateSchema.optional().describe("Only accesses that end by the end of this day in the site's zone."),
  q: searchQuery.describe('Every word must be in the customer id, email, name or surname (any case): "Luca Bianchi" finds Luca Bianchi.'),
});
export type MemberFilter = z.infer<typeof memberFilterSchema>;

export const MEMBER_SORTS = ['name', 'email', 'accessEnd', 'updatedAt'] as const;
export const memberSortSchema = z.enum(MEMBER_SORTS);
export type MemberSort = z.infer<typeof memberSortSchema>;

export const memberQuerySchema = memberFilterSchema
  .extend({
    sort: memberSortSchema.default('updatedAt').describe('`accessEnd`: accesses for good come last.'),
    order: z.enum(['asc', 'desc']).default('desc'),
    page: z.int().min(1).max(100_000).default(1),
    pageSize: z.int().min(1).max(100).default(25),
  })
  .strict();
export type MemberQuery = z.infer<typeof memberQuerySchema>;
export type MemberQueryInput = z.input<typeof memberQuerySchema>;

/** One customer's access to one channel, with who the customer is. */
export const memberSchema = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  surname: z.string().nullable(),
  channelId: z.string(),
  channelTitle: z.string().nullable(),
  status: memberStatusSchema,
  price: z.int().nullable(),
  accessUntil: dateTime.nullable(),
  revokeReason: z.string().nullable(),
  pendingOperation: z.enum(['authorize', 'revoke']).nullable(),
  updatedAt: dateTime,
});
export type Member = z.infer<typeof memberSchema>;

/** `POST /osteocom/members/search` (admin): the filters travel in the body, out of every request log (a search is often an email). */
export const searchMembers = {
  body: memberQuerySchema,
  /** `timeZone`: the site's zone (setting `syncTz`), where a picked day begins and ends. */
  reply: z.object({ data: z.array(memberSchema), meta: z.object({ pagination: paginationSchema, timeZone: z.string() }) }),
  errors: BAD_REQUEST,
} satisfies RouteContract;

/** Rows one extension request may list: a page of the member list. */
export const MAX_EXTENSION_ROWS = 100;

/**
 * How far to extend: `date` ends the access at the end of that day in the site's zone; `months`
 * or `years` add to the current end (or to today when it has passed), ending at the end of that day.
 */
export const extensionBodySchema = z
  .object({
    rows: z.array(entitlementRefSchema).min(1, 'must list at least one row').max(MAX_EXTENSION_ROWS),
    date: calendarDateSchema.optional(),
    months: z.int().min(1).max(120).optional(),
  })
  .strict()
  .refine((body) => (body.date === undefined) !== (body.months === undefined), { message: 'give either date or months', path: ['date'] });
export type ExtensionBody = z.infer<typeof extensionBodySchema>;
export type ExtensionRequest = z.input<typeof extensionBodySchema>;

export const extensionResultSchema = z.object({
  userId: z.string(),
  channelId: z.string(),
  outcome: z.enum(['active', 'pending', 'refused', 'revoked', 'unchanged']).describe('`unchanged`: the access is for good already; `revoked`: a refund sent meanwhile overtook the renewal.'),
  accessUntil: dateTime.nullable().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type ExtensionResult = z.infer<typeof extensionResultSchema>;

/**
 * `POST /osteocom/entitlements/extensions` (admin, `authorize`): extends or renews each row through
 * the authorization path (an active access gets its new end; an ended one is bought again at its
 * stored price). One result per row; `timeZone` names the zone the days were read in.
 */
export const extendEntitlements = {
  body: extensionBodySchema,
  reply: dataReply(z.object({ timeZone: z.string(), results: z.array(extensionResultSchema) })),
  errors: BAD_REQUEST,
} satisfies RouteContract;
