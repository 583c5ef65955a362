/** Reply shapes of the plugin's admin routes (server/src/controllers), as the admin reads them. */

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export interface Paged<T> {
  results: T[];
  pagination: Pagination;
}

export type Environment = 'test' | 'production';

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

export type EntitlementStatus = 'pending' | 'active' | 'revoked' | 'failed';

export interface Entitlement {
  channelKey: string;
  status: EntitlementStatus;
  price: number | null;
  authorizedAt: string | null;
  revokedAt: string | null;
  pendingOperation: 'authorize' | 'revoke' | null;
  lastError: string | null;
  attempts: number | null;
  nextAttemptAt: string | null;
  updatedAt: string | null;
}

export interface CustomerProfile {
  userId: string;
  email: string | null;
  name: string | null;
  surname: string | null;
  marketingConsent: boolean | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface CustomerSummary extends CustomerProfile {
  activeChannels: string[];
  pending: number;
  failed: number;
}

export interface CustomerDetail extends CustomerProfile {
  entitlements: Entitlement[];
}

export interface AccessResult {
  state: 'active' | 'pending' | 'revoked';
  userId: string;
  entitlements: Entitlement[];
}

export interface AuditEvent {
  id: number;
  action: string;
  outcome: 'success' | 'pending' | 'failure';
  actorType: 'admin' | 'api-token' | 'end-user' | 'system';
  actorId: string | null;
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
}

/** The keys `PUT /osteocom/settings` accepts (clientSecret is write-only). */
export type SettingKey =
  | 'environment'
  | 'baseUrl'
  | 'clientId'
  | 'clientSecret'
  | 'syncEnabled'
  | 'syncCron'
  | 'syncTz'
  | 'playerUrlTemplate';

export interface SettingsReply {
  values: SettingsValues;
  locked: SettingKey[];
}

export type SettingsUpdate = Partial<{
  environment: Environment;
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  syncEnabled: boolean;
  syncCron: string;
  syncTz: string;
  playerUrlTemplate: string | null;
}>;

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

export interface AuthorizeBody {
  userId: string;
  email?: string;
  marketingConsent: boolean;
  name?: string;
  surname?: string;
  products: { productId: string; price?: number }[];
}

export interface RevokeBody {
  userId: string;
  channelId: string;
}

/** A channel the authorize form offers: id, title and catalog price. */
export interface ChannelOption {
  idChannel: string;
  title: string;
  price: number | null;
}
