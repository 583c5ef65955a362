/**
 * Types for site developers: the request and reply bodies of the plugin's content API
 * (`/api/osteocom/...`), as described in the package's `openapi.json`. Each is the `z.infer` of
 * the route's contract in shared/contracts, the schemas the routes validate with.
 *
 * ```ts
 * import type { VideoTokenResponse, OsteocomErrorResponse } from 'strapi-plugin-osteocom/types';
 * ```
 *
 * Types only: this module has no runtime code. Dates are ISO 8601 strings, as they travel in JSON.
 */
import type { z } from 'zod';
import type { channelAuthorSchema, findChannels } from '../../shared/contracts/catalog';
import type { ErrorReply } from '../../shared/contracts/errors';

export type { ErrorCode } from '../../shared/contracts/errors';
export type { Pagination } from '../../shared/contracts/common';
export type { Channel, ChannelListResponse, ChannelResponse, Video } from '../../shared/contracts/catalog';
/** `GET /api/osteocom/entries/channels|videos[/:documentId]` (Strapi's core read actions). */
export type { ChannelEntry, VideoEntry } from '../../shared/contracts/catalog-entries';
export type { VideoToken, VideoTokenRequest, VideoTokenResponse } from '../../shared/contracts/video-token';
export type { Entitlement, EntitlementStatus, MyEntitlement } from '../../shared/contracts/entitlements';
export type { MeResponse } from '../../shared/contracts/me';
export type { AuthorizationRequest, AuthorizationResponse, RevocationRequest, RevocationResponse } from '../../shared/contracts/access';
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
