import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { OsteocomError } from '../errors';
import { isApiToken } from '../utils/actor';

interface RateLimitConfig {
  max: number;
  windowSeconds: number;
}

/**
 * Counters per caller, in each server's memory: each server limits its own share, which is what
 * protects its upstream quota and its database from one noisy client. One limiter per Strapi
 * instance, shared by the REST route and the GraphQL mutation.
 */
const limiters = new WeakMap<Core.Strapi, RateLimiterMemory>();

/** A limit changed at run time (tests do) starts fresh counters. */
const limiterOf = (strapi: Core.Strapi) => {
  const { max, windowSeconds } = (strapi.plugin('osteocom').config('videoToken') as { rateLimit: RateLimitConfig }).rateLimit;
  const current = limiters.get(strapi);
  if (current?.points === max && current.duration === windowSeconds) return current;
  const limiter = new RateLimiterMemory({ points: max, duration: windowSeconds });
  limiters.set(strapi, limiter);
  return limiter;
};

const callerOf = (ctx: Context) => (isApiToken(ctx) ? `token:${ctx.state.auth.credentials?.id}` : `user:${ctx.state.user?.id}`);

/** Counts a video-token request; over the limit, the seconds until the caller may ask again (else 0). */
export const videoTokenRetryAfter = async (strapi: Core.Strapi, ctx: Context): Promise<number> => {
  try {
    await limiterOf(strapi).consume(callerOf(ctx));
    return 0;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  }
};

export const rateLimitedError = (retryAfterSeconds: number) =>
  new OsteocomError('RATE_LIMITED', 'Too many video token requests; try again shortly.', { retryAfterSeconds });

/**
 * `plugin::osteocom.rate-limit`, on the video-token route: over the limit, Strapi's RateLimitError
 * (429, as users-permissions' `rateLimit` throws) with Retry-After.
 */
export const rateLimit = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => async (ctx: Context, next: Next) => {
  const retryAfterSeconds = await videoTokenRetryAfter(strapi, ctx);
  if (!retryAfterSeconds) return next();
  const { message, details } = rateLimitedError(retryAfterSeconds);
  ctx.set('Retry-After', String(retryAfterSeconds));
  throw new errors.RateLimitError(message, details);
};
