import { customerParamsSchema } from '../schemas/access';
import { channelListQuerySchema } from '../schemas/requests';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const query = channelListQuerySchema.pick({ page: true, pageSize: true, q: true }).parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'customers').list(query);
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx) {
    const { userId } = customerParamsSchema.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'customers').get(userId) };
  },
}));
