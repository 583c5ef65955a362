import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * What one anonymous request can make the server read and send, on a site that grants Public the
 * read actions of the mirrored types (sites upgraded from a version that granted them by default,
 * or sites that populate channels from their own types). Channels and videos relate both ways:
 * unbounded, a populate or filter path multiplies rows with every level, and `limit: -1` asks for
 * everything. More videos in a channel (110) than a page holds (100), so a clamp shows.
 */
const catalog = generateCatalog({ channels: 2, videosPerChannel: 110 });
const PER_CHANNEL = 110;
const VIDEOS = 220;
const MAX_PAGE = 100;
const COURSE = 'api::course.course';
/** A refusal is Strapi's error object: well under this. */
const REFUSAL_BYTES = 2_000;

const GRANTED = ['plugin::osteocom.channel.find', 'plugin::osteocom.channel.findOne', 'plugin::osteocom.video.find', 'plugin::osteocom.video.findOne', `${COURSE}.find`];

describe('public reads of the mirrored catalog are bounded', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, env: { PLAYGROUND_GRAPHQL: 'true' } });
    const admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    for (const action of GRANTED) {
      if (!(await permissions.findOne({ where: { action, role: role.id } }))) await permissions.create({ data: { action, role: role.id } });
    }
    const channel = await app.strapi.db.query('plugin::osteocom.channel').findOne({ where: { idChannel: catalog[0].idChannel } });
    await app.strapi.documents(COURSE).create({ data: { name: 'Hip surgery', channel: channel.documentId } as never });
  });

  afterAll(() => app.close());

  const refused = (res: { status: number; text: string; body: { error?: { details?: { code?: string } } } }, code: string) => {
    expect([res.status, res.body.error?.details?.code]).toEqual([400, code]);
    expect(res.text.length).toBeLessThan(REFUSAL_BYTES);
  };

  describe('REST', () => {
    it('refuses a populate deeper than one relation (the channel -> videos -> channel -> … chain)', async () => {
      // Unbounded, three levels already send 2 x 110 x 110 videos; the six-level chain never answers.
      refused(await app.http.get('/api/osteocom/entries/channels?populate[videos][populate][channel][populate][videos]=true'), 'POPULATE_NOT_ALLOWED');
      const deep = 'populate[videos][populate][channel][populate][videos][populate][channel][populate][videos]=true';
      refused(await app.http.get(`/api/osteocom/entries/channels?${deep}`), 'POPULATE_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/channels?populate=videos.channel'), 'POPULATE_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/channels?populate[videos][populate]=*'), 'POPULATE_NOT_ALLOWED');
    });

    it("refuses the video's channel back-link (private), in populate, filters and sort", async () => {
      refused(await app.http.get('/api/osteocom/entries/videos?populate=channel'), 'POPULATE_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/videos?populate[channel]=true'), 'POPULATE_NOT_ALLOWED');
      refused(await app.http.get(`/api/osteocom/entries/videos?filters[channel][idChannel][$eq]=${catalog[0].idChannel}`), 'FILTER_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/videos?sort=channel.title'), 'SORT_NOT_ALLOWED');
    });

    it('refuses filters and sorts that cross more than one relation', async () => {
      refused(await app.http.get('/api/osteocom/entries/channels?filters[videos][channel][videos][title][$contains]=a'), 'FILTER_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/channels?filters[$or][0][videos][channel][title][$contains]=a'), 'FILTER_NOT_ALLOWED');
      refused(await app.http.get('/api/osteocom/entries/channels?sort=videos.channel.title'), 'SORT_NOT_ALLOWED');
    });

    it('serves one level: the videos of a channel, with filters and sort on the channel or its videos', async () => {
      const res = await app.http.get(
        `/api/osteocom/entries/channels?populate[videos][fields][0]=videoId&filters[videos][title][$contains]=${encodeURIComponent(catalog[0].video[0].title)}&sort=idChannel`
      );
      expect(res.status).toBe(200);
      expect(res.body.data[0]).toMatchObject({ idChannel: catalog[0].idChannel });
      // A channel's videos are not paginated in REST populate (Strapi's rule): bounded by the channel itself.
      expect(res.body.data[0].videos).toHaveLength(PER_CHANNEL);
      expect((await app.http.get('/api/osteocom/entries/channels?populate=*')).status).toBe(200);
    });

    it.each([
      ['pagination[pageSize]=-1', 'pageSize'],
      ['pagination[pageSize]=100000', 'pageSize'],
      ['pagination[limit]=-1', 'limit'],
      ['pagination[start]=0&pagination[limit]=100000', 'limit'],
    ])('clamps %s to a page of 100', async (query, key) => {
      const res = await app.http.get(`/api/osteocom/entries/videos?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(MAX_PAGE);
      expect(res.body.meta.pagination).toMatchObject({ [key]: MAX_PAGE, total: VIDEOS });
      // 100 videos' public fields: a few hundred bytes each.
      expect(res.text.length).toBeLessThan(MAX_PAGE * 600);
    });

    it.each([
      'pagination[limit][0]=100000',
      'pagination[pageSize][]=100000',
      'limit[0]=100000',
      'pagination[pageSize][a]=100000',
    ])('refuses %s: a page size given as a list or an object (it would slip past the clamp)', async (query) => {
      const res = await app.http.get(`/api/osteocom/entries/videos?${query}`);
      expect([res.status, res.body.error?.details?.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.text.length).toBeLessThan(REFUSAL_BYTES);
    });

    it('bounds site routes too: a course cannot reach a channel\'s videos\' channel', async () => {
      const res = await app.http.get('/api/courses?populate[channel][populate][videos][populate][channel][populate][videos]=true');
      expect(res.status).toBe(400);
      expect(res.text.length).toBeLessThan(REFUSAL_BYTES);
      const bounded = await app.http.get('/api/courses?populate[channel][populate][videos]=true');
      expect(bounded.status).toBe(200);
      expect(bounded.body.data[0].channel.videos).toHaveLength(PER_CHANNEL);
      expect(bounded.body.data[0].channel.videos[0]).not.toHaveProperty('channel');
    });

    it("caps the plugin's own catalog route at 100 channels a page", async () => {
      for (const pageSize of [-1, 101, 100000]) {
        const res = await app.http.get(`/api/osteocom/channels?pageSize=${pageSize}`);
        expect([res.status, res.body.error?.details?.code]).toEqual([400, 'VALIDATION_ERROR']);
      }
    });
  });

  describe('GraphQL', () => {
    const graphql = async (query: string) => {
      const res = await app.http.post('/graphql').send({ query });
      return { status: res.status, bytes: res.text.length, data: res.body.data, errors: res.body.errors as { extensions?: { code?: string } }[] | undefined };
    };

    it('has no channel field on a video, so channels and videos cannot nest without bound', async () => {
      const type = await graphql('{ __type(name: "OsteocomVideo") { fields { name } } }');
      expect(type.data.__type.fields.map((field: { name: string }) => field.name)).not.toContain('channel');
      const deep = await graphql(
        '{ osteocomChannels(pagination: { limit: -1 }) { videos(pagination: { limit: -1 }) { channel { videos(pagination: { limit: -1 }) { channel { videos(pagination: { limit: -1 }) { title } } } } } } }'
      );
      expect([deep.status, deep.errors?.[0]?.extensions?.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
      expect(deep.bytes).toBeLessThan(REFUSAL_BYTES);
      const filter = await graphql('{ osteocomChannels(filters: { videos: { channel: { videos: { title: { contains: "a" } } } } }) { title } }');
      expect([filter.status, filter.errors?.[0]?.extensions?.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    });

    it.each([
      ['osteocomVideos(pagination: { limit: -1 })'],
      ['osteocomVideos(pagination: { pageSize: 100000 })'],
      ['osteocomVideos(pagination: { start: 0, limit: 100000 })'],
    ])('%s returns a page of 100, not everything', async (field) => {
      const reply = await graphql(`{ ${field} { videoId title } }`);
      expect(reply.errors).toBeUndefined();
      expect(reply.data.osteocomVideos).toHaveLength(MAX_PAGE);
      expect(reply.bytes).toBeLessThan(MAX_PAGE * 300);
    });

    it('refuses aliases that repeat a clamped list past the per-request budget (each list counts as a full page)', async () => {
      const aliases = Array.from({ length: 250 }, (_, i) => `a${i}: osteocomVideos(pagination: { limit: 1 }) { videoId }`).join(' ');
      const reply = await graphql(`{ ${aliases} }`);
      // 2 × (100 + 100 × 100) entries: 202 lists of a full page each; the 203rd is refused, and with
      // it the whole reply (the lists are non-null fields of Query).
      expect(reply.data).toBeNull();
      expect(reply.errors?.map((error) => (error as { message?: string }).message)).toContainEqual(expect.stringContaining('split it into several requests'));
      expect(reply.bytes).toBeLessThan(REFUSAL_BYTES * 100);
      const within = await graphql(`{ ${aliases.split(' a202:')[0]} }`);
      expect([within.errors, Object.keys(within.data)]).toEqual([undefined, expect.arrayContaining(['a0', 'a201'])]);
    });

    it('clamps the connection queries and the videos of a channel too', async () => {
      const connection = await graphql('{ osteocomVideos_connection(pagination: { limit: -1 }) { nodes { videoId } pageInfo { pageSize total } } }');
      expect(connection.errors).toBeUndefined();
      expect(connection.data.osteocomVideos_connection.nodes).toHaveLength(MAX_PAGE);
      expect(connection.data.osteocomVideos_connection.pageInfo).toMatchObject({ pageSize: MAX_PAGE, total: VIDEOS });
      for (const field of ['videos', 'videos_connection']) {
        const selection = field === 'videos' ? '{ videoId }' : '{ nodes { videoId } }';
        const nested = await graphql(`{ osteocomChannels { ${field}(pagination: { limit: -1 }) ${selection} } }`);
        expect(nested.errors).toBeUndefined();
        for (const channel of nested.data.osteocomChannels) {
          const videos = field === 'videos' ? channel.videos : channel.videos_connection.nodes;
          expect(videos).toHaveLength(MAX_PAGE);
        }
        expect(nested.bytes).toBeLessThan(catalog.length * MAX_PAGE * 100);
      }
    });
  });
});
