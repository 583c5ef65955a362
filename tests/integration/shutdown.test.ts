/**
 * Production readiness, graceful shutdown: `strapi.destroy()` while a sync waits on Osteocom and
 * while purchases and video tokens are in flight returns within 10 s; the sync lease keeps its
 * owner and expires on its own (it is not released, so no other server mistakes a half-done run
 * for a finished one), nothing sold is lost, and a server started afterwards takes over.
 */
import { createStrapi } from '@strapi/strapi';
import type { Knex } from 'knex';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { connectTo } from '../helpers/db-inspect';
import { APP_DIR, APP_DIST_DIR } from '../helpers/paths';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 4, videosPerChannel: 2 });
/** Renewed every third, so a lease outlives its holder by at least 10 s: time to boot the next server. */
const LEASE_SECONDS = 15;
const SHUTDOWN_BUDGET_MS = 10_000;

interface LeaseRow {
  owner: string | null;
  expires_at: string | number;
}

/** Boots a test app; the test destroys Strapi itself, cleanup only finishes what is left. */
const withApp = async (run: (app: TestApp, destroy: () => Promise<number>) => Promise<void>) => {
  const app = await startTestApp({ sandbox: { catalog }, pluginConfig: { sync: { leaseSeconds: LEASE_SECONDS } } });
  let destroyed = false;
  const destroy = async () => {
    const started = Date.now();
    await app.strapi.destroy();
    destroyed = true;
    return Date.now() - started;
  };
  try {
    await run(app, destroy);
  } finally {
    if (!destroyed) await app.strapi.destroy();
    await app.sandbox.close();
    await app.database.drop();
  }
};

const readLease = async (knex: Knex) => (await knex('osteocom_leases').where({ name: 'catalog-sync' }).first()) as LeaseRow;

describe('graceful shutdown', () => {
  it('during a sync: returns within 10 s, the lease keeps its owner and a future expiry, and the next server takes over once it expires', async () => {
    await withApp(async (app, destroy) => {
      const { token } = await createAdmin(app, 'super');
      app.sandbox.inject({ endpoint: 'catalog', hang: true, times: 10 });
      const start = await app.http.post('/osteocom/sync').set('Authorization', `Bearer ${token}`);
      expect(start.status).toBe(202);
      // The hung catalog request has reached Osteocom: the sync is waiting on it.
      await waitFor('the catalog request in flight', () => app.sandbox.count('catalog') >= 1);
      const runId = start.body.data.id as number;

      const elapsed = await destroy();
      expect(elapsed).toBeLessThan(SHUTDOWN_BUDGET_MS);

      const knex = connectTo(app.database);
      try {
        const lease = await readLease(knex);
        const readAt = Date.now();
        expect(lease.owner).toMatch(new RegExp(`^[^:]+:${process.pid}:[0-9a-f]+$`));
        expect(Number(lease.expires_at)).toBeGreaterThan(readAt);
        expect(Number(lease.expires_at)).toBeLessThanOrEqual(readAt + LEASE_SECONDS * 1000);
        // Left as it was, for the next lease holder to close: not "failed" by a dying server.
        expect(await knex('osteocom_sync_runs').where({ id: runId }).first()).toMatchObject({ status: 'running' });
      } finally {
        await knex.destroy();
      }

      // A server started on the same database respects the lease until it expires, then takes over.
      app.sandbox.clearFaults();
      const next = await createStrapi({ appDir: APP_DIR, distDir: APP_DIST_DIR, autoReload: false, serveAdminPanel: false }).load();
      try {
        await next.server.mount();
        const sync = () => next.plugin('osteocom').service('catalog-sync').start('manual', { wait: true }).catch((error: { code?: string }) => error);
        expect(await sync()).toMatchObject({ code: 'SYNC_ALREADY_RUNNING', details: { runId } });
        const run = await waitFor('the expired lease to be taken over', async () => {
          const result = await sync();
          return result?.code === 'SYNC_ALREADY_RUNNING' ? undefined : result;
        }, { timeoutMs: (LEASE_SECONDS + 10) * 1000, intervalMs: 250 });
        expect(run).toMatchObject({ status: 'succeeded', created: catalog.length * 3 });
        expect(await next.db.query('plugin::osteocom.sync-run').findOne({ where: { id: runId } })).toMatchObject({ status: 'failed', errorCode: 'ABANDONED' });
      } finally {
        await next.destroy();
      }
    });
  });

  it('during upstream calls in flight (a purchase, a video token): returns within 10 s, and the purchase is kept as pending', async () => {
    await withApp(async (app, destroy) => {
      const { token } = await createAdmin(app, 'super');
      const admin = { Authorization: `Bearer ${token}` };
      expect((await app.http.post('/osteocom/sync?wait=true').set(admin)).body.data.status).toBe('succeeded');
      const viewer = await createEndUser(app);
      expect((await app.http.post('/osteocom/authorizations').set(admin).send({ userId: viewer.user.documentId, products: [{ productId: catalog[0].idChannel }] })).status).toBe(200);

      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', hang: true, times: 10 });
      app.sandbox.inject({ endpoint: 'videoAccess', hang: true, times: 10 });
      // Sent now (supertest sends on then()); settled whatever happens to the connection.
      const settle = (req: PromiseLike<{ status: number; body: { error?: { details?: { code?: string } } } }>) =>
        Promise.resolve(req).then(
          (res) => ({ status: res.status, code: res.body.error?.details?.code }),
          (error: Error) => ({ status: 0, code: error.message })
        );
      const purchase = settle(app.http.post('/osteocom/authorizations').set(admin).send({ userId: 'bought-at-shutdown', products: [{ productId: catalog[1].idChannel }] }));
      const play = settle(app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${viewer.jwt}`).send({ videoId: catalog[0].video[0].videoId }));
      await waitFor('both upstream calls in flight', () => app.sandbox.count('contentAccessAuthorization') >= 2 && app.sandbox.count('videoAccess') >= 1);

      const elapsed = await destroy();
      expect(elapsed).toBeLessThan(SHUTDOWN_BUDGET_MS);
      // Each caller got a clean answer (kept as pending / unavailable) or saw the connection close.
      expect([[202, undefined], [0, expect.any(String)]]).toContainEqual([(await purchase).status, (await purchase).code]);
      expect([[503, 'UPSTREAM_UNAVAILABLE'], [0, expect.any(String)]]).toContainEqual([(await play).status, (await play).code]);

      const knex = connectTo(app.database);
      try {
        const row = await knex('osteocom_entitlements').where({ customer_key: 'bought-at-shutdown' }).first();
        // Kept for the outbox; the aborted call is no attempt (finding 6: a shutdown never uses up retries).
        expect(row).toMatchObject({ status: 'pending', pending_operation: 'authorize', channel_key: catalog[1].idChannel, attempts: 0, last_error: null });
        expect(row.operation_id).toEqual(expect.any(String));
        expect((await readLease(knex))?.owner ?? null).toBeNull();
      } finally {
        await knex.destroy();
      }
    });
  });
});
