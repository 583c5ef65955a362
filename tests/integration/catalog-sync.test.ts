import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CHANNEL = 'plugin::osteocom.channel';
const VIDEO = 'plugin::osteocom.video';

/** Counts the INSERT/UPDATE/DELETE statements knex sends to the catalog tables. */
const countWrites = (app: TestApp) => {
  let writes = 0;
  const listener = (query: { sql: string }) => {
    if (/^\s*(insert|update|delete)/i.test(query.sql) && /osteocom_(channels|videos)/i.test(query.sql)) writes += 1;
  };
  app.strapi.db.connection.on('query', listener);
  return () => {
    app.strapi.db.connection.off('query', listener);
    return writes;
  };
};

describe('catalog sync', () => {
  let app: TestApp;
  let admin: string;
  const catalog = generateCatalog({ channels: 6, videosPerChannel: 4 });

  const sync = async () => {
    const res = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    return res.body.data;
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
  });

  afterAll(() => app.close());

  it('creates every channel and video on the first sync, linked to their channel', async () => {
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', created: 6 + 24, updated: 0, removed: 0 });
    expect(await app.strapi.db.query(CHANNEL).count()).toBe(6);
    expect(await app.strapi.db.query(VIDEO).count()).toBe(24);
    const video = await app.strapi.db.query(VIDEO).findOne({ where: { videoId: catalog[2].video[1].videoId }, populate: ['channel'] });
    expect(video.channel.idChannel).toBe(catalog[2].idChannel);
    expect(video.position).toBe(1);
  });

  it('writes nothing when the catalog did not change', async () => {
    const stop = countWrites(app);
    const run = await sync();
    expect(stop()).toBe(0);
    expect(run).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 30, removed: 0, restored: 0 });
  });

  it('updates exactly the rows changed upstream', async () => {
    app.sandbox.updateChannel(catalog[0].idChannel, { title: 'Renamed course' });
    const changed = app.sandbox.catalog[1];
    app.sandbox.updateChannel(changed.idChannel, { video: changed.video.map((v, i) => (i === 0 ? { ...v, duration: 99 } : v)) });
    const run = await sync();
    expect(run).toMatchObject({ created: 0, updated: 2, unchanged: 28 });
    expect((await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: catalog[0].idChannel } })).title).toBe('Renamed course');
    expect((await app.strapi.db.query(VIDEO).findOne({ where: { videoId: changed.video[0].videoId } })).duration).toBe(99);
  });

  it('marks a channel dropped upstream as removed, never deletes it, and restores it when it returns', async () => {
    const dropped = app.sandbox.catalog[5];
    app.sandbox.removeChannel(dropped.idChannel);
    const removed = await sync();
    expect(removed).toMatchObject({ status: 'succeeded', removed: 1 + 4 });
    const row = await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: dropped.idChannel } });
    expect(row.availability).toBe('removed');
    const publicList = await app.http.get('/api/osteocom/channels');
    expect(publicList.body.data.map((c: { idChannel: string }) => c.idChannel)).not.toContain(dropped.idChannel);

    app.sandbox.addChannel(dropped);
    const restored = await sync();
    expect(restored).toMatchObject({ status: 'succeeded', restored: 1 + 4, removed: 0 });
    expect((await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: dropped.idChannel } })).availability).toBe('available');
    expect(await app.strapi.db.query(CHANNEL).count()).toBe(6);
  });

  it('refuses a catalog that would remove most channels, writing nothing', async () => {
    const before = app.sandbox.catalog;
    app.sandbox.setCatalog(before.slice(0, 2));
    const stop = countWrites(app);
    const run = await sync();
    expect(stop()).toBe(0);
    expect(run).toMatchObject({ status: 'refused', errorCode: 'SUSPECT_CATALOG' });
    expect(run.error).toMatch(/4 of 6 channels/);
    app.sandbox.setCatalog(before);
  });

  it('aborts on an invalid catalog and on an upstream failure, keeping the previous data', async () => {
    app.sandbox.inject({ endpoint: 'catalog', json: { catalog: [{ idChannel: 'x', title: 'no videos', price: 'free' }] } });
    const invalid = await sync();
    expect(invalid).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_INVALID_RESPONSE' });
    expect(invalid.error).toContain('price');

    app.sandbox.inject({ endpoint: 'catalog', status: 503, times: 10 });
    const down = await sync();
    expect(down).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_UNAVAILABLE' });
    app.sandbox.clearFaults();
    expect(await app.strapi.db.query(CHANNEL).count({ where: { availability: 'available' } })).toBe(6);
    expect(await app.strapi.db.query(VIDEO).count()).toBe(24);
  });

  it('runs one sync at a time: a second start answers already running with the run id', async () => {
    app.sandbox.inject({ endpoint: 'catalog', latencyMs: 800 });
    // supertest sends on then(): start the first request now.
    const first = app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`).then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await app.http.post('/osteocom/sync').set('Authorization', `Bearer ${admin}`);
    expect(second.status).toBe(409);
    expect(second.body.error.details.code).toBe('SYNC_ALREADY_RUNNING');
    const firstRun = (await first).body.data;
    expect(second.body.error.details.runId).toBe(firstRun.id);
  });

  it('takes over a stale lease left by a dead server and closes its run as abandoned', async () => {
    const leases = app.strapi.db.query('plugin::osteocom.lease');
    await leases.update({ where: { name: 'catalog-sync' }, data: { owner: 'dead-server:1:abcd', expiresAt: Date.now() + 60_000 } });
    const dead = await app.strapi.db.query('plugin::osteocom.sync-run').create({ data: { trigger: 'cron', status: 'running', startedAt: new Date(), server: 'dead-server:1' } });
    const blocked = await app.http.post('/osteocom/sync').set('Authorization', `Bearer ${admin}`);
    expect(blocked.status).toBe(409);

    await leases.update({ where: { name: 'catalog-sync' }, data: { expiresAt: Date.now() - 1 } });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    const closed = await app.strapi.db.query('plugin::osteocom.sync-run').findOne({ where: { id: dead.id } });
    expect(closed).toMatchObject({ status: 'failed', errorCode: 'ABANDONED' });
  });

  it('serves available channels with their videos to the public content API, public fields only', async () => {
    const list = await app.http.get('/api/osteocom/channels?pageSize=2');
    expect(list.status).toBe(200);
    expect(list.body.meta.pagination).toMatchObject({ page: 1, pageSize: 2, total: 6 });
    const one = await app.http.get(`/api/osteocom/channels/${catalog[3].idChannel}`);
    expect(one.status).toBe(200);
    expect(one.body.data.videos).toHaveLength(4);
    expect(one.body.data).not.toHaveProperty('contentHash');
    expect(one.body.data).not.toHaveProperty('id');
    const missing = await app.http.get('/api/osteocom/channels/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.code).toBe('CHANNEL_NOT_FOUND');
  });

  it('lists channels with video counts and sync runs for the admin', async () => {
    const channels = await app.http.get('/osteocom/channels?q=Renamed').set('Authorization', `Bearer ${admin}`);
    expect(channels.body.data).toHaveLength(1);
    expect(channels.body.data[0].videoCount).toBe(4);
    const runs = await app.http.get('/osteocom/sync-runs?pageSize=3').set('Authorization', `Bearer ${admin}`);
    expect(runs.body.data).toHaveLength(3);
    expect(runs.body.meta.pagination.total).toBeGreaterThanOrEqual(8);
  });
});
