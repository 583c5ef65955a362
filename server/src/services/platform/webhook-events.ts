import type { Core } from '@strapi/strapi';
import { OSTEOCOM_EVENTS, type OsteocomEventName, type WebhookSubscription } from '../../../../shared/contracts/webhook-events';
import { OsteocomError } from '../../errors';

/** A webhook as Strapi's webhook store reads and writes it. */
interface StoredWebhook {
  id: string;
  name: string;
  url: string;
  headers: Record<string, string>;
  events: string[];
  isEnabled: boolean;
}

interface WebhookStore {
  findWebhooks(): Promise<StoredWebhook[]>;
  findWebhook(id: string): Promise<StoredWebhook | null>;
  updateWebhook(id: string, data: Omit<StoredWebhook, 'id'>): Promise<StoredWebhook | null>;
}

const isOsteocomEvent = (event: string): event is OsteocomEventName => (OSTEOCOM_EVENTS as readonly string[]).includes(event);

const toSubscription = ({ id, name, url, isEnabled, events }: StoredWebhook): WebhookSubscription => ({
  id: String(id),
  name,
  url,
  isEnabled,
  events: OSTEOCOM_EVENTS.filter((event) => events.includes(event)),
});

/**
 * Subscribes Strapi webhooks to the plugin's events, which Strapi 5.54's Settings → Webhooks page
 * cannot list. The subscription lives in Strapi's own webhook store and Strapi delivers it; as
 * Strapi's admin route does, the change is handed to this server's webhook runner (other servers
 * load webhooks at start).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.get('webhookStore') as WebhookStore;

  return {
    async list() {
      const webhooks = await store().findWebhooks();
      return { events: [...OSTEOCOM_EVENTS], webhooks: webhooks.sort((a, b) => Number(a.id) - Number(b.id)).map(toSubscription) };
    },

    /** Sets the plugin events of one webhook to exactly `events`; its other events stay. */
    async subscribe(id: string, events: OsteocomEventName[]) {
      const webhook = await store().findWebhook(id);
      if (!webhook) throw new OsteocomError('NOT_FOUND', `No webhook ${id}.`);
      const others = webhook.events.filter((event) => !isOsteocomEvent(event));
      const wanted = OSTEOCOM_EVENTS.filter((event) => events.includes(event));
      const { id: _id, ...data } = webhook;
      const updated = await store().updateWebhook(id, { ...data, events: [...others, ...wanted] });
      if (!updated) throw new OsteocomError('NOT_FOUND', `No webhook ${id}.`);
      (strapi.get('webhookRunner') as { update(webhook: StoredWebhook): void }).update(updated);
      return toSubscription(updated);
    },
  };
};
