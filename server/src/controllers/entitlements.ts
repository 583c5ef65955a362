import { z } from 'zod';
import { paginationSchema } from '../schemas/requests';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async find(ctx) {
    const query = paginationSchema.extend({ attention: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).optional() }).strip().parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'customers').entitlements({ ...query, attention: query.attention === 'true' });
    ctx.body = { data: results, meta: { pagination } };
  },
}));
