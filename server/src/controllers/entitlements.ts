import { findEntitlements } from '../../../shared/contracts/entitlements';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const query = findEntitlements.query.parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'customers').entitlements({ ...query, attention: query.attention === 'true' });
    ctx.body = { data: results, meta: { pagination } };
  },
}));
