import { z } from 'zod';

/** Query strings arrive as strings; bounds keep a hostile page size from loading the table. */
export const paginationSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** Control characters (NUL, escapes, line breaks) are refused in free text: PostgreSQL rejects NUL, SQLite's LIKE stops at it. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

const searchText = z.string().trim().max(200).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters').optional();

export const channelListQuerySchema = paginationSchema
  .extend({ q: searchText, status: z.enum(['available', 'removed']).optional() })
  .strip();

export const syncStartQuerySchema = z.object({ wait: z.enum(['true', 'false']).optional() }).strip();

/** Osteocom ids are opaque strings: allow the characters they use, nothing that looks like markup. */
export const upstreamIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may contain only letters, digits, and _ . : -');

export const channelParamsSchema = z.object({ idChannel: upstreamIdSchema }).strip();

/** The longest look-ahead of the "Expiring soon" list: a year covers the yearly subscriptions sites sell. */
export const EXPIRING_WITHIN_DAYS_MAX = 365;

/** `GET /osteocom/entitlements?expiringWithinDays=N`: accesses that end within the next N days. */
const expiringWithinDays = z.coerce
  .number({ message: 'must be a whole number of days' })
  .int('must be a whole number of days')
  .min(1)
  .max(EXPIRING_WITHIN_DAYS_MAX);

/** `GET /osteocom/entitlements`: everything, only what needs attention, or only what expires soon (not both filters at once). */
export const entitlementListQuerySchema = paginationSchema
  .extend({ attention: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).optional(), expiringWithinDays: expiringWithinDays.optional() })
  .strip()
  .refine((query) => !(query.attention === 'true' && query.expiringWithinDays), { message: 'attention and expiringWithinDays cannot be combined', path: ['expiringWithinDays'] });

export type Pagination = z.infer<typeof paginationSchema>;
