import { eraseCustomer, exportCustomer, findCustomer, findCustomers, searchCustomers } from '../../../shared/contracts/customers';
import { OsteocomError } from '../errors';
import { actorFrom } from '../utils/actor';
import { defineController } from '../utils/controller';
import { getService } from '../utils/get-service';

/** `osteocom-customer-<id>.json`: the id as ASCII for old clients, exact in `filename*` (RFC 6266). */
const exportDisposition = (userId: string) => {
  const ascii = userId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  // RFC 5987 leaves ' ( ) * out of attr-char, though encodeURIComponent keeps them.
  const exact = encodeURIComponent(`osteocom-customer-${userId}.json`).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="osteocom-customer-${ascii}.json"; filename*=UTF-8''${exact}`;
};

export default defineController(({ strapi }) => ({
  async find(ctx) {
    if (ctx.query && Object.hasOwn(ctx.query, 'q')) {
      throw new OsteocomError('SEARCH_BY_POST', 'Search customers with POST /osteocom/customers/search and { "q": … } in the body: a URL is written to the request log, and a search is often an email.');
    }
    const { results, pagination } = await getService(strapi, 'customers').list(findCustomers.query.parse(ctx.query));
    ctx.body = { data: results, meta: { pagination } };
  },

  async search(ctx) {
    const { results, pagination } = await getService(strapi, 'customers').list(searchCustomers.body.parse(ctx.request.body ?? {}));
    ctx.body = { data: results, meta: { pagination } };
  },

  async findOne(ctx) {
    const { userId } = findCustomer.params.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'customers').get(userId) };
  },

  /** A JSON file to hand the customer (GDPR art. 15); not cached anywhere on the way. */
  async export(ctx) {
    const { userId } = exportCustomer.params.parse(ctx.params);
    const data = await getService(strapi, 'personal-data').export(userId);
    ctx.set('Content-Disposition', exportDisposition(userId));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ data }, null, 2);
  },

  async erase(ctx) {
    const { userId } = eraseCustomer.params.parse(ctx.params);
    ctx.body = { data: await getService(strapi, 'personal-data').erase(userId, actorFrom(ctx)) };
  },
}));
