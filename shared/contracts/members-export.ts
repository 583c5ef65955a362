/** The members export (`GET /osteocom/entitlements/export`): the bulk import's file, written by the server. */
import { z } from 'zod';
import { BULK_AUTHORIZE_COLUMNS } from './bulk';
import { BAD_REQUEST, type RouteContract } from './common';
import { memberFilterSchema } from './members';

/** The members export's columns: the bulk import's, then `status` (which the import reads past). */
export const EXPORT_COLUMNS = [...BULK_AUTHORIZE_COLUMNS, 'status'] as const;

/** The members export's filters: the member list's (`members.ts`), all optional, all applied together. */
export const exportEntitlementsQuerySchema = memberFilterSchema.strip();
export type ExportEntitlementsQuery = z.infer<typeof exportEntitlementsQuerySchema>;

/**
 * `GET /osteocom/entitlements/export` (admin): a `text/csv` download of the entitlements the filters
 * select, one row per customer and channel, in the columns of the bulk import (`EXPORT_COLUMNS`),
 * so the file imports back unchanged; cells that would start a formula are prefixed with '.
 * Streamed: the reply is the CSV's text, chunk by chunk.
 */
export const exportEntitlements = {
  query: exportEntitlementsQuerySchema,
  reply: z.custom<AsyncIterable<string>>().describe('text/csv'),
  errors: BAD_REQUEST,
} satisfies RouteContract;
