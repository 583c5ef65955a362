/** The catalog sync: start one now, list the runs. */
import { z } from 'zod';
import { BAD_REQUEST, adminReply, dateTime, pagedReply, paginationQuerySchema, type RouteContract } from './common';

export const syncCountsSchema = z.object({ created: z.int(), updated: z.int(), unchanged: z.int(), removed: z.int(), restored: z.int() });
export type SyncCounts = z.infer<typeof syncCountsSchema>;

export const syncTriggerSchema = z.enum(['cron', 'manual', 'startup']);
export type SyncTrigger = z.infer<typeof syncTriggerSchema>;
export const syncStatusSchema = z.enum(['running', 'succeeded', 'failed', 'refused']);
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncRunSchema = syncCountsSchema.partial().extend({
  id: z.int(),
  trigger: syncTriggerSchema,
  status: syncStatusSchema,
  startedAt: dateTime,
  finishedAt: dateTime.nullable().optional(),
  durationMs: z.int().nullable().optional(),
  error: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  stats: z.object({ channels: syncCountsSchema.optional(), videos: syncCountsSchema.optional() }).nullable().optional(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;

/** `POST /osteocom/sync?wait`: 202 started, or 200 with the finished run when `wait=true`. */
export const startSync = {
  query: z.object({ wait: z.enum(['true', 'false']).optional() }).strip(),
  reply: adminReply(syncRunSchema.nullable()),
  errors: { ...BAD_REQUEST, 409: ['SYNC_ALREADY_RUNNING', 'SUSPECT_CATALOG'], 502: ['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_REJECTED', 'UPSTREAM_INVALID_RESPONSE'], 503: ['UPSTREAM_UNAVAILABLE', 'NOT_CONFIGURED'] },
} satisfies RouteContract;

/** `GET /osteocom/sync-runs` */
export const findSyncRuns = {
  query: paginationQuerySchema,
  reply: pagedReply(syncRunSchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;
