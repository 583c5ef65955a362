import type { Context } from 'koa';
import { z } from 'zod';
import { customerParamsSchema } from '../schemas/access';
import { channelListQuerySchema, paginationSchema } from '../schemas/requests';
import { defineController } from '../utils/controller';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

/** 200 when Osteocom took it, 202 when the outbox holds it for a retry. */
const reply = (ctx: Context, result: { state: string }) => {
  ctx.status = result.state === 'pending' ? 202 : 200;
  ctx.body = { data: result, meta: {} };
};

export default defineController(({ strapi }) => ({
  async authorize(ctx) {
    reply(ctx, await getService(strapi, 'access').authorize(ctx.request.body ?? {}, actorFrom(ctx)));
  },

  async revoke(ctx) {
    reply(ctx, await getService(strapi, 'access').revoke(ctx.request.body ?? {}, actorFrom(ctx)));
  },

  async resend(ctx) {
    reply(ctx, await getService(strapi, 'access').resend(ctx.request.body ?? {}, actorFrom(ctx)));
  },

  async entitlements(ctx) {
    const query = paginationSchema.extend({ attention: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).optional() }).strip().parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'customers').entitlements({ ...query, attention: query.attention === 'true' });
    ctx.body = { data: results, meta: { pagination } };
  },

  async customers(ctx) {
    const query = channelListQuerySchema.pick({ page: true, pageSize: true, q: true }).parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'customers').list(query);
    ctx.body = { data: results, meta: { pagination } };
  },

  async customer(ctx) {
    const { userId } = customerParamsSchema.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'customers').get(userId) };
  },

  async auditEvents(ctx) {
    const query = paginationSchema.extend({ userId: customerParamsSchema.shape.userId.optional() }).strip().parse(ctx.query);
    const { results, pagination } = await getService(strapi, 'audit').list(query);
    ctx.body = { data: results, meta: { pagination } };
  },
}));
