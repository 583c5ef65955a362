/**
 * Issue 13, finding 5 ("the outbox dies on a cluster's first deploy"): two playground servers
 * started together on an empty PostgreSQL database both schedule outbox passes every two
 * seconds. Their first lease acquisitions race; the unique lease name leaves exactly one
 * `outbox` row, so the compare-and-set keeps working and a purchase made while Osteocom
 * answers 503 is retried until it is active. Needs PostgreSQL on 127.0.0.1:5432.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSandbox, generateCatalog, type Sandbox } from '../../sandbox/src';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { portAnswers } from '../helpers/net';
import { ROOT_DIR } from '../helpers/paths';
import { waitFor } from '../helpers/wait';
import { startServer, stopServer, type Server } from './servers';

jest.setTimeout(120_000);

const ADMIN = { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' };
const PLUGIN_CONFIG = {
  sync: { onStartup: false, enabled: false },
  outbox: { cron: '*/2 * * * * *', backoffBaseSeconds: 1, backoffMaxSeconds: 2, maxAttempts: 50 },
  http: { timeoutMs: 5_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
};

describe('two servers starting together on an empty PostgreSQL database', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  let knex: Knex;
  const servers: Server[] = [];

  beforeAll(async () => {
    if (!(await portAnswers(5432))) throw new Error('The cluster test needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password).');
    sandbox = createSandbox({ catalog: generateCatalog({ channels: 2, videosPerChannel: 1 }) });
    await sandbox.listen();
    database = await createTestDatabase('postgres');
    knex = connectTo(database);
    const options = { database, sandbox, pluginConfig: PLUGIN_CONFIG, started: servers };
    await Promise.all([startServer('A', options), startServer('B', options)]);
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-startup-servers.log'), `${servers.flatMap((server) => server.output).join('\n')}\n`);
    await sandbox?.close();
    await knex?.destroy();
    await database?.drop();
  });

  const outboxLeases = () => knex('osteocom_leases').where({ name: 'outbox' }).select('id', 'owner');

  it('keeps exactly one outbox lease row once both servers have run passes', async () => {
    await waitFor('the first outbox pass', async () => (await outboxLeases()).length > 0, { timeoutMs: 15_000, intervalMs: 100 });
    // A few more rounds on both servers.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(await outboxLeases()).toHaveLength(1);
  });

  it('retries a purchase made while Osteocom answers 503 until it is active', async () => {
    const [a] = servers;
    const login = await fetch(`${a.base}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) });
    expect(login.status).toBe(200);
    const { data } = (await login.json()) as { data: { token: string } };
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${data.token}` };
    // The channel must be in the local catalog before it can be sold.
    expect((await fetch(`${a.base}/osteocom/sync?wait=true`, { method: 'POST', headers })).status).toBe(200);
    const userId = 'first-deploy-buyer';
    const pushes = () => sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization' && (r.body as { userId?: string })?.userId === userId);

    sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null });
    const res = await fetch(`${a.base}/osteocom/authorizations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ userId, products: [{ productId: sandbox.catalog[0].idChannel }] }),
    });
    expect(res.status).toBe(202);
    await waitFor('two outbox retries', () => pushes().length >= 3, { timeoutMs: 20_000, intervalMs: 200 });
    sandbox.clearFaults();
    await waitFor('the purchase active', async () => (await knex('osteocom_entitlements').where({ customer_key: userId }).first())?.status === 'active', {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    expect(pushes().at(-1)!.status).toBe(200);
    expect(await outboxLeases()).toHaveLength(1);
  });
});
