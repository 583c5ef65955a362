import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { OsteocomError } from '../errors';
import { isApiToken } from '../utils/actor';
import { createLimiter, type RateLimitConfig } from './rate-limit-store';

/**
 * Counters per caller, by default in the site's database (rate-limit-store.ts), so servers behind
 * one address allow the configured rate in total, not each. One limiter per Strapi instance,
 * shared by the REST route and the GraphQL mutation.
 */
const limiters = new WeakMap<Core.Strapi, { config: RateLimitConfig; limiter: Promise<RateLimiterAbstract> }>();

const sameLimit = (a: RateLimitConfig, b: RateLimitConfig) => a.max === b.max && a.windowSeconds === b.windowSeconds && a.store === b.store;

/** A limit changed at run time (tests do) starts fresh counters. */
const limiterOf = (strapi: Core.Strapi) => {
  const config = (strapi.plugin('osteocom').config('videoToken') as { rateLimit: RateLimitConfig }).rateLimit;
  const current = limiters.get(strapi);
  if (current && sameLimit(current.config, config)) return current.limiter;
  const limiter = createLimiter(strapi, 'osteocom-video-token', config);
  limiters.set(strapi, { config: { ...config }, limiter });
  return limiter;
};

const callerOf = (ctx: Context) => (isApiToken(ctx) ? `token:${ctx.state.auth.credentials?.id}` : `user:${ctx.state.user?.id}`);

/** Counts a video-token request; over the limit, the seconds until the caller may ask again (else 0). */
export const videoTokenRetryAfter = async (strapi: Core.Strapi, ctx: Context): Promise<number> => {
  try {
    await (await limiterOf(strapi)).consume(callerOf(ctx));
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
