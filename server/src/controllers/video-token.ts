import { OsteocomError } from '../errors';
import { videoTokenBodySchema } from '../schemas/video-token';
import { defineController } from '../utils/controller';
import { isApiToken } from '../utils/actor';
import { endUserId } from '../utils/end-user';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async create(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = videoTokenBodySchema.parse(ctx.request.body ?? {});
    const caller = isApiToken(ctx) ? `token:${ctx.state.auth.credentials?.id}` : `user:${ctx.state.user?.id}`;
    getService(strapi, 'rate-limit').hit(caller);
    const userId = isApiToken(ctx) ? body.userId : endUserId(strapi, ctx);
    if (!userId) throw new OsteocomError('VALIDATION_ERROR', 'userId is required when calling with an API token.');
    ctx.body = { data: await getService(strapi, 'video-token').issue(userId, body.videoId), meta: {} };
  },
}));
