/** `GET /api/osteocom/me`: the signed-in end user's customer id and entitlements. */
import { z } from 'zod';
import { dataReply, type RouteContract } from './common';
import { myEntitlementSchema } from './entitlements';

export const getMe = {
  reply: dataReply(z.object({ userId: z.string(), entitlements: z.array(myEntitlementSchema) })),
  errors: { 403: ['FORBIDDEN'] },
} satisfies RouteContract;

/** Sent with `Cache-Control: no-store`. */
export type MeResponse = z.infer<typeof getMe.reply>;
