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
  /** The currency of every stored price (setting `currency`): each admin page shows prices in it. */
  currency: z.string(),
});
export const getOverview = { reply: adminReply(overviewSchema), errors: {} } satisfies RouteContract;
export type Overview = z.infer<typeof getOverview.reply>['data'];
