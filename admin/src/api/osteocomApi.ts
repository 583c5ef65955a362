import { adminApi } from '@strapi/strapi/admin';
import type { Pagination } from '../../../shared/contracts/common';
import type { Paged } from '../types';

/** The plugin's cache tags, prefixed: every plugin's tags share one namespace. */
export const TAG = {
  overview: 'OsteocomOverview',
  channels: 'OsteocomChannel',
  syncRuns: 'OsteocomSyncRun',
  customers: 'OsteocomCustomer',
  entitlements: 'OsteocomEntitlement',
  auditEvents: 'OsteocomAuditEvent',
  settings: 'OsteocomSettings',
  encryption: 'OsteocomEncryption',
  webhookEvents: 'OsteocomWebhookEvents',
} as const;

/** What a purchase, refund or re-send changes. */
export const ACCESS_TAGS = [TAG.customers, TAG.entitlements, TAG.overview, TAG.auditEvents];

/**
 * The Strapi admin's own RTK Query API (requests through its fetch client, one cache for the whole
 * admin, emptied on logout) with the plugin's tags; each resource file injects its endpoints,
 * named `osteocom…`: endpoint names too are shared with every plugin (i18n has a `getSettings`).
 */
export const osteocomApi = adminApi.enhanceEndpoints({ addTagTypes: Object.values(TAG) });

/**
 * The outbox, the cron sync and other editors change rows between visits: a page shows its cached
 * rows at once and loads them again whenever it mounts.
 */
export const FRESH = { refetchOnMountOrArgChange: true } as const;

/** A paged reply of the plugin's admin routes. */
interface PagedReply<T> {
  data: T[];
  meta: { pagination: Pagination };
}

export const toPaged = <T>({ data, meta }: PagedReply<T>): Paged<T> => ({
  results: data,
  pagination: meta.pagination,
});

/** `{ data }` replies, unwrapped. */
export const dataOf = <T>({ data }: { data: T }) => data;
