import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async get(ctx) {
    const { values } = await getService(strapi, 'settings').get();
    ctx.body = {
      data: {
        environment: values.environment,
        configured: Boolean(values.clientId && values.clientSecretSet),
        syncEnabled: values.syncEnabled,
        lastRun: await getService(strapi, 'catalog-sync').lastRun(),
        nextSyncAt: getService(strapi, 'scheduler').nextSyncAt(),
      },
    };
  },
}));
