/**
 * Issue 25: Strapi's standard entry routes (`/api/osteocom/entries/…`) and GraphQL show visitors
 * what the plugin's catalog routes show — no removed channel or video, no channel an editor
 * unlisted — while the Content Manager still lists every row.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { schemaValidator } from '../package/spec';

const CHANNEL = 'plugin::osteocom.channel';
const catalog = generateCatalog({ channels: 4, videosPerChannel: 2 });
const [shown, hidden, removed, withRemovedVideo] = catalog;

describe('visitors see only listed, available channels everywhere', () => {
  let app: TestApp;
  let admin: string;
  let token: string;

  const documentIdOf = async (idChannel: string) =>
    (await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel } })).documentId as string;
  const get = (path: string) => app.http.get(path).set('Authorization', `Bearer ${token}`);
  const graphql = async (query: string) =>
    (await app.http.post('/graphql').set('Authorization', `Bearer ${token}`).send({ query })).body;
  const idsOf = (rows: { idChannel?: string; videoId?: string }[]) =>
    rows.map((row) => row.idChannel ?? row.videoId).sort();

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, env: { PLAYGROUND_GRAPHQL: 'true' } });
    admin = (await createAdmin(app, 'super')).token;
    token = await createApiToken(app, 'read-only');
    const sync = () =>
      app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    expect((await sync()).body.data.status).toBe('succeeded');
    await app.strapi.db
      .query(CHANNEL)
      .update({ where: { idChannel: hidden.idChannel }, data: { listed: false } });
    app.sandbox.removeChannel(removed.idChannel);
    app.sandbox.updateChannel(withRemovedVideo.idChannel, { video: [withRemovedVideo.video[0]] });
    expect((await sync()).body.data).toMatchObject({ status: 'succeeded', removed: 4 }); // a channel with its 2 videos, and 1 video;
  });

  afterAll(() => app?.close());

  it('lists and finds only visible channels on the entry routes, with the site fields', async () => {
    const list = await get(
      '/api/osteocom/entries/channels?filters[title][$notNull]=true&sort=idChannel'
    );
    expect(list.status).toBe(200);
    expect(idsOf(list.body.data)).toEqual(idsOf([shown, withRemovedVideo]));
    expect(list.body.meta.pagination.total).toBe(2);
    expect(list.body.data[0]).toEqual(
      expect.objectContaining({ slug: expect.any(String), listed: true, featured: false })
    );
    const check = await schemaValidator();
    expect(check('OsteocomChannelEntryListResponse', list.body)).toEqual([]);
    const populated = await get(`/api/osteocom/entries/channels/${await documentIdOf(shown.idChannel)}?populate=*`);
    expect(check('OsteocomChannelEntryResponse', populated.body)).toEqual([]);
    expect(
      (await get(`/api/osteocom/entries/channels/${await documentIdOf(shown.idChannel)}`)).status
    ).toBe(200);
    for (const channel of [hidden, removed])
      expect(
        (await get(`/api/osteocom/entries/channels/${await documentIdOf(channel.idChannel)}`))
          .status
      ).toBe(404);
    const videos = await get('/api/osteocom/entries/videos?pagination[pageSize]=100');
    expect(videos.body.data.map((video: { videoId: string }) => video.videoId)).not.toContain(
      withRemovedVideo.video[1].videoId
    );
    expect(check('OsteocomVideoEntryListResponse', videos.body)).toEqual([]);
  });

  it('leaves removed videos out of a channel’s populated videos, whatever the populate form', async () => {
    const visibleVideos = [withRemovedVideo.video[0].videoId];
    const channelId = await documentIdOf(withRemovedVideo.idChannel);
    const forms = [
      'populate=videos',
      'populate=*',
      'populate[0]=videos',
      'populate[videos]=true',
      'populate[videos][fields][0]=videoId',
      'populate[videos][sort]=videoId',
    ];
    for (const form of forms) {
      const one = await get(`/api/osteocom/entries/channels/${channelId}?${form}`);
      expect({ form, status: one.status, videos: idsOf(one.body.data.videos) }).toEqual({ form, status: 200, videos: visibleVideos });
      const list = await get(`/api/osteocom/entries/channels?filters[idChannel][$eq]=${withRemovedVideo.idChannel}&${form}`);
      expect({ form, videos: idsOf(list.body.data[0].videos) }).toEqual({ form, videos: visibleVideos });
    }
    // The caller's own video filter is kept, and cannot reach a removed video.
    const asked = await get(`/api/osteocom/entries/channels/${channelId}?populate[videos][filters][videoId][$eq]=${withRemovedVideo.video[1].videoId}`);
    expect(asked.body.data.videos).toEqual([]);
    // Still one relation deep: the bound is checked on the caller's populate as before.
    expect((await get(`/api/osteocom/entries/channels/${channelId}?populate[videos][populate]=channel`)).status).toBe(400);
  });

  it('lists and finds only visible channels and videos over GraphQL', async () => {
    const reply = await graphql(
      '{ osteocomChannels(sort: "idChannel") { idChannel slug videos { videoId } } }'
    );
    expect(reply.errors).toBeUndefined();
    expect(idsOf(reply.data.osteocomChannels)).toEqual(idsOf([shown, withRemovedVideo]));
    const partial = reply.data.osteocomChannels.find(
      (c: { idChannel: string }) => c.idChannel === withRemovedVideo.idChannel
    );
    expect(idsOf(partial.videos)).toEqual([withRemovedVideo.video[0].videoId]);
    const single = await graphql(
      `{ osteocomChannel(documentId: "${await documentIdOf(hidden.idChannel)}") { idChannel } }`
    );
    expect(single.data.osteocomChannel).toBeNull();
    const connection = await graphql('{ osteocomChannels_connection { pageInfo { total } } }');
    expect(connection.data.osteocomChannels_connection.pageInfo.total).toBe(2);
  });

  it('still shows every channel in the Content Manager', async () => {
    const res = await app.http
      .get(`/content-manager/collection-types/${CHANNEL}?pageSize=100`)
      .set('Authorization', `Bearer ${admin}`);
    expect(res.body.pagination.total).toBe(4);
  });
});
