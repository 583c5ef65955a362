import { getSettings, testConnection, updateSettings } from '../../../shared/contracts/settings';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  get: defineRoute(getSettings, async () => ({ data: await getService(strapi, 'settings').get({ fresh: true }) })),

  update: defineRoute(updateSettings, async ({ body, ctx }) => {
    const { changed, secretCleared } = await getService(strapi, 'settings').update(body);
    // This server applies a new schedule at once; the others on their next reconcile.
    await getService(strapi, 'scheduler').reconcile();
    await getService(strapi, 'audit').record({
      action: 'settings.update',
      outcome: 'success',
      actor: actorFrom(ctx),
      details: { changed, secretCleared },
    });
    return { data: await getService(strapi, 'settings').get({ fresh: true }), meta: { secretCleared } };
  }),

  testConnection: defineRoute(testConnection, async () => ({ data: await getService(strapi, 'osteocom-client').testConnection() })),
}));
