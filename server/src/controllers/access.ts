import type { Context } from 'koa';
import { defineController } from '../utils/controller';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';
import { ACTIONS } from '../permissions';

/** 200 when Osteocom took it, 202 when the outbox holds it for a retry. */
const reply = (ctx: Context, result: { state: string }) => {
  ctx.status = result.state === 'pending' ? 202 : 200;
  ctx.body = { data: result, meta: {} };
};

/** Purchases, refunds and an editor's re-send: the operations that change a customer's access. */
export default defineController(({ strapi }) => ({
  async authorize(ctx) {
    reply(ctx, await getService(strapi, 'access').authorize(ctx.request.body ?? {}, actorFrom(ctx)));
  },

  async revoke(ctx) {
    reply(ctx, await getService(strapi, 'access').revoke(ctx.request.body ?? {}, actorFrom(ctx)));
  },

  /** One result per row, in order, whatever each row's outcome: 200 unless the request as a whole is refused. */
  async bulkAuthorize(ctx) {
    ctx.body = { data: { results: await getService(strapi, 'bulk-access').authorize(ctx.request.body ?? {}, actorFrom(ctx)) }, meta: {} };
  },

  async bulkRevoke(ctx) {
    ctx.body = { data: { results: await getService(strapi, 'bulk-access').revoke(ctx.request.body ?? {}, actorFrom(ctx)) }, meta: {} };
  },

  /** The route lets in `authorize` or `revoke`; the row's intent decides which one it takes. */
  async resend(ctx) {
    const ability = ctx.state.userAbility as { can: (action: string) => boolean };
    const may = (intent: 'authorize' | 'revoke') => ability.can(ACTIONS[intent]);
    reply(ctx, await getService(strapi, 'access').resend(ctx.request.body ?? {}, actorFrom(ctx), may));
  },
}));
