import { Readable } from 'node:stream';
import { entitlementSummary, findEntitlements } from '../../../shared/contracts/entitlements';
import { exportEntitlements } from '../../../shared/contracts/members-export';
import { actorFrom } from '../utils/actor';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  find: defineRoute(findEntitlements, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'entitlements').list({ ...query, attention: query.attention === 'true' });
    return { data: results, meta: { pagination } };
  }),

  /** A CSV download streamed a page at a time; not cached anywhere on the way. */
  export: defineRoute(
    exportEntitlements,
    async ({ query, ctx }) => {
      const csv = await getService(strapi, 'members-export').open(query, actorFrom(ctx));
      ctx.set('Content-Disposition', `attachment; filename="osteocom-members-${new Date().toISOString().slice(0, 10)}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      return csv;
    },
    {
      send(ctx, reply) {
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = Readable.from(reply);
      },
    }
  ),

  summary: defineRoute(entitlementSummary, async () => ({ data: await getService(strapi, 'entitlements').summary() })),
}));
