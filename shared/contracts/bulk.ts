/**
 * Bulk purchases and refunds (`/authorizations/bulk`, `/revocations/bulk`): one row per product
 * and customer, the columns of the admin's CSV import. Each row is checked with the single
 * routes' own schemas (access.ts), so a row is refused exactly as a single call would be.
 */
import { z } from 'zod';
import { STARTS_BEFORE_END, authorizeBodySchema, authorizeProductSchema, emailProblem, revokeBodySchema, startsBeforeEnd } from './access';
import { dataReply, plainText, type RouteContract } from './common';
import type { ErrorCode } from './errors';

export const MAX_BULK_ROWS = 1_000;

/**
 * How a bulk row names its channel: the channel's id, its slug, or its exact title (a title two
 * channels share is refused). The server resolves it to the id before anything is written.
 */
export const channelReferenceSchema = plainText(191).min(1, 'must name a channel (its id, slug or exact title)');

/** One purchase: the customer's fields of an authorization and one of its products, flat. */
export const bulkAuthorizeRowSchema = authorizeBodySchema
  .omit({ products: true })
  .extend(authorizeProductSchema.shape)
  .extend({ productId: channelReferenceSchema.describe("The channel's id, slug or exact title.") })
  .strict()
  .refine(startsBeforeEnd, STARTS_BEFORE_END);

/** A row refused before any lookup: the code a single call would get, and the zod issues when the shape is at fault. */
export type RowVerdict =
  | { ok: true; row: BulkAuthorizeRow }
  | { ok: false; code: 'VALIDATION_ERROR'; error: z.ZodError }
  | { ok: false; code: Extract<ErrorCode, 'INVALID_EMAIL'>; column: 'email' };

/**
 * The checks of one bulk row that need no database, in the server's order: the shape (the
 * single route's schemas), then the email's format. The server runs these first; the admin's dry
 * run runs the very same function for instant answers, then asks the server (`/validate`) for the
 * checks that need the catalog and the stored customers.
 */
export const checkBulkAuthorizeRow = (input: unknown): RowVerdict => {
  const parsed = bulkAuthorizeRowSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: 'VALIDATION_ERROR', error: parsed.error };
  if (emailProblem(parsed.data.email, false)) return { ok: false, code: 'INVALID_EMAIL', column: 'email' };
  return { ok: true, row: parsed.data };
};

/** One refund: the body of a single revocation. */
export const bulkRevokeRowSchema = revokeBodySchema;

/** The columns of a row, in the CSV's order. */
export const BULK_AUTHORIZE_COLUMNS = ['userId', 'email', 'name', 'surname', 'marketingConsent', 'productId', 'price', 'accessUntil'] as const;

const rowsOf = <T extends z.ZodType>(row: T) =>
  z
    .object({ rows: z.array(row).min(1, 'must list at least one row').max(MAX_BULK_ROWS).describe(`1–${MAX_BULK_ROWS} rows; more is refused with TOO_MANY_ROWS.`) })
    .strict();

/**
 * What the routes parse first: the envelope only. Rows are checked one by one, so that a bad row
 * is refused alone instead of failing the whole file; the row count is checked on its own
 * (`TOO_MANY_ROWS`) before any row is looked at.
 */
export const bulkEnvelopeSchema = z.object({ rows: z.array(z.unknown()).min(1, 'must list at least one row') }).strict();

const refusal = {
  code: z.string().optional().describe('When refused: the code a single call would have been refused with.'),
  message: z.string().optional(),
};

export const bulkAuthorizeResultSchema = z.object({
  row: z.number().int().min(0).describe("The row's index in `rows`."),
  userId: z.string().optional(),
  productId: z.string().optional(),
  outcome: z.enum(['active', 'pending', 'refused', 'revoked']).describe('`revoked`: a refund sent meanwhile overtook this purchase.'),
  ...refusal,
});

/** A row of the dry run: `ready` when Apply would send it (Osteocom may still refuse it then), else refused as Apply would refuse it. */
export const bulkValidateResultSchema = z.object({
  row: z.number().int().min(0).describe("The row's index in `rows`."),
  userId: z.string().optional(),
  productId: z.string().optional().describe('The channel id the row names (resolved from a slug or title), or what the row said when it names none.'),
  outcome: z.enum(['ready', 'refused']),
  ...refusal,
});

export const bulkRevokeResultSchema = z.object({
  row: z.number().int().min(0).describe("The row's index in `rows`."),
  userId: z.string().optional(),
  channelId: z.string().optional(),
  outcome: z.enum(['revoked', 'pending', 'refused']),
  ...refusal,
});

const BULK_ERRORS = { 400: ['VALIDATION_ERROR', 'TOO_MANY_ROWS'] } as const;

/** `POST /api/osteocom/authorizations/bulk`: 200 with one result per row, in order; never all-or-nothing. */
export const bulkAuthorize = {
  body: rowsOf(bulkAuthorizeRowSchema),
  reply: dataReply(z.object({ results: z.array(bulkAuthorizeResultSchema) })),
  errors: BULK_ERRORS,
} satisfies RouteContract;

/**
 * `POST /osteocom/authorizations/bulk/validate` (admin): the dry run of a bulk purchase. Every
 * check Apply makes before calling Osteocom (shape, email, channel available, email required),
 * with the same code, one result per row; nothing is written and Osteocom is not called.
 */
export const bulkValidate = {
  body: rowsOf(bulkAuthorizeRowSchema),
  reply: dataReply(z.object({ results: z.array(bulkValidateResultSchema) })),
  errors: BULK_ERRORS,
} satisfies RouteContract;

/** `POST /api/osteocom/revocations/bulk`: 200 with one result per row, in order. */
export const bulkRevoke = {
  body: rowsOf(bulkRevokeRowSchema),
  reply: dataReply(z.object({ results: z.array(bulkRevokeResultSchema) })),
  errors: BULK_ERRORS,
} satisfies RouteContract;

export type BulkAuthorizeRow = z.infer<typeof bulkAuthorizeRowSchema>;
export type BulkAuthorizeRowInput = z.input<typeof bulkAuthorizeRowSchema>;
export type BulkAuthorizeResult = z.infer<typeof bulkAuthorizeResultSchema>;
export type BulkValidateResult = z.infer<typeof bulkValidateResultSchema>;
export type BulkRevokeResult = z.infer<typeof bulkRevokeResultSchema>;


export type BulkAuthorizationRequest = z.input<typeof bulkAuthorize.body>;
export type BulkAuthorizationResponse = z.infer<typeof bulkAuthorize.reply>;
export type BulkRevocationRequest = z.input<typeof bulkRevoke.body>;
export type BulkRevocationResponse = z.infer<typeof bulkRevoke.reply>;
