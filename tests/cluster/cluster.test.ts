/**
 * Production readiness, several servers: two playground Strapi processes on one fresh PostgreSQL
 * database against one sandbox (in this process). Shows that a settings change made through one
 * server reaches the other, that cron fires on both but each tick syncs once, that the outbox runs
 * on one server at a time, that "Sync now" on both at once runs once, and that killing the lease
 * holder mid-write (kill -9) hands the sync over once the lease expires, with a complete catalog
 * and no duplicate rows. Needs PostgreSQL on 127.0.0.1:5432 (`npm test` runs it when it answers).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSandbox, generateCatalog, type Sandbox, type SandboxChannel } from '../../sandbox/src';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { portAnswers } from '../helpers/net';
import { ROOT_DIR } from '../helpers/paths';
import { sleep, waitFor } from '../helpers/wait';
import { startServer, stopServer, type Server } from './servers';

jest.setTimeout(180_000);

const ADMIN = { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' };
const LEASE_SECONDS = 3;
const PLUGIN_CONFIG = {
  // Only this test's actions start syncs; the schedule is a setting, changed through the servers.
  sync: { onStartup: false, leaseSeconds: LEASE_SECONDS, chunkSize: 20 },
  // A pass every second on each server, one attempt per push: each request seen is one push.
  outbox: { cron: '* * * * * *', backoffBaseSeconds: 1, maxAttempts: 50 },
  http: { timeoutMs: 5_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
};
const EVERY_FIVE_SECONDS = '*/5 * * * * *';

/** The fields this test reads from the plugin's `{ data }` / `{ error }` replies. */
interface Reply {
  data?: { token?: string; nextSyncAt?: string | null; state?: string; id?: number; length?: number };
  error?: { details?: { code?: string; runId?: number | null } };
}

describe('two Strapi servers on one PostgreSQL database', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  let knex: Knex;
  let lock: Knex.Transaction | undefined;
  const servers: Server[] = [];
  let admin: string;

  const start = (name: string) => startServer(name, { database, sandbox, pluginConfig: PLUGIN_CONFIG, started: servers });

  const api = async (server: Server, method: string, url: string, body?: unknown, token = admin) => {
    const res = await fetch(`${server.base}${url}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Reply };
  };

  /** When this server's scheduled sync fires next, in ms from now (null when it has none). */
  const nextSyncIn = async (server: Server) => {
    const res = await api(server, 'GET', '/osteocom/overview');
    expect(res.status).toBe(200);
    const next = res.body.data?.nextSyncAt ?? null;
    return next === null ? null : new Date(next).getTime() - Date.now();
  };

  // started_at is epoch ms (a string on PostgreSQL and MySQL, a number on SQLite).
  const runsSince = async (since: Date) =>
    (await knex('osteocom_sync_runs').where('started_at', '>=', since.getTime()).orderBy('id')) as {
      id: number;
      trigger: string;
      status: string;
      started_at: string | number;
      finished_at: string | number | null;
      server: string;
      tick: string | null;
      error_code: string | null;
    }[];

  beforeAll(async () => {
    if (!(await portAnswers(5432))) throw new Error('The cluster test needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password).');
    sandbox = createSandbox({ catalog: generateCatalog({ channels: 10, videosPerChannel: 5 }) });
    await sandbox.listen();
    database = await createTestDatabase('postgres');
    knex = connectTo(database);
    // One after the other: the first creates the schema and seeds the playground admin.
    const a = await start('A');
    const login = await api(a, 'POST', '/admin/login', ADMIN, '');
    expect(login.status).toBe(200);
    admin = login.body.data!.token!;
    // No scheduled sync until the test sets one: the second server reads this when it starts.
    expect((await api(a, 'PUT', '/osteocom/settings', { syncEnabled: false })).status).toBe(200);
    await start('B');
  });

  afterAll(async () => {
    await lock?.rollback().catch(() => undefined);
    await Promise.all(servers.map(stopServer));
    // What the servers logged, for when an assertion alone does not tell why.
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-servers.log'), `${servers.flatMap((server) => server.output).join('\n')}\n`);
    await sandbox?.close();
    await knex?.destroy();
    await database?.drop();
  });

  it('starts both servers with no sync scheduled', async () => {
    const [a, b] = servers;
    expect(await nextSyncIn(a)).toBeNull();
    expect(await nextSyncIn(b)).toBeNull();
  });

  it('applies a schedule saved through one server on the other (its reconcile job re-reads settings every 30 s)', async () => {
    const [a, b] = servers;
    const saved = await api(a, 'PUT', '/osteocom/settings', { syncEnabled: true, syncCron: EVERY_FIVE_SECONDS });
    expect(saved.status).toBe(200);
    // The server that saved it applies it at once; the other on its next reconcile.
    expect(await nextSyncIn(a)).toBeLessThanOrEqual(5_000);
    const onB = await waitFor('server B to schedule the new sync', async () => {
      const next = await nextSyncIn(b);
      return next !== null && next <= 5_000 ? next : undefined;
    }, { timeoutMs: 45_000, intervalMs: 500 });
    expect(onB).toBeGreaterThan(-1_000);
  });

  it('fires the cron on both servers, and each tick syncs exactly once', async () => {
    const [a, b] = servers;
    // Both have the job; watch the next three ticks.
    expect(await nextSyncIn(a)).toBeLessThanOrEqual(5_000);
    expect(await nextSyncIn(b)).toBeLessThanOrEqual(5_000);
    const from = Math.ceil((Date.now() + 1) / 5_000) * 5_000;
    const ticks = [0, 1, 2].map((i) => from + i * 5_000);
    const cronRuns = async () => (await runsSince(new Date(0))).filter((run) => run.trigger === 'cron');
    const tickOf = (run: { tick: string | null }) => new Date(run.tick ?? 0).getTime();
    // A run names the tick it served; it may start seconds late on a loaded machine, so wait on the
    // runs' ticks, not on when they began: until a run of a later tick has ended.
    await waitFor('the schedule past three ticks', async () => {
      const runs = await cronRuns();
      return runs.some((run) => tickOf(run) >= ticks[2] && run.status !== 'running') && runs.every((run) => tickOf(run) > ticks[2] || run.status !== 'running');
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const runs = await cronRuns();

    // No tick, these or any other, served twice by the two servers.
    const served = runs.map(tickOf);
    expect(served.filter((tick, i) => served.indexOf(tick) !== i)).toEqual([]);
    for (const tick of ticks) {
      const at = new Date(tick).toISOString();
      const run = runs.find((row) => tickOf(row) === tick);
      if (!run) {
        // A tick fired while a sync was still going on (the lease holds it) is left to that sync,
        // one begun near the tick (its lease is released some time after its row says it finished).
        const busy = runs.filter((row) => Math.abs(Number(row.started_at) - tick) < 5_000);
        expect({ at, skippedWhileBusy: busy.length > 0 }).toEqual({ at, skippedWhileBusy: true });
        continue;
      }
      // One call to Osteocom per run: runs hold the lease in turn, so each call falls in one run.
      const calls = sandbox.requests.filter((r) => r.endpoint === 'catalog' && r.at.getTime() >= Number(run.started_at) && r.at.getTime() <= Number(run.finished_at));
      expect([at, run.status, calls.length]).toEqual([at, 'succeeded', 1]);
    }
    // On a machine this quiet or busy, at least one of the three was served.
    expect(ticks.filter((tick) => served.includes(tick)).length).toBeGreaterThan(0);
  });

  it('applies a change made through the other server too (sync off), on both', async () => {
    const [a, b] = servers;
    expect((await api(b, 'PUT', '/osteocom/settings', { syncEnabled: false })).status).toBe(200);
    expect(await nextSyncIn(b)).toBeNull();
    await waitFor('server A to drop the schedule', async () => (await nextSyncIn(a)) === null, { timeoutMs: 45_000, intervalMs: 500 });
  });

  it('runs the outbox on one server at a time: each pending purchase reaches Osteocom once per retry round', async () => {
    const [a, b] = servers;
    const channel = sandbox.catalog[0].idChannel;
    const users = Array.from({ length: 8 }, (_, i) => `cluster-buyer-${i}`);
    const started = Date.now();
    const pushesOf = (userId: string) =>
      sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization' && (r.body as { userId?: string })?.userId === userId && r.at.getTime() >= started);
    sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null });
    for (const [i, userId] of users.entries()) {
      const res = await api(i % 2 ? b : a, 'POST', '/osteocom/authorizations', { userId, products: [{ productId: channel }] });
      expect([res.status, res.body.data?.state]).toEqual([202, 'pending']);
    }
    // Both servers' outbox jobs retry for a few rounds while Osteocom still fails, then it is back.
    await waitFor('two retry rounds for every purchase', () => users.every((userId) => pushesOf(userId).length >= 3), { timeoutMs: 30_000, intervalMs: 200 });
    sandbox.clearFaults();
    await waitFor('every purchase active', async () => {
      const rows = await knex('osteocom_entitlements').whereIn('customer_key', users).select('status');
      return rows.length === users.length && rows.every((row: { status: string }) => row.status === 'active');
    }, { timeoutMs: 30_000, intervalMs: 250 });
    await sleep(1_500);

    for (const userId of users) {
      const pushes = pushesOf(userId).map((r) => ({ at: r.at.getTime(), status: r.status }));
      expect(pushes.filter((push) => push.status === 200)).toHaveLength(1);
      expect(pushes.at(-1)!.status).toBe(200);
      // Backoff is at least 1 s after each failure: two servers pushing the same purchase in one round would be closer.
      const gaps = pushes.slice(1).map((push, i) => push.at - pushes[i].at);
      expect({ userId, closePushes: gaps.filter((gap) => gap < 900) }).toEqual({ userId, closePushes: [] });
    }
  });

  describe('a sync interrupted by a dead server', () => {
    let linkTable: string;
    let winner: Server;
    let runId: number;
    const extra = generateCatalog({ channels: 30, videosPerChannel: 20, seed: 'cluster-extra' });
    let expected: SandboxChannel[];

    it('runs "Sync now" pressed on both servers at once only once: the other answers 409 SYNC_ALREADY_RUNNING', async () => {
      const [a, b] = servers;
      expected = [...sandbox.catalog, ...extra];
      sandbox.setCatalog(expected);
      linkTable = (await knex('information_schema.tables').where('table_name', 'like', 'osteocom_videos%lnk').first()).table_name;
      // Holds the sync in the middle of its one transaction: channels and videos written, the links wait.
      lock = await knex.transaction();
      await lock.raw('LOCK TABLE ?? IN EXCLUSIVE MODE', [linkTable]);
      const before = (await runsSince(new Date(0))).length;

      const replies = await Promise.all([a, b].map((server) => api(server, 'POST', '/osteocom/sync')));
      expect(replies.map((reply) => reply.status).sort()).toEqual([202, 409]);
      const won = replies.findIndex((reply) => reply.status === 202);
      winner = [a, b][won];
      runId = replies[won].body.data!.id!;
      const refused = replies[1 - won].body.error!;
      expect(refused.details!.code).toBe('SYNC_ALREADY_RUNNING');
      expect(refused.details!.runId).toBe(runId);
      expect((await runsSince(new Date(0))).length).toBe(before + 1);
    });

    it('hands the sync over when its holder is killed mid-write: once the lease expires, the other completes it with no duplicate row', async () => {
      const channelsBefore = 10;
      await waitFor('the holder blocked in the middle of its writes', async () => {
        const waiting = await knex.raw('select count(*)::int as n from pg_locks where not granted and relation = ?::regclass', [linkTable]);
        return waiting.rows[0].n >= 1;
      }, { timeoutMs: 30_000, intervalMs: 100 });
      // Nothing of the run is visible before it commits.
      const [{ count: channels }] = await knex('osteocom_channels').count({ count: '*' });
      expect(Number(channels)).toBe(channelsBefore);

      const lease = await knex('osteocom_leases').where({ name: 'catalog-sync' }).first();
      const holderPid = Number(String(lease.owner).split(':')[1]);
      expect(holderPid).toBe(winner.child.pid);
      winner.child.kill('SIGKILL');
      await winner.exited;
      await lock!.rollback();
      lock = undefined;
      const survivor = servers.find((server) => server !== winner)!;

      // The lease outlives its dead holder until it expires ...
      const early = await api(survivor, 'POST', '/osteocom/sync?wait=true');
      expect([early.status, early.body.error?.details?.code, early.body.error?.details?.runId]).toEqual([409, 'SYNC_ALREADY_RUNNING', runId]);
      // ... then the survivor takes it over and completes the catalog.
      const done = await waitFor('the survivor to take the expired lease over', async () => {
        const res = await api(survivor, 'POST', '/osteocom/sync?wait=true');
        return res.status === 409 ? undefined : res;
      }, { timeoutMs: (LEASE_SECONDS + 20) * 1000, intervalMs: 250 });
      expect(done.status).toBe(200);
      const videos = expected.reduce((sum, channel) => sum + channel.video.length, 0);
      // The dead holder's writes died with its transaction: the survivor creates every new row.
      expect(done.body.data).toMatchObject({ status: 'succeeded', created: extra.length + extra.length * 20, updated: 0, removed: 0 });

      const count = async (table: string, column: string) => {
        const [row] = await knex(table).select(knex.raw('count(*)::int as total'), knex.raw(`count(distinct ${column})::int as distinct`));
        return row as { total: number; distinct: number };
      };
      expect(await count('osteocom_channels', 'id_channel')).toEqual({ total: expected.length, distinct: expected.length });
      expect(await count('osteocom_videos', 'video_id')).toEqual({ total: videos, distinct: videos });
      expect(await count(linkTable, 'video_id')).toEqual({ total: videos, distinct: videos });
      expect(await knex('osteocom_sync_runs').where({ id: runId }).first()).toMatchObject({ status: 'failed', error_code: 'ABANDONED' });
      // The public API serves the whole catalog.
      const page = await api(survivor, 'GET', '/api/osteocom/channels?pageSize=100', undefined, '');
      expect(page.body.data).toHaveLength(expected.length);
    });
  });
});
