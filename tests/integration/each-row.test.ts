import { generateCatalog } from '../../sandbox/src';
import { eachRow } from '../../server/src/repositories/each-row';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The sync's index read visits every row once, whatever the page size (SQLite steps one statement instead). */
describe('reading a table row by row', () => {
  const catalog = generateCatalog({ channels: 3, videosPerChannel: 4 });
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    const admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
  });

  afterAll(() => app.close());

  it.each([1, 5, 12, 13, 5_000])('visits all 12 videos once with pages of %i', async (pageSize) => {
    const knex = app.strapi.db.connection;
    const select = () => knex('osteocom_videos').select(['id as id', 'video_id as videoId']);
    const seen: { id: number; videoId: string }[] = [];
    await eachRow<{ id: number; videoId: string }>(knex, select, 'id', (row) => seen.push(row), pageSize);
    const all = (await select().orderBy('id')) as { id: number; videoId: string }[];
    const pairs = (rows: { id: number; videoId: string }[]) => rows.map((row) => `${Number(row.id)} ${row.videoId}`).sort();
    expect(pairs(seen)).toEqual(pairs(all));
    expect(seen).toHaveLength(12);
    expect(new Set(seen.map((row) => row.videoId))).toEqual(new Set(catalog.flatMap((channel) => channel.video.map((video) => video.videoId))));
  });
});
