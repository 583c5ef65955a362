import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../errors';
import { LruMap } from '../utils/lru';

const MAX_TRACKED_CALLERS = 50_000;

/**
 * A fixed-window counter per caller, in memory: each server limits its own share, which is
 * what protects its upstream quota and its database from one noisy client.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const windows = new LruMap<string, { count: number; resetAt: number }>(MAX_TRACKED_CALLERS);

  return {
    hit(caller: string) {
      const { max, windowSeconds } = (strapi.plugin('osteocom').config('videoToken') as { rateLimit: { max: number; windowSeconds: number } }).rateLimit;
      const now = Date.now();
      const current = windows.get(caller);
      const window = current && current.resetAt > now ? current : { count: 0, resetAt: now + windowSeconds * 1000 };
      window.count += 1;
      windows.set(caller, window);
      if (window.count <= max) return;
      throw new OsteocomError('RATE_LIMITED', 'Too many video token requests; try again shortly.', {
        retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
      });
    },

    reset() {
      windows.clear();
    },
  };
};
