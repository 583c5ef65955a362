/** `GET /osteocom/overview`: the admin's home page. */
import { z } from 'zod';
import { adminReply, dateTime, type RouteContract } from './common';
import { environmentSchema } from './settings';
import { syncRunSchema } from './sync';

export const overviewSchema = z.object({
  environment: environmentSchema,
  configured: z.boolean(),
  syncEnabled: z.boolean(),
  lastRun: syncRunSchema.nullable(),
  nextSyncAt: dateTime.nullable(),
});
export const getOverview = { reply: adminReply(overviewSchema), errors: {} } satisfies RouteContract;
export type Overview = z.infer<typeof getOverview.reply>['data'];
