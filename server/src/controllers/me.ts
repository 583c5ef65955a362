import { OsteocomError } from '../errors';
import { defineController } from '../utils/controller';
import { endUserId } from '../utils/end-user';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async get(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const userId = endUserId(strapi, ctx);
    if (!userId) throw new OsteocomError('FORBIDDEN', 'This route is for signed-in end users.');
    ctx.body = { data: { userId, entitlements: await getService(strapi, 'customers').entitlementsWithTitles(userId) }, meta: {} };
  },
}));
