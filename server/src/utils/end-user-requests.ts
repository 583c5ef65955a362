import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { OsteocomError } from '../errors';
import { videoTokenBodySchema } from '../../../shared/contracts/video-token';
import { isApiToken } from './actor';
import { endUserId } from './end-user';
import { getService } from './get-service';

/**
 * The end-user requests shared by the REST routes and the GraphQL operations, so both apply the
 * same rules in the same order: validation, the customer id from the signed-in user (an API token
 * names it), the local entitlement check before Osteocom. The per-caller rate limit runs before,
 * as the route's middleware and the mutation's resolver middleware (middlewares/rate-limit.ts).
 */
export const requestVideoToken = async (strapi: Core.Strapi, ctx: Context, input: unknown) => {
  ctx.set('Cache-Control', 'no-store');
  const body = videoTokenBodySchema.parse(input ?? {});
  const userId = isApiToken(ctx) ? body.userId : endUserId(strapi, ctx);
  if (!userId) throw new OsteocomError('VALIDATION_ERROR', 'userId is required when calling with an API token.');
  return getService(strapi, 'video-token').issue({ userId, videoId: body.videoId });
};

export const requestMe = async (strapi: Core.Strapi, ctx: Context) => {
  ctx.set('Cache-Control', 'no-store');
  const userId = endUserId(strapi, ctx);
  if (!userId) throw new OsteocomError('FORBIDDEN', 'This route is for signed-in end users.');
  return { userId, entitlements: await getService(strapi, 'customers').entitlementsWithTitles(userId) };
};
