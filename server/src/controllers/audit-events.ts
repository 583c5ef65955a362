import { customerParamsSchema } from '../schemas/access';
import { paginationSchema } from '../schemas/requests';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const query = paginationSchema.extend({ userId: customerParamsSchema.shape.userId.optional() }).strip().parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'audit').list(query);
    ctx.body = { data: results, meta: { pagination } };
  },
}));
