/**
 * Types for site developers: the request and reply bodies of the plugin's content API
 * (`/api/osteocom/...`), as described in the package's `openapi.json`. Each is the `z.infer` of
 * the route's contract in shared/contracts, the schemas the routes validate with.
 *
 * ```ts
 * import type { VideoTokenResponse, OsteocomErrorResponse } from 'strapi-plugin-osteocom/types';
 * ```
 *
 * And the server API a site's own code calls (`strapi.plugin('osteocom').service(...)`, see the
 * README, "Calling the plugin from your own code") and the config of `config/plugins.ts`:
 *
 * ```ts
 * import type { OsteocomAccessService } from 'strapi-plugin-osteocom/types';
 * await strapi.plugin('osteocom').service<OsteocomAccessService>('access').authorize({ userId, products: [{ productId }] });
 * ```
 *
 * Types only: this module has no runtime code. Dates are ISO 8601 strings, as they travel in JSON.
 */
import type { z } from 'zod';
import type { channelAuthorSchema, findChannels } from '../../shared/contracts/catalog';
import type { ErrorReply } from '../../shared/contracts/errors';
import type { AuthorizationRequest, AuthorizationResponse, RevocationRequest, RevocationResponse, PauseResponse, ResumeResponse } from '../../shared/contracts/access';
import type { ChannelListResponse, ChannelResponse } from '../../shared/contracts/catalog';
import type { VideoToken, VideoTokenIssueInput } from '../../shared/contracts/video-token';
import type { PluginConfig } from './config/schema';

export type { ErrorCode } from '../../shared/contracts/errors';
import type { Pagination } from '../../shared/contracts/common';
export type { Pagination };
export type { Channel, ChannelListResponse, ChannelResponse, Video } from '../../shared/contracts/catalog';
/** `GET /api/osteocom/entries/channels|videos[/:documentId]` (Strapi's core read actions). */
export type { ChannelEntry, VideoEntry } from '../../shared/contracts/catalog-entries';
export type { VideoToken, VideoTokenIssueInput, VideoTokenRequest, VideoTokenResponse } from '../../shared/contracts/video-token';
export type { Entitlement, EntitlementStatus, MyEntitlement } from '../../shared/contracts/entitlements';
export type { MeResponse } from '../../shared/contracts/me';
export type { AuthorizationRequest, AuthorizationResponse, RevocationRequest, RevocationResponse, PauseResponse, ResumeResponse } from '../../shared/contracts/access';
export type { BulkAuthorizationRequest, BulkAuthorizationResponse, BulkRevocationRequest, BulkRevocationResponse } from '../../shared/contracts/bulk';

/** Strapi's reply envelope. */
export interface OsteocomResponse<Data, Meta = Record<string, never>> {
  data: Data;
  meta: Meta;
}

export type ChannelAuthor = z.infer<typeof channelAuthorSchema>;

/** `GET /api/osteocom/channels?page&pageSize`: page from 1 (default 1), pageSize 1–100 (default 25). */
export type ChannelListQuery = Partial<z.infer<typeof findChannels.query>>;

/** Every error the plugin raises, in Strapi's error shape. */
export type OsteocomErrorResponse = ErrorReply;
export type OsteocomErrorDetails = ErrorReply['error']['details'];

/** Who acted, as the audit log records it; a site's own code defaults to `{ type: 'system', id: 'site' }`. */
export interface OsteocomActor {
  type: 'admin' | 'api-token' | 'end-user' | 'system' | 'unknown';
  id?: string;
}

/**
 * `strapi.plugin('osteocom').service<OsteocomAccessService>('access')`: the purchases and refunds
 * of the authorization and revocation routes, in-process (same validation, lifecycle, events and
 * audit). Each resolves with the route's `data` (`state: 'pending'` where the route answers 202)
 * and throws an `OsteocomError` (`error.status`, `error.details.code`) where the route answers 4xx/5xx.
 */
export interface OsteocomAccessService {
  authorize(input: AuthorizationRequest, actor?: OsteocomActor): Promise<AuthorizationResponse['data']>;
  revoke(input: RevocationRequest, actor?: OsteocomActor): Promise<RevocationResponse['data']>;
  /** `POST /api/osteocom/pauses`: a running access paused (revoked at Osteocom until resumed). */
  pause(input: RevocationRequest, actor?: OsteocomActor): Promise<PauseResponse['data']>;
  /** `POST /api/osteocom/resumptions`: a paused access authorized again, its end pushed back by the pause. */
  resume(input: RevocationRequest, actor?: OsteocomActor): Promise<ResumeResponse['data']>;
}

/** `strapi.plugin('osteocom').service<OsteocomVideoTokenService>('video-token')`: the video-token route's token for a named customer. */
export interface OsteocomVideoTokenService {
  issue(input: VideoTokenIssueInput): Promise<VideoToken>;
}

/** `strapi.plugin('osteocom').service<OsteocomCatalogService>('catalog')`: the public catalog routes' reads (listed, available channels). */
export interface OsteocomCatalogService {
  listPublic(query?: ChannelListQuery): Promise<{ results: ChannelListResponse['data']; pagination: Pagination }>;
  /** Throws `CHANNEL_NOT_FOUND` (404) for an unknown, removed or unlisted channel. */
  getPublic(idChannelOrSlug: string): Promise<ChannelResponse['data']>;
}

/** The services above by name, for `service<OsteocomServices[Name]>(name)`. */
export interface OsteocomServices {
  access: OsteocomAccessService;
  'video-token': OsteocomVideoTokenService;
  catalog: OsteocomCatalogService;
}

type DeepPartial<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * The `config` of the plugin's entry in `config/plugins.ts`, merged over the defaults: every key
 * optional. Checked at boot; a bad key stops Strapi with a message naming it.
 */
export type OsteocomPluginConfig = DeepPartial<PluginConfig>;
