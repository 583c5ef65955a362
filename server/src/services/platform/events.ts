import type { Core } from '@strapi/strapi';
import { OSTEOCOM_EVENTS, type OsteocomEventName } from '../../../../shared/contracts/webhook-events';

/**
 * The plugin's webhook events. The plugin writes with knex and `db.query`, which fire no `entry.*`
 * events, so it announces its own changes: on Strapi's event hub (other plugins listen there) and,
 * through it, to the webhooks subscribed to them (in the plugin's Settings, Webhook events: Strapi's
 * own Webhooks page lists only entry and media events). Each change is announced once, by the
 * server that made it. Payloads carry catalog ids and the customer's `userId`, never an email, a
 * name, an access key or a token. The names are the contract's (shared/contracts/webhook-events).
 */
export const EVENTS = {
  CATALOG_SYNCED: 'osteocom.catalog.synced',
  CHANNEL_CREATED: 'osteocom.channel.created',
  CHANNEL_UPDATED: 'osteocom.channel.updated',
  CHANNEL_REMOVED: 'osteocom.channel.removed',
  CHANNEL_RESTORED: 'osteocom.channel.restored',
  ACCESS_GRANTED: 'osteocom.access.granted',
  ACCESS_REVOKED: 'osteocom.access.revoked',
  ACCESS_FAILED: 'osteocom.access.failed',
  ACCESS_PENDING: 'osteocom.access.pending',
  ACCESS_EXPIRING: 'osteocom.access.expiring',
  ACCESS_PAUSED: 'osteocom.access.paused',
  ACCESS_RESUMED: 'osteocom.access.resumed',
} as const satisfies Record<string, OsteocomEventName>;

type OsteocomEvent = (typeof EVENTS)[keyof typeof EVENTS];

/** Keys for the webhook store, in its `ENTRY_CREATE` style. */
const storeKey = (event: string) => event.replace(/\./g, '_').toUpperCase();

/** Registered in `register`, so `POST /admin/webhooks` accepts the events from the first request. */
export const registerEvents = (strapi: Core.Strapi) => {
  const store = strapi.get('webhookStore') as { addAllowedEvent(key: string, value: string): void };
  for (const event of OSTEOCOM_EVENTS) store.addAllowedEvent(storeKey(event), event);
};

const emit = (strapi: Core.Strapi, event: OsteocomEvent, payload: Record<string, unknown>) => {
  void strapi.eventHub.emit(event, payload);
};

type ChannelChange = 'created' | 'updated' | 'removed' | 'restored';

const CHANNEL_EVENTS: Record<ChannelChange, OsteocomEvent> = {
  created: EVENTS.CHANNEL_CREATED,
  updated: EVENTS.CHANNEL_UPDATED,
  removed: EVENTS.CHANNEL_REMOVED,
  restored: EVENTS.CHANNEL_RESTORED,
};

/** One event per channel, after the transaction that wrote it committed. */
export const emitChannelChanges = (strapi: Core.Strapi, change: ChannelChange, idChannels: string[]) => {
  for (const idChannel of idChannels) emit(strapi, CHANNEL_EVENTS[change], { channel: { idChannel } });
};

export interface ChangedIds {
  created: string[];
  updated: string[];
  removed: string[];
  restored: string[];
}

interface ChangeCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  restored: number;
}

interface CatalogSyncedPayload {
  runId: number;
  trigger: string;
  counts: Record<'channels' | 'videos', ChangeCounts>;
  changed: Record<'channels' | 'videos', ChangedIds>;
}

const changedAnything = ({ created, updated, removed, restored }: ChangeCounts) => created + updated + removed + restored > 0;

/** After a run that changed the mirror; a run that found the catalog unchanged announces nothing. */
export const emitCatalogSynced = (strapi: Core.Strapi, payload: CatalogSyncedPayload) => {
  if (changedAnything(payload.counts.channels) || changedAnything(payload.counts.videos)) emit(strapi, EVENTS.CATALOG_SYNCED, { ...payload });
};

const access = (event: OsteocomEvent) => (strapi: Core.Strapi, userId: string, channelIds: string[], extra: Record<string, unknown> = {}) => {
  if (channelIds.length) emit(strapi, event, { userId, channelIds, ...extra });
};

/** The customer can now play these channels. */
export const emitAccessGranted = access(EVENTS.ACCESS_GRANTED);
/** The customer can no longer play these channels (effective at once, before Osteocom confirms). */
export const emitAccessRevoked = access(EVENTS.ACCESS_REVOKED);
/** Osteocom refused the operation for good (`code`, `operation`); the admin shows a Retry. */
export const emitAccessFailed = access(EVENTS.ACCESS_FAILED);
/** Osteocom could not be reached: the outbox retries the operation (`operation`). */
export const emitAccessPending = access(EVENTS.ACCESS_PENDING);
/** The access ends in `reminderDays` days or less (`accessUntil`): announced once per access and end date, by the server that claimed it. */
export const emitAccessExpiring = access(EVENTS.ACCESS_EXPIRING);
/** A subscription suspended at the shop: the customer can no longer play these channels until it is resumed (effective at once). */
export const emitAccessPaused = access(EVENTS.ACCESS_PAUSED);
/** A paused access resumed: it is being authorized again (`accessUntil`: its end, pushed back by the pause). */
export const emitAccessResumed = access(EVENTS.ACCESS_RESUMED);
