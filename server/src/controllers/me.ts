import { getMe } from '../../../shared/contracts/me';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { requestMe } from '../utils/end-user-requests';

export default defineController(({ strapi }) => ({
  get: defineRoute(getMe, async ({ ctx }) => ({ data: await requestMe(strapi, ctx), meta: {} })),
}));
