import { defineController } from '../utils/controller';
import { requestVideoToken } from '../utils/end-user-requests';

export default defineController(({ strapi }) => ({
  async create(ctx) {
    ctx.body = { data: await requestVideoToken(strapi, ctx, ctx.request.body), meta: {} };
  },
}));
