/**
 * The playground Strapi of `bench:scale`, in its own process: it serves HTTP like bench/serve.ts
 * and, on its parent's IPC messages, fills the customer and entitlement tables with direct
 * inserts and times an outbox pass (a job, not a route).
 */
import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';
import { APP_DIR } from './lib';
import { chunk, newDocumentId, tableOf } from '../server/src/utils/db';

export interface FillRequest {
  type: 'fill';
  customers: number;
  entitlementsPerCustomer: number;
  channels: string[];
}

export interface OutboxRequest {
  type: 'outbox';
}

const ROWS_PER_STATEMENT = 500;
const CUSTOMERS_PER_TRANSACTION = 20_000;

/** The history the fill spreads purchases over: two years, so a month's report reads a month of it. */
const HISTORY_DAYS = 730;
const DAY_MS = 86_400_000;

/**
 * Customers `fill-<n>` holding active entitlements to channels taken in turn, bought on days spread
 * over the last two years. The report's ledger is filled from them by the next server's bootstrap,
 * as an upgraded site's is.
 */
const fill = async (strapi: Core.Strapi, { customers, entitlementsPerCustomer, channels }: FillRequest) => {
  const knex = strapi.db.connection;
  const customer = tableOf(strapi, 'plugin::osteocom.customer');
  const entitlement = tableOf(strapi, 'plugin::osteocom.entitlement');
  const now = new Date();
  const stamps = (table: typeof customer) => ({
    [table.column('documentId')]: newDocumentId(),
    [table.column('createdAt')]: now,
    [table.column('updatedAt')]: now,
    [table.column('publishedAt')]: now,
  });
  for (let first = 0; first < customers; first += CUSTOMERS_PER_TRANSACTION) {
    const ids = Array.from({ length: Math.min(CUSTOMERS_PER_TRANSACTION, customers - first) }, (_, i) => `fill-${first + i}`);
    const customerRows = ids.map((userId) => ({ ...stamps(customer), [customer.column('userId')]: userId, [customer.column('email')]: `${userId}@example.com` }));
    const entitlementRows = ids.flatMap((userId, i) =>
      Array.from({ length: entitlementsPerCustomer }, (_, j) => {
        const channelKey = channels[((first + i) * entitlementsPerCustomer + j) % channels.length];
        return {
          ...stamps(entitlement),
          [entitlement.column('customerKey')]: userId,
          [entitlement.column('channelKey')]: channelKey,
          [entitlement.column('entitlementKey')]: `${userId}::${channelKey}`,
          [entitlement.column('price')]: 100,
          [entitlement.column('status')]: 'active',
          [entitlement.column('authorizedAt')]: now.getTime() - (((first + i) * entitlementsPerCustomer + j) % HISTORY_DAYS) * DAY_MS,
        };
      })
    );
    await knex.transaction(async (trx) => {
      for (const part of chunk(customerRows, ROWS_PER_STATEMENT)) await trx(customer.name).insert(part);
      for (const part of chunk(entitlementRows, ROWS_PER_STATEMENT)) await trx(entitlement.name).insert(part);
    });
  }
  // The planner's statistics, as a database that has grown over time would have them.
  if (strapi.db.dialect.client !== 'mysql') await knex.raw('ANALYZE');
};

/** One outbox pass with nothing due, timed: the cost of finding the due rows among all the others. */
const outboxPass = async (strapi: Core.Strapi) => {
  const outbox = strapi.plugin('osteocom').service('outbox') as { runOnce(): Promise<number | null> };
  const started = performance.now();
  if ((await outbox.runOnce()) === null) throw new Error('the outbox lease was busy');
  return performance.now() - started;
};

const main = async () => {
  const strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false });
  await strapi.start();
  process.on('message', (message: FillRequest | OutboxRequest) => {
    const work = message.type === 'fill' ? fill(strapi, message).then(() => 0) : outboxPass(strapi);
    work.then(
      (value) => process.send?.({ ok: true, value }),
      (error: Error) => process.send?.({ ok: false, error: error.stack ?? error.message })
    );
  });
  process.stdout.write(`BENCH SERVER READY ${process.env.PORT}\n`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
