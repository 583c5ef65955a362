import type { Context } from 'koa';
import { authorize, pause, resend, resendAttention, resume, revoke } from '../../../shared/contracts/access';
import { bulkAuthorize, bulkEnvelopeSchema, bulkRevoke, bulkValidate } from '../../../shared/contracts/bulk';
import { extendEntitlements } from '../../../shared/contracts/members';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';
import { ACTIONS } from '../permissions';

/** 200 when Osteocom took it, 202 when the outbox holds it for a retry. */
const withStatus = <Result extends { state: string }>(ctx: Context, result: Result) => {
  ctx.status = result.state === 'pending' ? 202 : 200;
  return { data: result, meta: {} };
};

/** Whether the editor may send an intent: a refund needs `revoke`, a purchase `authorize`. */
const mayOf = (ctx: Context) => {
  const ability = ctx.state.userAbility as { can: (action: string) => boolean };
  return (intent: 'authorize' | 'revoke') => ability.can(ACTIONS[intent]);
};

/** Purchases, refunds and an editor's re-send: the operations that change a customer's access. */
export default defineController(({ strapi }) => ({
  authorize: defineRoute(authorize, async ({ body, ctx }) => withStatus(ctx, await getService(strapi, 'access').authorize(body, actorFrom(ctx)))),

  revoke: defineRoute(revoke, async ({ body, ctx }) => withStatus(ctx, await getService(strapi, 'access').revoke(body, actorFrom(ctx)))),

  pause: defineRoute(pause, async ({ body, ctx }) => withStatus(ctx, await getService(strapi, 'access').pause(body, actorFrom(ctx)))),

  resume: defineRoute(resume, async ({ body, ctx }) => withStatus(ctx, await getService(strapi, 'access').resume(body, actorFrom(ctx)))),

  /**
   * One result per row, in order, whatever each row's outcome: 200 unless the request as a whole is
   * refused. The route parses the envelope only: the service checks the row count, then each row alone.
   */
  bulkAuthorize: defineRoute({ ...bulkAuthorize, body: bulkEnvelopeSchema }, async ({ body, ctx }) => ({
    data: { results: await getService(strapi, 'bulk-access').authorize(body, actorFrom(ctx)) },
    meta: {},
  })),

  /** The dry run of `bulkAuthorize` (admin): one verdict per row, nothing written, Osteocom not called. */
  bulkValidate: defineRoute({ ...bulkValidate, body: bulkEnvelopeSchema }, async ({ body }) => ({
    data: { results: await getService(strapi, 'bulk-access').validate(body) },
    meta: {},
  })),

  bulkRevoke: defineRoute({ ...bulkRevoke, body: bulkEnvelopeSchema }, async ({ body, ctx }) => ({
    data: { results: await getService(strapi, 'bulk-access').revoke(body, actorFrom(ctx)) },
    meta: {},
  })),

  /** Extends or renews the selected accesses (the member list's bulk bar, the customer page, Expiring soon). */
  extend: defineRoute(extendEntitlements, async ({ body, ctx }) => ({ data: await getService(strapi, 'bulk-access').extend(body, actorFrom(ctx)), meta: {} })),

  /** The route lets in `authorize` or `revoke`; the row's intent decides which one it takes. */
  resend: defineRoute(resend, async ({ body, ctx }) => withStatus(ctx, await getService(strapi, 'access').resend(body, actorFrom(ctx), mayOf(ctx)))),

  /** Every row of Needs attention re-sent as `resend` would, each by the editor's own permission; always 200 with the counts. */
  resendAttention: defineRoute(resendAttention, async ({ ctx }) => ({
    data: await getService(strapi, 'access').resendAttention(actorFrom(ctx), mayOf(ctx)),
    meta: {},
  })),
}));
