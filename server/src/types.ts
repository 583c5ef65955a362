/**
 * Types for site developers: the request and reply bodies of the plugin's content API
 * (`/api/osteocom/...`), as described in the package's `openapi.json`.
 *
 * ```ts
 * import type { VideoTokenResponse, OsteocomErrorResponse } from 'strapi-plugin-osteocom/types';
 * ```
 *
 * Types only: this module has no runtime code. Dates are ISO 8601 strings, as they travel in JSON.
 */
import type { ErrorCode } from './errors';

export type { ErrorCode };

/** Strapi's reply envelope. */
export interface OsteocomResponse<Data, Meta = Record<string, never>> {
  data: Data;
  meta: Meta;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

// ---- catalog -------------------------------------------------------------------------------

export interface ChannelAuthor {
  name: string;
  image?: string | null;
}

/** A videolesson of an available channel (public fields only). */
export interface Video {
  videoId: string;
  title: string;
  /** Seconds. */
  duration: number | null;
  videoQuality: string | null;
  /** Order within the channel, from 0. */
  position: number | null;
}

/** An available channel with its available videos (public fields only). */
export interface Channel {
  idChannel: string;
  title: string;
  subtitle: string | null;
  htmlDescription: string | null;
  /** Catalog price in Osteocom's unit (integer). */
  price: number | null;
  cover: string | null;
  background: string | null;
  trailer: string | null;
  authors: ChannelAuthor[] | null;
  videos: Video[];
}

/** `GET /api/osteocom/channels/:idChannel` */
export type ChannelResponse = OsteocomResponse<Channel>;

/** `GET /api/osteocom/channels?page&pageSize` */
export type ChannelListResponse = OsteocomResponse<Channel[], { pagination: Pagination }>;

export interface ChannelListQuery {
  /** From 1; default 1. */
  page?: number;
  /** 1–100; default 25. */
  pageSize?: number;
}

// ---- video tokens --------------------------------------------------------------------------

/** `POST /api/osteocom/video-token` body. */
export interface VideoTokenRequest {
  videoId: string;
  /** Only read when calling with an API token (a trusted back end); ignored for end users. */
  userId?: string;
}

export interface VideoToken {
  videoId: string;
  /** The short-lived player token; never store it. */
  token: string;
  /** Seconds left until `expiresAt`. */
  expiresIn: number;
  expiresAt: string;
  /** Present when a player URL template is configured. */
  playerUrl?: string;
}

/** `POST /api/osteocom/video-token` reply (sent with `Cache-Control: no-store`). */
export type VideoTokenResponse = OsteocomResponse<VideoToken>;

// ---- entitlements ----------------------------------------------------------------------------

export type EntitlementStatus = 'pending' | 'active' | 'revoked' | 'failed';

/** What an end user sees of their own access. */
export interface MyEntitlement {
  channelId: string;
  channelTitle: string | null;
  status: EntitlementStatus;
  authorizedAt: string | null;
  /** Osteocom's cancellation date once revoked. */
  revokedAt: string | null;
  /** When a time-limited access ends (null: for good). */
  accessUntil: string | null;
}

/** `GET /api/osteocom/me` reply. */
export type MeResponse = OsteocomResponse<{ userId: string; entitlements: MyEntitlement[] }>;

/** A customer's access to one channel, as the authorization and revocation routes report it. */
export interface Entitlement {
  channelKey: string;
  status: EntitlementStatus;
  price: number | null;
  authorizedAt: string | null;
  revokedAt: string | null;
  /** When a time-limited access ends (null: for good). */
  accessUntil: string | null;
  /** The operation the outbox still has to confirm with Osteocom, if any. */
  pendingOperation: 'authorize' | 'revoke' | null;
  /** Why the last call did not confirm it, as Osteocom said it, and that error's code. */
  lastError: string | null;
  lastErrorCode: string | null;
  /** Osteocom may hold another state than this row: an editor should check and re-send. */
  needsReconciliation: boolean;
  attempts: number | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}

// ---- authorizations and revocations (shop back ends, API token) --------------------------------

/** `POST /api/osteocom/authorizations` body. */
export interface AuthorizationRequest {
  /** The id the video-token route derives for this customer (`userIdField`, default the users-permissions `documentId`). */
  userId: string;
  /** Required when the Osteocom account requires emails (setting `emailRequired`); blank counts as absent. */
  email?: string;
  /** Omitted: not stated, the stored choice stands (false for a new customer). `false` withdraws consent. */
  marketingConsent?: boolean;
  name?: string;
  surname?: string;
  /** 1–50 distinct available channels; `price` defaults to the catalog price. */
  /** `accessUntil`: ISO 8601 date-time in the future; from then the access is refused and revoked at Osteocom. */
  products: { productId: string; price?: number; accessUntil?: string }[];
}

/** 200 with `state: 'active'` (or `'partial'`: Osteocom refused some products), or 202 with `state: 'pending'` when the outbox will retry. */
export type AuthorizationResponse = OsteocomResponse<{ state: 'active' | 'pending' | 'partial'; userId: string; entitlements: Entitlement[] }>;

/** `POST /api/osteocom/revocations` body. */
export interface RevocationRequest {
  userId: string;
  channelId: string;
}

/** 200 with `state: 'revoked'`, or 202 with `state: 'pending'` (access already ended locally). */
export type RevocationResponse = OsteocomResponse<{ state: 'revoked' | 'pending'; userId: string; entitlements: Entitlement[] }>;

// ---- errors ----------------------------------------------------------------------------------

export interface OsteocomErrorDetails {
  /** Stable: switch on this, not on the message. */
  code: ErrorCode;
  /** With `VALIDATION_ERROR`: the fields at fault. */
  errors?: { path: string[]; message: string }[];
  /** With `UNKNOWN_CHANNEL`: the products that are not available channels. */
  unknown?: string[];
  [key: string]: unknown;
}

/** Every error the plugin raises, in Strapi's error shape. */
export interface OsteocomErrorResponse {
  data: null;
  error: {
    status: number;
    name: string;
    /** For people; never contains secrets. */
    message: string;
    details: OsteocomErrorDetails;
  };
}
