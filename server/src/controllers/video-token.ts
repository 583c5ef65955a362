import { createVideoToken } from '../../../shared/contracts/video-token';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { requestVideoToken } from '../utils/end-user-requests';

export default defineController(({ strapi }) => ({
  create: defineRoute(createVideoToken, async ({ body, ctx }) => ({ data: await requestVideoToken(strapi, ctx, body), meta: {} })),
}));
