import { defineController } from '../utils/controller';
import { requestMe } from '../utils/end-user-requests';

export default defineController(({ strapi }) => ({
  async get(ctx) {
    ctx.body = { data: await requestMe(strapi, ctx), meta: {} };
  },
}));
