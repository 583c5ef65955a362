/**
 * Rules and shapes every contract uses. A contract file (one per controller area) holds, per
 * route, the zod schemas of its request (params, query, body), its reply and its error codes:
 * the server validates with them, the admin validates its forms with them, TypeScript types are
 * their `z.infer`, and openapi.json is generated from them. Nothing here imports server or admin code.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';

/** Control characters (NUL, escapes, line breaks) are refused in free text: PostgreSQL rejects NUL, SQLite's LIKE stops at it. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters';

export const plainText = (max: number) => z.string().trim().max(max).regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE);

/** Osteocom ids are opaque strings: allow the characters they use, nothing that looks like markup. */
export const upstreamIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may contain only letters, digits, and _ . : -');

/** A site's stable customer id: any printable text, as the reference allows, but bounded. */
export const userIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(191)
  .regex(/^[^\p{Cc}]+$/u, CONTROL_CHARACTERS_MESSAGE);

/** Query strings arrive as strings; bounds keep a hostile page size from loading the table. */
export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type PaginationQuery = z.infer<typeof paginationQuerySchema>;

/** `"true"`/`"false"` in a query string. */
export const booleanQuery = z.enum(['true', 'false'], { message: 'must be "true" or "false"' });

export const searchQuery = plainText(200).optional();

/** Dates travel as ISO 8601 strings in JSON. */
export const dateTime = z.iso.datetime({ offset: true });

export const paginationSchema = z.object({ page: z.int(), pageSize: z.int(), total: z.int(), pageCount: z.int() });
export type Pagination = z.infer<typeof paginationSchema>;

/** Strapi's reply envelope. */
export const dataReply = <Data extends z.ZodType>(data: Data) => z.object({ data, meta: z.object({}).strict() });
export const pagedReply = <Item extends z.ZodType>(item: Item) => z.object({ data: z.array(item), meta: z.object({ pagination: paginationSchema }) });
/** Admin replies: `{ data }`, sometimes with a meta of their own. */
export const adminReply = <Data extends z.ZodType>(data: Data) => z.object({ data });

/** The stable codes (`details.code`) a route answers with, by HTTP status. */
export type RouteErrors = Partial<Record<number, readonly ErrorCode[]>>;

/** One route: what it accepts, what it answers, which codes it may fail with. */
export interface RouteContract {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  reply: z.ZodType;
  errors: RouteErrors;
}

/** What a route answers, as a client reads it: the clients' types come from here, never declared again. */
export type ReplyOf<Contract extends RouteContract> = z.infer<Contract['reply']>;
/** The `data` of a route's reply. */
export type DataOf<Contract extends RouteContract> = ReplyOf<Contract> extends { data: infer Data } ? Data : never;
/** What a client may send as a route's body (before the server's defaults and transforms). */
export type BodyOf<Contract extends RouteContract & { body: z.ZodType }> = z.input<Contract['body']>;
/** What a client may send as a route's query string. */
export type QueryOf<Contract extends RouteContract & { query: z.ZodType }> = z.input<Contract['query']>;

/** Every route validates its input. */
export const BAD_REQUEST = { 400: ['VALIDATION_ERROR'] } as const satisfies RouteErrors;
