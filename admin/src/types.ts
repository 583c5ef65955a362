/** Reply shapes of the plugin's admin routes (server/src/controllers), as the admin reads them. */
import type { OsteocomEnvironment as Environment } from '../../server/src/config/schema';
import type { SettingKey } from '../../server/src/schemas/settings';
import type { Entitlement, Pagination } from '../../server/src/types';

/** Shapes the server already defines: one definition each, shared with the site developers' types. */
export type {
  AuthorizationRequest as AuthorizeBody,
  Entitlement,
  EntitlementStatus,
  Pagination,
  RevocationRequest as RevokeBody,
} from '../../server/src/types';

/** A row of `GET /osteocom/entitlements` (the "Needs attention" list): with its customer and channel title. */
export type ListedEntitlement = Entitlement & {
  userId: string;
  channelTitle: string | null;
  /** When the operation the row holds (or last held) was recorded. */
  operationAt: string | null;
};
export type { OsteocomEnvironment as Environment } from '../../server/src/config/schema';
export type { SettingKey, SettingsUpdate } from '../../server/src/schemas/settings';

export interface Paged<T> {
  results: T[];
  pagination: Pagination;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  restored: number;
}

export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'refused';

export interface SyncRun extends Partial<SyncCounts> {
  id: number;
  trigger: 'cron' | 'manual' | 'startup';
  status: SyncStatus;
  startedAt: string;
  finishedAt?: string | null;
  durationMs?: number | null;
  error?: string | null;
  errorCode?: string | null;
  stats?: { channels?: SyncCounts; videos?: SyncCounts } | null;
}

export interface Overview {
  environment: Environment;
  configured: boolean;
  syncEnabled: boolean;
  lastRun: SyncRun | null;
  nextSyncAt: string | null;
}

export interface Channel {
  id: number;
  documentId: string;
  idChannel: string;
  title: string;
  subtitle?: string | null;
  price: number | null;
  cover?: string | null;
  status: 'available' | 'removed';
  videoCount: number;
  lastSyncedAt?: string | null;
}

export interface Video {
  videoId: string;
  title: string;
  duration: number | null;
  videoQuality: string | null;
  position: number | null;
  status: 'available' | 'removed';
}

export interface CustomerProfile {
  userId: string;
  email: string | null;
  name: string | null;
  surname: string | null;
  marketingConsent: boolean | null;
  /** When the personal data was last erased; null: never. */
  erasedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface CustomerSummary extends CustomerProfile {
  activeChannels: string[];
  pending: number;
  failed: number;
}

export interface CustomerDetail extends CustomerProfile {
  /** Each with its channel's title: null when the channel is not mirrored. */
  entitlements: (Entitlement & { channelTitle: string | null })[];
}

/** `partial`: Osteocom refused some of the products; each entitlement says how it ended. */
export interface AccessResult {
  state: 'active' | 'pending' | 'revoked' | 'partial';
  userId: string;
  entitlements: Entitlement[];
}

/** `POST /osteocom/customers/:userId/erase`: `changed` is false when it was already done. */
export interface Erasure {
  userId: string;
  erasedAt: string;
  changed: boolean;
}

export interface AuditEvent {
  id: number;
  action: string;
  outcome: 'success' | 'pending' | 'failure';
  actorType: 'admin' | 'api-token' | 'end-user' | 'system' | 'unknown';
  actorId: string | null;
  /** The admin token an admin acted through. */
  actorToken: { id: string; name: string } | null;
  subjectUserId: string | null;
  channelKey: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface SettingsValues {
  environment: Environment;
  baseUrl: string | null;
  clientId: string | null;
  clientSecretSet: boolean;
  syncEnabled: boolean;
  syncCron: string;
  syncTz: string;
  playerUrlTemplate: string | null;
  /** The Osteocom account requires every customer's email (its marketing consent is enabled). */
  emailRequired: boolean;
}

export interface SettingsReply {
  values: SettingsValues;
  locked: SettingKey[];
}

export interface ConnectionTest {
  ok: true;
  environment: Environment;
  baseUrl?: string;
  latencyMs: number;
}

/** A users-permissions user as the content-manager API lists it. */
export interface SiteUser {
  id: number;
  documentId: string;
  username?: string | null;
  email?: string | null;
}

/** A channel the authorize form offers: id, title and catalog price. */
export interface ChannelOption {
  idChannel: string;
  title: string;
  price: number | null;
}
