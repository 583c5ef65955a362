/** The admin's Settings → Webhook events: the plugin's events, and Strapi webhooks subscribed to them. */
import { z } from 'zod';
import { BAD_REQUEST, adminReply, type RouteContract } from './common';

/** The plugin's webhook events, in the order the admin lists them. */
export const OSTEOCOM_EVENTS = [
  'osteocom.catalog.synced',
  'osteocom.channel.created',
  'osteocom.channel.updated',
  'osteocom.channel.removed',
  'osteocom.channel.restored',
  'osteocom.access.granted',
  'osteocom.access.revoked',
  'osteocom.access.failed',
  'osteocom.access.pending',
  'osteocom.access.expiring',
  'osteocom.access.paused',
  'osteocom.access.resumed',
] as const;
export const osteocomEventSchema = z.enum(OSTEOCOM_EVENTS);
export type OsteocomEventName = z.infer<typeof osteocomEventSchema>;

/** A webhook of Strapi's store; `events`: only the plugin's events it is subscribed to (its others are kept as they are). */
const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  isEnabled: z.boolean(),
  events: z.array(osteocomEventSchema),
});
export type WebhookSubscription = z.infer<typeof webhookSchema>;

const webhookEventsSchema = z.object({ events: z.array(osteocomEventSchema), webhooks: z.array(webhookSchema) });

/** `GET /osteocom/webhook-events` */
export const getWebhookEvents = {
  reply: adminReply(webhookEventsSchema),
  errors: {},
} satisfies RouteContract;
export type WebhookEventsReply = z.infer<typeof getWebhookEvents.reply>['data'];

/** `PUT /osteocom/webhook-events/:id`: the plugin events the webhook receives, exactly these. */
export const updateWebhookEvents = {
  params: z.object({ id: z.string().regex(/^\d{1,12}$/, 'must be a webhook id') }),
  body: z.object({ events: z.array(osteocomEventSchema).max(OSTEOCOM_EVENTS.length) }).strict(),
  reply: adminReply(webhookSchema),
  errors: { ...BAD_REQUEST, 404: ['NOT_FOUND'] },
} satisfies RouteContract;
