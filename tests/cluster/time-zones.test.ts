/**
 * Issue "Production money path", finding 3: servers in different time zones. Two playground
 * server processes on one database (TEST_DATABASE: postgres by default, mysql, or sqlite on one
 * file) and one sandbox: U with TZ=UTC, K with TZ=Pacific/Kiritimati (UTC+14). Only K runs the
 * outbox (U's is scheduled once a year), so every expiry pass and retry below is K's, deciding on
 * instants U wrote:
 * - a purchase made on U until now + 2 h plays on K, and K's expiry pass revokes nothing of it
 *   (while it does revoke one that really ended);
 * - a pending purchase's next attempt, written by U, is read as the same instant by both and K's
 *   outbox sends it no earlier.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSandbox, generateCatalog, type Sandbox } from '../../sandbox/src';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { ROOT_DIR } from '../helpers/paths';
import { waitFor } from '../helpers/wait';
import { startServer, stopServer, type Server } from './servers';

jest.setTimeout(180_000);

const ADMIN = { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' };
const HOUR = 3_600_000;
const FIRST_RETRY_SECONDS = 10;
const COMMON_CONFIG = {
  sync: { onStartup: false, enabled: false },
  http: { timeoutMs: 2_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
};
const outbox = (cron: string) => ({ ...COMMON_CONFIG, outbox: { cron, backoffBaseSeconds: FIRST_RETRY_SECONDS, backoffMaxSeconds: FIRST_RETRY_SECONDS } });

interface ListedEntitlement {
  channelKey: string;
  status: string;
  pendingOperation: string | null;
  accessUntil: string | null;
  nextAttemptAt: string | null;
}

describe('servers in different time zones on one database', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  let knex: Knex;
  // One admin login per server: Strapi's own admin sessions are `datetime` rows too, and a session
  // written on the UTC server reads as expired on the Kiritimati one (Strapi's, not the plugin's).
  const admin = new Map<Server, Record<string, string>>();
  const servers: Server[] = [];
  let utc: Server;
  let kiritimati: Server;
  const post = (server: Server, route: string, body: object, headers: Record<string, string>) =>
    fetch(`${server.base}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  /**
   * The customer's entitlements as the admin reads them from `server`; without `updatedAt`, which is
   * Strapi's own column (a `datetime` like every table of the site's) and only orders lists.
   */
  const entitlementsOn = async (server: Server, userId: string) => {
    const res = await fetch(`${server.base}/osteocom/customers/${encodeURIComponent(userId)}`, { headers: admin.get(server) });
    expect(res.status).toBe(200);
    const { entitlements } = ((await res.json()) as { data: { entitlements: (ListedEntitlement & { updatedAt?: string })[] } }).data;
    return entitlements.map(({ updatedAt: _strapis, ...row }) => row);
  };

  const register = async () => {
    const name = `tz${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const res = await post(utc, '/api/auth/local/register', { username: name, email: `${name}@example.com`, password: 'Viewer-Password-1' }, {});
    expect(res.status).toBe(200);
    return (await res.json()) as { jwt: string; user: { documentId: string } };
  };

  beforeAll(async () => {
    sandbox = createSandbox({ catalog: generateCatalog({ channels: 3, videosPerChannel: 1 }) });
    await sandbox.listen();
    database = await createTestDatabase((process.env.TEST_DATABASE as TestDatabaseKind | undefined) ?? 'postgres');
    knex = connectTo(database);
    const options = { database, sandbox, started: servers };
    utc = await startServer('UTC', { ...options, pluginConfig: outbox('0 0 1 1 *'), env: { TZ: 'UTC' } });
    kiritimati = await startServer('Kiritimati', { ...options, pluginConfig: outbox('*/2 * * * * *'), env: { TZ: 'Pacific/Kiritimati' } });
    for (const server of [utc, kiritimati]) {
      const login = await post(server, '/admin/login', ADMIN, {});
      expect(login.status).toBe(200);
      admin.set(server, { Authorization: `Bearer ${((await login.json()) as { data: { token: string } }).data.token}` });
    }
    expect((await post(utc, '/osteocom/sync?wait=true', {}, admin.get(utc)!)).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-time-zones.log'), `${servers.flatMap((server) => server.output).join('\n')}\n`);
    await sandbox?.close();
    await knex?.destroy();
    await database?.drop();
  });

  it('a purchase made on the UTC server until now + 2 h plays on the Kiritimati server, whose expiry pass keeps it', async () => {
    const { jwt, user } = await register();
    const [kept, ending] = sandbox.catalog;
    const products = [
      { productId: kept.idChannel, accessUntil: new Date(Date.now() + 2 * HOUR).toISOString() },
      // Really ends during the test: K's expiry pass revoking it shows that the pass ran.
      { productId: ending.idChannel, accessUntil: new Date(Date.now() + 3_000).toISOString() },
    ];
    expect((await post(utc, '/osteocom/authorizations', { userId: user.documentId, products }, admin.get(utc)!)).status).toBe(200);

    const token = await post(kiritimati, '/api/osteocom/video-token', { videoId: kept.video[0].videoId }, { Authorization: `Bearer ${jwt}` });
    expect({ status: token.status, body: await token.json() }).toMatchObject({ status: 200, body: { data: { videoId: kept.video[0].videoId } } });

    await waitFor('the Kiritimati server to expire the access that ended', () => Boolean(sandbox.customer(user.documentId)?.activations[ending.idChannel]?.cancellationDate), {
      timeoutMs: 60_000,
    });
    const [onUtc, onKiritimati] = await Promise.all([entitlementsOn(utc, user.documentId), entitlementsOn(kiritimati, user.documentId)]);
    expect(onKiritimati).toEqual(onUtc);
    expect(onKiritimati.find((row) => row.channelKey === kept.idChannel)).toMatchObject({ status: 'active', pendingOperation: null, accessUntil: products[0].accessUntil });
    expect(sandbox.customer(user.documentId)?.activations[kept.idChannel]?.cancellationDate).toBeUndefined();
  });

  it('a pending purchase written by the UTC server is retried by the Kiritimati server at its next attempt, not before', async () => {
    const { user } = await register();
    const product = sandbox.catalog[2];
    sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, match: { userId: user.documentId } });
    const purchase = await post(utc, '/osteocom/authorizations', { userId: user.documentId, products: [{ productId: product.idChannel }] }, admin.get(utc)!);
    expect(purchase.status).toBe(202);

    const [onUtc, onKiritimati] = await Promise.all([entitlementsOn(utc, user.documentId), entitlementsOn(kiritimati, user.documentId)]);
    expect(onKiritimati).toEqual(onUtc);
    const nextAttemptAt = Date.parse(onUtc[0].nextAttemptAt!);
    expect(nextAttemptAt).toBeGreaterThan(Date.now());

    await waitFor('the Kiritimati server to send the purchase again', async () => (await entitlementsOn(kiritimati, user.documentId))[0].status === 'active', { timeoutMs: 90_000 });
    const calls = sandbox.requests.filter((request) => request.endpoint === 'contentAccessAuthorization' && (request.body as { userId?: string }).userId === user.documentId);
    expect(calls.map((call) => call.status)).toEqual([503, 200]);
    expect(calls[1].at.getTime()).toBeGreaterThanOrEqual(nextAttemptAt);
  });
});
