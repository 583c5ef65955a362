/**
 * Issue 14: a sync writes in one transaction, takes new rows' ids from the insert and is fenced
 * by its lease, so a run lands whole or not at all — also when its lease is taken over midway or
 * the streamed catalog turns out invalid after some channels were read.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const CHANNEL = 'plugin::osteocom.channel';
const VIDEO = 'plugin::osteocom.video';
const LEASE = 'plugin::osteocom.lease';

describe('catalog sync: one transaction, fenced by the lease', () => {
  let app: TestApp;
  let admin: string;
  const catalog = generateCatalog({ channels: 8, videosPerChannel: 5 });

  const sync = async () => {
    const res = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    return res.body.data;
  };

  const counts = async () => ({ channels: await app.strapi.db.query(CHANNEL).count(), videos: await app.strapi.db.query(VIDEO).count() });

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
  });

  afterAll(() => app.close());

  it('rolls every write back when another server took the lease while the catalog arrived', async () => {
    app.sandbox.inject({ endpoint: 'catalog', latencyMs: 1_500 });
    const running = app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`).then((res) => res);
    // The run holds the lease and its catalog request has reached Osteocom, unanswered for 1.5 s.
    await waitFor('the catalog request', () => app.sandbox.inFlight('catalog') === 1);
    // What a server that saw the lease expire would write on taking it over.
    await app.strapi.db.query(LEASE).update({ where: { name: 'catalog-sync' }, data: { owner: 'other-server:1:beef', expiresAt: Date.now() + 60_000 } });
    const run = (await running).body.data;
    expect(run).toMatchObject({ status: 'failed', errorCode: 'SYNC_ALREADY_RUNNING' });
    expect(await counts()).toEqual({ channels: 0, videos: 0 });
    // The new holder's lease is left as it is.
    expect(await app.strapi.db.query(LEASE).findOne({ where: { name: 'catalog-sync' } })).toMatchObject({ owner: 'other-server:1:beef' });

    await app.strapi.db.query(LEASE).update({ where: { name: 'catalog-sync' }, data: { expiresAt: Date.now() - 1 } });
    expect(await sync()).toMatchObject({ status: 'succeeded', created: 8 + 40 });
    expect(await counts()).toEqual({ channels: 8, videos: 40 });
  });

  it('takes the new rows ids from the insert: no select-back where the database has RETURNING', async () => {
    const added = generateCatalog({ channels: 2, videosPerChannel: 3, seed: 'ids-from-insert' });
    app.sandbox.setCatalog([...catalog, ...added]);
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    app.strapi.db.connection.on('query', listener);
    try {
      expect(await sync()).toMatchObject({ status: 'succeeded', created: 2 + 6 });
    } finally {
      app.strapi.db.connection.off('query', listener);
    }
    // The mirror's index, read a page at a time before the writes (`... as status`), is no select-back.
    // New channels' slugs are looked up by value on their unique index (site fields, not ids), and
    // after the commit the entry events read the changed rows whole for their payload (`t0.*`).
    const afterCommit = /^\s*select [`"]t0[`"]\.\*/i;
    const selectBacks = statements.filter((sql) => /^\s*select/i.test(sql) && /osteocom_(channels|videos)\b/.test(sql) && /\bwhere\b/i.test(sql) && !/\bas [`"]?status\b/i.test(sql) && !/["`]slug["`]/.test(sql) && !afterCommit.test(sql));
    if (app.strapi.db.dialect.useReturning()) expect(selectBacks).toEqual([]);
    else expect(selectBacks.every((sql) => /(video_id|id_channel)[`"]? in/i.test(sql))).toBe(true);
    for (const channel of added) {
      const stored = await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: channel.idChannel }, populate: ['videos'] });
      expect(stored.videos.map((video: { videoId: string }) => video.videoId).sort()).toEqual(channel.video.map((video) => video.videoId).sort());
    }
  });

  it('writes nothing from a catalog found invalid after its first channels were read', async () => {
    const before = await counts();
    const more = generateCatalog({ channels: 3, videosPerChannel: 2, seed: 'late-invalid' });
    const valid = JSON.stringify({ catalog: [...catalog, ...more] });
    app.sandbox.inject({ endpoint: 'catalog', body: `${valid.slice(0, -2)},{"idChannel":"broken","title":"t","price":"free"}]}` });
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_INVALID_RESPONSE' });
    expect(run.error).toContain(`catalog.${catalog.length + more.length}.price`);
    expect(await counts()).toEqual(before);
  });

  it('refuses a body without a catalog list instead of reading it as an empty catalog', async () => {
    app.sandbox.inject({ endpoint: 'catalog', json: {} });
    const run = await sync();
    expect(run).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_INVALID_RESPONSE' });
    expect(await app.strapi.db.query(CHANNEL).count({ where: { availability: 'available' } })).toBe(10);
  });
});
