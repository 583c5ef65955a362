import { findCustomer, findCustomers } from '../../../shared/contracts/customers';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const { results, pagination } = await getService(strapi, 'customers').list(findCustomers.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx) {
    const { userId } = findCustomer.params.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'customers').get(userId) };
  },
}));
