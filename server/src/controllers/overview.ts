import { getOverview } from '../../../shared/contracts/overview';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  get: defineRoute(getOverview, async () => {
    const { values } = await getService(strapi, 'settings').get();
    return {
      data: {
        environment: values.environment,
        configured: Boolean(values.clientId && values.clientSecretSet),
        syncEnabled: values.syncEnabled,
        lastRun: await getService(strapi, 'catalog-sync').lastRun(),
        nextSyncAt: getService(strapi, 'scheduler').nextSyncAt()?.toISOString() ?? null,
        currency: values.currency,
      },
    };
  }),
}));
