/**
 * Issue "Production money path", finding 8: limits each server kept to itself. Two playground
 * server processes on one database (TEST_DATABASE: postgres by default, mysql, or sqlite on one
 * file) and one sandbox, as two servers behind one address:
 * - a user's video-token calls are limited to the configured rate in total, not per server;
 * - the outbox lease of a server killed mid-pass (kill -9) is taken over within the default
 *   `outbox.leaseSeconds` (30 s), and the purchase it was sending completes;
 * - finding 2 (a): a server killed (kill -9) while its refund is on the wire, the customer buying
 *   again on another: the refund lands late, and Osteocom still ends holding the purchase;
 * - a report's channel ranking kept by one server is ranked afresh after a sale on the other.
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
const RATE = { max: 4, windowSeconds: 600 };
const DEFAULT_LEASE_SECONDS = 30;
const PLUGIN_CONFIG = {
  sync: { onStartup: false, enabled: false },
  // outbox.leaseSeconds is left at its default: the takeover bound under test.
  outbox: { cron: '*/2 * * * * *', backoffBaseSeconds: 1, backoffMaxSeconds: 2 },
  http: { timeoutMs: 120_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
  videoToken: { rateLimit: RATE },
};

describe('two servers behind one address', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  let knex: Knex;
  let admin: Record<string, string>;
  const servers: Server[] = [];
  const post = (server: Server, route: string, body: object, headers: Record<string, string>) =>
    fetch(`${server.base}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = createSandbox({ catalog: generateCatalog({ channels: 2, videosPerChannel: 1 }) });
    await sandbox.listen();
    database = await createTestDatabase((process.env.TEST_DATABASE as TestDatabaseKind | undefined) ?? 'postgres');
    knex = connectTo(database);
    const options = { database, sandbox, pluginConfig: PLUGIN_CONFIG, started: servers };
    // One after the other: the first creates the schema, as a rolling deploy would.
    await startServer('A', options);
    await startServer('B', options);
    const login = await post(servers[0], '/admin/login', ADMIN, {});
    expect(login.status).toBe(200);
    admin = { Authorization: `Bearer ${((await login.json()) as { data: { token: string } }).data.token}` };
    expect((await post(servers[0], '/osteocom/sync?wait=true', {}, admin)).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-several-servers.log'), `${servers.flatMap((server) => server.output).join('\n')}\n`);
    await sandbox?.close();
    await knex?.destroy();
    await database?.drop();
  });

  const entitlement = (userId: string) => knex('osteocom_entitlements').where({ customer_key: userId }).first();

  it("a user's video-token calls are limited to the configured rate in total, not per server", async () => {
    const name = `viewer${Date.now()}`;
    const registered = await post(servers[0], '/api/auth/local/register', { username: name, email: `${name}@example.com`, password: 'Viewer-Password-1' }, {});
    expect(registered.status).toBe(200);
    const { jwt, user } = (await registered.json()) as { jwt: string; user: { documentId: string } };
    expect((await post(servers[0], '/osteocom/authorizations', { userId: user.documentId, products: [{ productId: sandbox.catalog[0].idChannel }] }, admin)).status).toBe(200);
    const statuses: number[] = [];
    for (let call = 0; call < 2 * RATE.max; call += 1) {
      const res = await post(servers[call % 2], '/api/osteocom/video-token', { videoId: sandbox.catalog[0].video[0].videoId }, { Authorization: `Bearer ${jwt}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(RATE.max).fill(200), ...Array(RATE.max).fill(429)]);
  });

  it("a report's channel ranking kept by one server shows a sale made on the other at its next request", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const channel = sandbox.catalog[1].idChannel;
    const figuresOn = async (server: Server) => {
      const res = await fetch(`${server.base}/osteocom/reports?from=${today}&to=${tomorrow}`, { headers: admin });
      expect(res.status).toBe(200);
      const { channels } = ((await res.json()) as { data: { channels: { idChannel: string; purchases: number; revenue: number }[] } }).data;
      return channels.find((row) => row.idChannel === channel) ?? { idChannel: channel, purchases: 0, revenue: 0 };
    };
    const before = await figuresOn(servers[0]);
    expect(await figuresOn(servers[0])).toEqual(before);
    const bought = await post(servers[1], '/osteocom/authorizations', { userId: `ranked${Date.now()}`, products: [{ productId: channel, price: 4_200 }] }, admin);
    expect(bought.status).toBe(200);
    expect(await figuresOn(servers[0])).toMatchObject({ purchases: before.purchases + 1, revenue: before.revenue + 4_200 });
  });

  it('kill -9 of the server holding the outbox lease mid-pass: the other takes over within the default lease and completes the purchase', async () => {
    const userId = 'bought-during-a-crash';
    sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, match: { userId } });
    expect((await post(servers[0], '/osteocom/authorizations', { userId, products: [{ productId: sandbox.catalog[1].idChannel }] }, admin)).status).toBe(202);
    // The next push hangs at Osteocom: whichever server holds the outbox lease is stuck mid-pass.
    sandbox.inject({ endpoint: 'contentAccessAuthorization', hang: true, match: { userId } });
    await knex('osteocom_entitlements').where({ customer_key: userId }).update({ next_attempt_at: 0 });
    await waitFor('a server stuck sending the purchase', () => sandbox.inFlight('contentAccessAuthorization') === 1, { timeoutMs: 30_000, intervalMs: 50 });
    const lease = await knex('osteocom_leases').where({ name: 'outbox' }).first();
    const holderPid = Number(String(lease.owner).split(':')[1]);
    const holder = servers.find((server) => server.child.pid === holderPid)!;
    expect(holder).toBeDefined();
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    await holder.exited;
    await waitFor('the survivor to complete the purchase', async () => (await entitlement(userId))?.status === 'active', { timeoutMs: 90_000, intervalMs: 200 });
    const takenOverMs = Date.now() - killedAt;
    // The lease, then at most one outbox tick (2 s) and the call; not a fixed 120 s.
    expect(takenOverMs).toBeLessThan((DEFAULT_LEASE_SECONDS + 15) * 1000);
    expect((await knex('osteocom_leases').where({ name: 'outbox' }).first()).owner ?? '').not.toContain(`:${holderPid}:`);
  });

  it('finding 2: a server killed (kill -9) while its refund is on the wire, then a re-purchase on another: Osteocom ends active too', async () => {
    const userId = 'refunded-then-killed';
    const productId = sandbox.catalog[0].idChannel;
    // A third server to kill: the earlier test may have killed one of the first two.
    const doomed = await startServer('C', { database, sandbox, pluginConfig: PLUGIN_CONFIG, started: servers });
    const survivor = servers.find((server) => server !== doomed && server.child.exitCode === null && server.child.signalCode === null)!;
    expect((await post(survivor, '/osteocom/authorizations', { userId, products: [{ productId }] }, admin)).status).toBe(200);
    sandbox.inject({ endpoint: 'revocateActivation', hold: true, latencyPhase: 'before', match: { userId } });
    void post(doomed, '/osteocom/revocations', { userId, channelId: productId }, admin).catch(() => undefined);
    await waitFor('the refund at Osteocom', () => sandbox.inFlight('revocateActivation') === 1, { timeoutMs: 30_000, intervalMs: 20 });
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const rebought = await post(survivor, '/osteocom/authorizations', { userId, products: [{ productId }] }, admin);
    expect([rebought.status, ((await rebought.json()) as { data: { state: string } }).data.state]).toEqual([200, 'active']);
    // The dead server's refund lands after the re-purchase.
    await waitFor('the held refund released', () => sandbox.release() === 1);
    await waitFor('the dead server\'s refund to land', () => Boolean(sandbox.customer(userId)?.activations[productId]?.cancellationDate), { timeoutMs: 30_000, intervalMs: 100 });
    const row = await entitlement(userId);
    expect(row).toMatchObject({ status: 'active', pending_operation: 'authorize' });
    // The purchase goes out again once the refund can no longer land; that bound is the call's
    // timeout (minutes here), so the test moves it into the past (the clock is not mocked; the
    // columns hold epoch milliseconds).
    const past = new Date(Date.now() - 1_000);
    const calls = (typeof row.calls === 'string' ? JSON.parse(row.calls) : row.calls) as { until: string }[];
    await knex('osteocom_entitlements')
      .where({ customer_key: userId })
      .update({ next_attempt_at: past.getTime(), doubt_until: past.getTime(), calls: JSON.stringify(calls.map((call) => ({ ...call, until: past.toISOString() }))) });
    await waitFor('Osteocom to hold the purchase again', async () => {
      const activation = sandbox.customer(userId)?.activations[productId];
      return activation && !activation.cancellationDate && (await entitlement(userId))?.pending_operation === null;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    expect(await entitlement(userId)).toMatchObject({ status: 'active', pending_operation: null });
  });
});
