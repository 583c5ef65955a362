import { eraseCustomer, exportCustomer, findCustomer, findCustomers, searchCustomers } from '../../../shared/contracts/customers';
import { searchMembers } from '../../../shared/contracts/members';
import { OsteocomError } from '../errors';
import { actorFrom } from '../utils/actor';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { getService } from '../utils/get-service';

/** `osteocom-customer-<id>.json`: the id as ASCII for old clients, exact in `filename*` (RFC 6266). */
const exportDisposition = (userId: string) => {
  const ascii = userId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  // RFC 5987 leaves ' ( ) * out of attr-char, though encodeURIComponent keeps them.
  const exact = encodeURIComponent(`osteocom-customer-${userId}.json`).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="osteocom-customer-${ascii}.json"; filename*=UTF-8''${exact}`;
};

export default defineController(({ strapi }) => ({
  find: defineRoute(findCustomers, async ({ query, ctx }) => {
    if (Object.hasOwn(ctx.query, 'q')) {
      throw new OsteocomError('SEARCH_BY_POST', 'Search customers with POST /osteocom/customers/search and { "q": … } in the body: a URL is written to the request log, and a search is often an email.');
    }
    const { results, pagination } = await getService(strapi, 'customers').list(query);
    return { data: results, meta: { pagination } };
  }),

  search: defineRoute(searchCustomers, async ({ body }) => {
    const { results, pagination } = await getService(strapi, 'customers').list(body);
    return { data: results, meta: { pagination } };
  }),

  /** The member list: customer × channel rows, filtered, sorted and paged by the database. */
  members: defineRoute(searchMembers, async ({ body }) => {
    const service = getService(strapi, 'customers');
    const [{ results, pagination }, timeZone] = await Promise.all([service.members(body), service.siteZone()]);
    return { data: results, meta: { pagination, timeZone } };
  }),

  findOne: defineRoute(findCustomer, async ({ params }) => ({ data: await getService(strapi, 'customers').get(params.userId) })),

  /** A JSON file to hand the customer (GDPR art. 15), indented for a person to read; not cached anywhere on the way. */
  export: defineRoute(
    exportCustomer,
    async ({ params, ctx }) => {
      const data = await getService(strapi, 'personal-data').export(params.userId, actorFrom(ctx));
      ctx.set('Content-Disposition', exportDisposition(params.userId));
      ctx.set('Cache-Control', 'no-store');
      return { data };
    },
    {
      send(ctx, reply) {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify(reply, null, 2);
      },
    }
  ),

  erase: defineRoute(eraseCustomer, async ({ params, ctx }) => ({ data: await getService(strapi, 'personal-data').erase(params.userId, actorFrom(ctx)) })),
}));
