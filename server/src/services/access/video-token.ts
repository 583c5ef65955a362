import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { OsteocomError, isOsteocomError, parseInput } from '../../errors';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { createVideoRepository } from '../../repositories/video-repository';
import { getService } from '../../utils/get-service';
import { videoTokenIssueSchema, type VideoToken } from '../../../../shared/contracts/video-token';

interface CachedToken {
  userId: string;
  channelKey: string;
  token: string;
  expiresAt: number;
}

interface VideoTokenConfig {
  cacheSize: number;
  cacheMarginSeconds: number;
}

const cacheKey = (userId: string, videoId: string) => `${userId}\u0000${videoId}`;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const videos = createVideoRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const config = () => strapi.plugin('osteocom').config('videoToken') as VideoTokenConfig;
  let cache: LRUCache<string, CachedToken> | undefined;
  const tokens = () => (cache ??= new LRUCache({ max: config().cacheSize }));
  const inFlight = new Map<string, Promise<CachedToken>>();

  /** Before any upstream call: the video must be available and its channel active for this customer. */
  const checkAccess = async (userId: string, videoId: string) => {
    const video = await videos.find(videoId);
    if (!video || video.availability !== 'available') throw new OsteocomError('VIDEO_NOT_FOUND', `No available video "${videoId}".`);
    const entitlement = await entitlements.find(userId, video.channelKey);
    // Before the end check: a paused or not yet started access is neither expired nor playable.
    if (entitlement?.status === 'paused') throw new OsteocomError('ACCESS_PAUSED', 'Access to the channel of this video is paused.');
    if (entitlement?.status === 'scheduled') {
      if (entitlement.accessFrom && new Date(entitlement.accessFrom) > new Date()) {
        throw new OsteocomError('ACCESS_NOT_STARTED', `Access to the channel of this video starts at ${entitlement.accessFrom}.`, { details: { accessFrom: entitlement.accessFrom } });
      }
      throw new OsteocomError('ACCESS_PENDING', 'Access to this channel is being activated; try again in a minute.', { retryAfterSeconds: 60 });
    }
    // Refused from the instant it ends, before the outbox has revoked it at Osteocom.
    if (entitlement?.accessUntil && new Date(entitlement.accessUntil) <= new Date()) {
      throw new OsteocomError('ACCESS_EXPIRED', 'Access to the channel of this video has expired.');
    }
    if (entitlement?.status === 'pending') {
      throw new OsteocomError('ACCESS_PENDING', 'Access to this channel is being activated; try again in a minute.', { retryAfterSeconds: 60 });
    }
    if (entitlement?.status !== 'active') throw new OsteocomError('NOT_ENTITLED', 'This account has no access to the channel of this video.');
    return { channelKey: video.channelKey, entitlementId: entitlement.id };
  };

  /**
   * An unreadable access key fails the request loudly (503, its code) and is logged for the operator
   * with the key id; the caller is not told the id (one written before ids were labelled hashes
   * carries bits of its key) nor the operator's remedy.
   */
  const decryptAccessKey = (stored: string) => {
    try {
      return getService(strapi, 'crypto').decrypt(stored);
    } catch (error) {
      if (!isOsteocomError(error)) throw error;
      strapi.log.error(`[osteocom] a customer's access key cannot be decrypted: ${error.code}, key id ${String(error.details.keyId ?? 'none (v1)')}`);
      throw new OsteocomError(error.code, "This video cannot be played right now: the site cannot read this customer's access. The site's operator can see why in the server log.");
    }
  };

  const fetchToken = async (userId: string, videoId: string, access: { channelKey: string; entitlementId: number }): Promise<CachedToken> => {
    const customer = await customers.find(userId);
    if (!customer?.accessKey) throw new OsteocomError('ACCESS_PENDING', 'Access to this channel is being activated; try again in a minute.', { retryAfterSeconds: 60 });
    const userAccessKey = decryptAccessKey(customer.accessKey);
    try {
      const { token, expiresIn } = await getService(strapi, 'osteocom-client').getVideoAccess({ userId, videoId, userAccessKey });
      // The reference makes expiresIn optional: absent, the configured default lifetime applies.
      const lifetimeSeconds = expiresIn ?? (strapi.plugin('osteocom').config('videoToken') as { defaultExpiresInSeconds: number }).defaultExpiresInSeconds;
      return { userId, channelKey: access.channelKey, token, expiresAt: Date.now() + lifetimeSeconds * 1000 };
    } catch (error) {
      if (!isOsteocomError(error) || error.code !== 'NOT_AUTHORIZED_UPSTREAM') throw error;
      await entitlements.flagForReconciliation(access.entitlementId);
      strapi.log.warn(`[osteocom] Osteocom refused video ${videoId} for an active entitlement; flagged for reconciliation`);
      throw new OsteocomError('NOT_ENTITLED', 'This account has no access to the channel of this video.');
    }
  };

  /** Concurrent requests for the same pair share one upstream call. */
  const cachedToken = async (userId: string, videoId: string, access: { channelKey: string; entitlementId: number }) => {
    const key = cacheKey(userId, videoId);
    const hit = tokens().get(key);
    if (hit) return hit;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const request = fetchToken(userId, videoId, access)
      .then((entry) => {
        // Served until `cacheMarginSeconds` before it expires, so a player never starts with a dying token.
        const ttl = entry.expiresAt - config().cacheMarginSeconds * 1000 - Date.now();
        if (ttl > 0) tokens().set(key, entry, { ttl });
        return entry;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, request);
    return request;
  };

  const playerUrl = (template: string | null, videoId: string, token: string) => {
    if (!template) return undefined;
    return template.replaceAll('{videoId}', encodeURIComponent(videoId)).replaceAll('{token}', encodeURIComponent(token));
  };

  return {
    /** A player token for `{ userId, videoId }` (validated with the route's contract), after the same local checks as the route. */
    async issue(input: unknown): Promise<VideoToken> {
      const { userId, videoId } = parseInput(videoTokenIssueSchema, input);
      const access = await checkAccess(userId, videoId);
      const entry = await cachedToken(userId, videoId, access);
      const { values } = await getService(strapi, 'settings').get();
      return {
        videoId,
        token: entry.token,
        expiresIn: Math.max(0, Math.floor((entry.expiresAt - Date.now()) / 1000)),
        expiresAt: new Date(entry.expiresAt).toISOString(),
        playerUrl: playerUrl(values.playerUrlTemplate, videoId, entry.token),
      };
    },

    /** Drops the cached tokens of a customer for a channel (on revoke). */
    forget(userId: string, channelKey: string) {
      const cached = tokens();
      const dropped = [...cached.entries()].filter(([, entry]) => entry.userId === userId && entry.channelKey === channelKey);
      for (const [key] of dropped) cached.delete(key);
    },
  };
};
