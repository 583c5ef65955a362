import { findSyncRuns, startSync } from '../../../shared/contracts/sync';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  start: defineRoute(startSync, async ({ query, ctx }) => {
    const run = await getService(strapi, 'catalog-sync').start('manual', { wait: query.wait === 'true' });
    await getService(strapi, 'audit').record({ action: 'sync', outcome: 'success', actor: actorFrom(ctx), details: { runId: run?.id } });
    ctx.status = query.wait === 'true' ? 200 : 202;
    return { data: run ?? null };
  }),

  runs: defineRoute(findSyncRuns, async ({ query }) => {
    const { results, pagination } = await getService(strapi, 'catalog-sync').listRuns(query);
    return { data: results, meta: { pagination } };
  }),
}));
