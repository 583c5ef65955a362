import { entitlementSummary, findEntitlements } from '../../../shared/contracts/entitlements';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  find: defineRoute(findEntitlements, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'entitlements').list({ ...query, attention: query.attention === 'true' });
    return { data: results, meta: { pagination } };
  }),

  summary: defineRoute(entitlementSummary, async () => ({ data: await getService(strapi, 'entitlements').summary() })),
}));
