import { getWebhookEvents, updateWebhookEvents } from '../../../shared/contracts/webhook-events';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  list: defineRoute(getWebhookEvents, async () => ({ data: await getService(strapi, 'webhook-events').list() })),

  update: defineRoute(updateWebhookEvents, async ({ params, body, ctx }) => {
    const webhook = await getService(strapi, 'webhook-events').subscribe(params.id, body.events);
    await getService(strapi, 'audit').record({
      action: 'settings.webhook-events',
      outcome: 'success',
      actor: actorFrom(ctx),
      details: { webhookId: webhook.id, events: webhook.events },
    });
    return { data: webhook };
  }),
}));
