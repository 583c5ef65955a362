import { findSyncRuns, startSync } from '../../../shared/contracts/sync';
import { defineController } from '../utils/controller';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  async start(ctx) {
    const { wait } = startSync.query.parse(ctx.query);
    const run = await getService(strapi, 'catalog-sync').start('manual', { wait: wait === 'true' });
    await getService(strapi, 'audit').record({ action: 'sync', outcome: 'success', actor: actorFrom(ctx), details: { runId: run?.id } });
    ctx.status = wait === 'true' ? 200 : 202;
    ctx.body = { data: run };
  },

  async runs(ctx) {
    const { results, pagination } = await getService(strapi, 'catalog-sync').listRuns(findSyncRuns.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },
}));
