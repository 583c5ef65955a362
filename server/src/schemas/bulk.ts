/**
 * Bulk purchases and refunds (`/authorizations/bulk`, `/revocations/bulk`): one row per product
 * and customer, the columns of the admin's CSV import. Each row is checked with the single
 * routes' own schemas (schemas/access.ts), so a row is refused exactly as a single call would be.
 */
import { z } from 'zod';
import { authorizeBodySchema, authorizeProductSchema, revokeBodySchema, type AuthorizeBody } from './access';

export const MAX_BULK_ROWS = 1_000;

/** One purchase: the customer's fields of an authorization and one of its products, flat. */
export const bulkAuthorizeRowSchema = authorizeBodySchema.omit({ products: true }).extend(authorizeProductSchema.shape).strict();

/** One refund: the body of a single revocation. */
export const bulkRevokeRowSchema = revokeBodySchema;

/** The columns of a row, in the CSV's order. */
export const BULK_AUTHORIZE_COLUMNS = ['userId', 'email', 'name', 'surname', 'marketingConsent', 'productId', 'price', 'accessUntil'] as const;

const rowsOf = <T extends z.ZodType>(row: T) => z.object({ rows: z.array(row).min(1, 'must list at least one row').max(MAX_BULK_ROWS) }).strict();

/** The documented requests. */
export const bulkAuthorizeRequestSchema = rowsOf(bulkAuthorizeRowSchema);
export const bulkRevokeRequestSchema = rowsOf(bulkRevokeRowSchema);

/**
 * What the routes parse first: the envelope only. Rows are checked one by one, so that a bad row
 * is refused alone instead of failing the whole file; the row count is checked on its own
 * (`TOO_MANY_ROWS`) before any row is looked at.
 */
export const bulkEnvelopeSchema = z.object({ rows: z.array(z.unknown()).min(1, 'must list at least one row') }).strict();

const refusal = { code: z.string().optional(), message: z.string().optional() };

export const bulkAuthorizeResultSchema = z.object({
  /** The row's index in `rows`. */
  row: z.number().int().min(0),
  userId: z.string().optional(),
  productId: z.string().optional(),
  outcome: z.enum(['active', 'pending', 'refused']),
  ...refusal,
});

export const bulkRevokeResultSchema = z.object({
  row: z.number().int().min(0),
  userId: z.string().optional(),
  channelId: z.string().optional(),
  outcome: z.enum(['revoked', 'pending', 'refused']),
  ...refusal,
});

export const bulkAuthorizeReplySchema = z.object({ data: z.object({ results: z.array(bulkAuthorizeResultSchema) }), meta: z.object({}) });
export const bulkRevokeReplySchema = z.object({ data: z.object({ results: z.array(bulkRevokeResultSchema) }), meta: z.object({}) });

export type BulkAuthorizeRow = z.infer<typeof bulkAuthorizeRowSchema>;
export type BulkAuthorizeRowInput = z.input<typeof bulkAuthorizeRowSchema>;
export type BulkAuthorizeResult = z.infer<typeof bulkAuthorizeResultSchema>;
export type BulkRevokeResult = z.infer<typeof bulkRevokeResultSchema>;

/** A row as the single authorization it stands for. */
export const toAuthorizeBody = ({ productId, price, accessUntil, ...customer }: BulkAuthorizeRow): AuthorizeBody => ({
  ...customer,
  products: [{ productId, price, accessUntil }],
});
