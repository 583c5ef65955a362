import { defineController } from '../utils/controller';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async get(ctx) {
    ctx.body = { data: await getService(strapi, 'settings').get({ fresh: true }) };
  },

  async update(ctx) {
    const { changed, secretCleared } = await getService(strapi, 'settings').update(ctx.request.body);
    // This server applies a new schedule at once; the others on their next reconcile.
    await getService(strapi, 'scheduler').reconcile();
    await getService(strapi, 'audit').record({
      action: 'settings.update',
      outcome: 'success',
      actor: actorFrom(ctx),
      details: { changed, secretCleared },
    });
    ctx.body = { data: await getService(strapi, 'settings').get({ fresh: true }), meta: { secretCleared } };
  },

  async testConnection(ctx) {
    ctx.body = { data: await getService(strapi, 'osteocom-client').testConnection() };
  },
}));
