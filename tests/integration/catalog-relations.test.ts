import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Site content links to the mirrored catalog: the playground's `api::course.course` relates to a
 * channel and a video, and visitors read them through Strapi's own content API.
 */
const catalog = generateCatalog({ channels: 2, videosPerChannel: 2 });
const COURSE = 'api::course.course';
const CHANNEL = 'plugin::osteocom.channel';
const VIDEO = 'plugin::osteocom.video';
const PRIVATE_FIELDS = ['contentHash', 'channelKey'];

describe('site content related to channels and videos', () => {
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
    const channel = await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: catalog[0].idChannel } });
    const video = await app.strapi.db.query(VIDEO).findOne({ where: { videoId: catalog[0].video[1].videoId } });
    await app.strapi.documents(COURSE).create({ data: { name: 'Knee surgery', channel: channel.documentId, featuredVideo: video.documentId } as never });
    // The site's own type and the mirrored types it populates: its owner grants them to visitors
    // (the plugin grants only its own catalog routes).
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    for (const type of ['public', 'authenticated']) {
      const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
      for (const action of [`${COURSE}.find`, `${CHANNEL}.find`, `${CHANNEL}.findOne`, `${VIDEO}.find`, `${VIDEO}.findOne`]) {
        await permissions.create({ data: { action, role: role.id } });
      }
    }
  });

  afterAll(() => app.close());

  const expectPublicChannel = (body: { data: { name: string; channel: Record<string, unknown>; featuredVideo: Record<string, unknown> }[] }) => {
    const [course] = body.data;
    expect(course.name).toBe('Knee surgery');
    expect(course.channel).toMatchObject({ idChannel: catalog[0].idChannel, title: catalog[0].title, price: catalog[0].price, availability: 'available' });
    expect(course.featuredVideo).toMatchObject({ videoId: catalog[0].video[1].videoId, title: catalog[0].video[1].title });
    for (const field of PRIVATE_FIELDS) {
      expect(course.channel).not.toHaveProperty(field);
      expect(course.featuredVideo).not.toHaveProperty(field);
    }
  };

  it('populates the channel and video for a visitor (Public)', async () => {
    const res = await app.http.get('/api/courses?populate[0]=channel&populate[1]=featuredVideo');
    expect(res.status).toBe(200);
    expectPublicChannel(res.body);
  });

  it('populates the channel and video for a signed-in user (Authenticated)', async () => {
    const { jwt } = await createEndUser(app);
    const res = await app.http.get('/api/courses?populate[0]=channel&populate[1]=featuredVideo').set('Authorization', `Bearer ${jwt}`);
    expect(res.status).toBe(200);
    expectPublicChannel(res.body);
  });

  it('lets a custom API token hold channel.find and video.find, and populates for it', async () => {
    const token = await createApiToken(app, 'custom', [`${COURSE}.find`, `${CHANNEL}.find`, `${VIDEO}.find`]);
    const res = await app.http.get('/api/courses?populate[0]=channel&populate[1]=featuredVideo').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expectPublicChannel(res.body);
  });

  it('drops the channel for a token without channel.find, as Strapi does for any type', async () => {
    const token = await createApiToken(app, 'custom', [`${COURSE}.find`]);
    const res = await app.http.get('/api/courses?populate=channel').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data[0].channel).toBeUndefined();
  });

  it('serves channels and videos through the standard find/findOne routes, public fields only, no private filter', async () => {
    const list = await app.http.get('/api/osteocom/entries/channels?populate=videos&sort=idChannel');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    for (const field of PRIVATE_FIELDS) expect(JSON.stringify(list.body)).not.toContain(`"${field}"`);
    const one = await app.http.get(`/api/osteocom/entries/videos/${list.body.data[0].videos[0].documentId}`);
    expect(one.status).toBe(200);
    expect(one.body.data.videoId).toBe(list.body.data[0].videos[0].videoId);
    const byHash = await app.http.get('/api/osteocom/entries/channels?filters[contentHash][$null]=false');
    expect(byHash.status).toBe(400);
  });

  it("keeps a video's channel out of the content API (private back-link) and in the Content Manager", async () => {
    const video = await app.strapi.db.query(VIDEO).findOne({ where: { videoId: catalog[0].video[0].videoId } });
    const one = await app.http.get(`/api/osteocom/entries/videos/${video.documentId}`);
    expect(one.status).toBe(200);
    expect(one.body.data).not.toHaveProperty('channel');
    expect((await app.http.get('/api/courses?populate[featuredVideo][populate]=channel')).status).toBe(400);
    const inAdmin = await app.http.get(`/content-manager/relations/${VIDEO}/${video.documentId}/channel`).set('Authorization', `Bearer ${admin}`);
    expect(inAdmin.status).toBe(200);
    expect(inAdmin.body.results.map((r: { title: string }) => r.title)).toEqual([catalog[0].title]);
  });

  it('has no write route for channels or videos', async () => {
    const token = await createApiToken(app, 'full-access');
    for (const [method, path] of [
      ['post', '/api/osteocom/entries/channels'],
      ['put', '/api/osteocom/entries/channels/x'],
      ['delete', '/api/osteocom/entries/videos/x'],
    ] as const) {
      const res = await app.http[method](path).set('Authorization', `Bearer ${token}`).send({ data: { title: 'Hacked' } });
      expect([404, 405]).toContain(res.status);
    }
  });

  it('labels channels and videos by title in the Content Manager, in their lists and in the relation pickers of site types', async () => {
    const configuration = async (uid: string) =>
      (await app.http.get(`/content-manager/content-types/${uid}/configuration`).set('Authorization', `Bearer ${admin}`)).body.data.contentType;
    const course = await configuration(COURSE);
    expect(course.metadatas.channel.edit.mainField).toBe('title');
    expect(course.metadatas.featuredVideo.edit.mainField).toBe('title');
    const channel = await configuration(CHANNEL);
    expect(channel.settings.mainField).toBe('title');
    expect(channel.metadatas.videos.edit.mainField).toBe('title');
    expect((await configuration(VIDEO)).settings.mainField).toBe('title');
    const picker = await app.http
      .get(`/content-manager/relations/${COURSE}/channel?_q=${encodeURIComponent(catalog[1].title.slice(0, 8))}`)
      .set('Authorization', `Bearer ${admin}`);
    expect(picker.status).toBe(200);
    expect(picker.body.results.map((r: { title: string }) => r.title)).toContain(catalog[1].title);
  });
});
