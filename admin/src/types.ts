/**
 * Reply shapes of the plugin's admin routes, as the admin reads them: each the `z.infer` of its
 * route's contract in shared/contracts, the schemas the server validates with.
 */
import type { Pagination } from '../../shared/contracts/common';

export type { Pagination };
export type { AccessResult, AuthorizationRequest as AuthorizeBody, RevocationRequest as RevokeBody } from '../../shared/contracts/access';
export type { AuditListEntry as AuditEvent } from '../../shared/contracts/audit-events';
export type { AdminChannel as Channel, AdminChannelQuery as ChannelQuery, AdminVideo as Video } from '../../shared/contracts/catalog';
export type { CustomerDetail, CustomerProfile, CustomerQuery, CustomerSummary, Erasure } from '../../shared/contracts/customers';
export type { EncryptionStatus, KeyState } from '../../shared/contracts/encryption';
export type { Entitlement, EntitlementStatus, ListedEntitlement } from '../../shared/contracts/entitlements';
export type { Overview } from '../../shared/contracts/overview';
export type {
  ConnectionTest,
  OsteocomEnvironment as Environment,
  SettingKey,
  SettingSource,
  SettingsReply,
  SettingsUpdate,
  SettingsValues,
} from '../../shared/contracts/settings';
export type { SyncCounts, SyncRun, SyncStatus } from '../../shared/contracts/sync';
export type { OsteocomEventName, WebhookSubscription } from '../../shared/contracts/webhook-events';

/** A paged reply, unwrapped (api/osteocomApi.ts `toPaged`). */
export interface Paged<T> {
  results: T[];
  pagination: Pagination;
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
