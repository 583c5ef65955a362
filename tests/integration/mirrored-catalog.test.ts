import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Channels and videos mirror Osteocom: the Content Manager cannot edit their synced fields, create
 * or delete them, and a row changed by other means is put back by the next sync.
 */
const catalog = generateCatalog({ channels: 3, videosPerChannel: 2 });
const CHANNEL = 'plugin::osteocom.channel';
const VIDEO = 'plugin::osteocom.video';
const CHANNEL_FIELDS = ['idChannel', 'title', 'subtitle', 'htmlDescription', 'price', 'cover', 'background', 'trailer', 'authors', 'availability', 'lastSyncedAt'];

describe('mirrored channels and videos', () => {
  let app: TestApp;
  let admin: string;

  const cm = (uid: string) => `/content-manager/collection-types/${uid}`;
  const as = <T extends { set(name: string, value: string): T }>(req: T) => req.set('Authorization', `Bearer ${admin}`);
  const documentIdOf = async (uid: string, where: Record<string, string>) => (await app.strapi.db.query(uid).findOne({ where })).documentId as string;
  const sync = async () => {
    const res = await as(app.http.post('/osteocom/sync?wait=true'));
    expect(res.body.data.status).toBe('succeeded');
    return res.body.data;
  };

  /** What the Content Manager's edit form sends back: every field it shows, as it read them. */
  const editForm = async (uid: string, documentId: string, fields: string[]) => {
    const res = await as(app.http.get(`${cm(uid)}/${documentId}`));
    expect(res.status).toBe(200);
    return Object.fromEntries(fields.map((field) => [field, res.body.data[field]]));
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    await sync();
  });

  afterAll(() => app.close());

  it('shows the synced fields read-only in the edit view', async () => {
    const res = await as(app.http.get(`/content-manager/content-types/${CHANNEL}/configuration`));
    const { metadatas } = res.body.data.contentType;
    for (const field of CHANNEL_FIELDS) expect([field, metadatas[field].edit.editable]).toEqual([field, false]);
  });

  it('shows the authors as a read-only line of names the sync writes, the JSON hidden', async () => {
    const names = (channel: (typeof catalog)[number]) => channel.authors.map((author) => author.name).join(', ');
    const { metadatas, layouts } = (await as(app.http.get(`/content-manager/content-types/${CHANNEL}/configuration`))).body.data.contentType;
    expect(metadatas.authorNames.edit).toMatchObject({ label: 'Authors', editable: false });
    expect(metadatas.authors.edit.visible).toBe(false);
    const shown = layouts.edit.flat().map((field: { name: string }) => field.name);
    expect([shown.includes('authorNames'), shown.includes('authors')]).toEqual([true, false]);

    const documentId = await documentIdOf(CHANNEL, { idChannel: catalog[0].idChannel });
    expect(names(catalog[0])).toMatch(/\S/);
    expect((await as(app.http.get(`${cm(CHANNEL)}/${documentId}`))).body.data.authorNames).toBe(names(catalog[0]));
    const form = await editForm(CHANNEL, documentId, [...CHANNEL_FIELDS, 'authorNames']);
    const edited = await as(app.http.put(`${cm(CHANNEL)}/${documentId}`)).send({ ...form, authorNames: 'Someone Else' });
    expect([edited.status, edited.body.error?.details.fields]).toEqual([403, ['authorNames']]);
    await app.strapi.db.query(CHANNEL).update({ where: { idChannel: catalog[2].idChannel }, data: { authorNames: null } });

    // A row without the line (synced before it existed) gets it at the next sync; nothing else is rewritten.
    expect(await sync()).toMatchObject({ updated: 1, created: 0, removed: 0 });
    expect((await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: catalog[2].idChannel } })).authorNames).toBe(names(catalog[2]));
    expect(await sync()).toMatchObject({ updated: 0 });
  });

  it('refuses an edit of a synced field with a clear message and code, and keeps the row', async () => {
    const documentId = await documentIdOf(CHANNEL, { idChannel: catalog[0].idChannel });
    const form = await editForm(CHANNEL, documentId, CHANNEL_FIELDS);
    const res = await as(app.http.put(`${cm(CHANNEL)}/${documentId}`)).send({ ...form, title: 'Edited by an editor' });
    expect(res.status).toBe(403);
    expect(res.body.error.details).toMatchObject({ code: 'MIRRORED_FIELD', fields: ['title'] });
    expect(res.body.error.message).toMatch(/mirrored from the Osteocom catalog.*title/);
    expect((await app.strapi.db.query(CHANNEL).findOne({ where: { documentId } })).title).toBe(catalog[0].title);
  });

  it('lets the edit view save when no synced field changed', async () => {
    const documentId = await documentIdOf(CHANNEL, { idChannel: catalog[0].idChannel });
    const form = await editForm(CHANNEL, documentId, CHANNEL_FIELDS);
    const res = await as(app.http.put(`${cm(CHANNEL)}/${documentId}`)).send({ ...form, videos: { connect: [], disconnect: [] } });
    expect(res.status).toBe(200);
  });

  it("refuses moving a video to another channel, or editing a video's title", async () => {
    const videoDocumentId = await documentIdOf(VIDEO, { videoId: catalog[0].video[0].videoId });
    const otherChannel = await documentIdOf(CHANNEL, { idChannel: catalog[1].idChannel });
    const moved = await as(app.http.put(`${cm(VIDEO)}/${videoDocumentId}`)).send({ channel: { connect: [{ documentId: otherChannel }] } });
    expect(moved.status).toBe(403);
    expect(moved.body.error.details.code).toBe('MIRRORED_FIELD');
    const retitled = await as(app.http.put(`${cm(VIDEO)}/${videoDocumentId}`)).send({ title: 'Edited' });
    expect(retitled.status).toBe(403);
  });

  it('refuses deleting a channel or video, alone or in bulk, and creating one', async () => {
    const documentId = await documentIdOf(CHANNEL, { idChannel: catalog[2].idChannel });
    const deleted = await as(app.http.delete(`${cm(CHANNEL)}/${documentId}`));
    expect(deleted.status).toBe(403);
    expect(deleted.body.error.details.code).toBe('MIRRORED_ENTRY');
    const bulk = await as(app.http.post(`${cm(VIDEO)}/actions/bulkDelete`)).send({ documentIds: [await documentIdOf(VIDEO, { videoId: catalog[2].video[0].videoId })] });
    expect(bulk.status).toBe(403);
    expect(bulk.body.error.details.code).toBe('MIRRORED_ENTRY');
    const created = await as(app.http.post(cm(CHANNEL))).send({ idChannel: 'made-up', title: 'Made up', availability: 'available' });
    expect(created.status).toBe(403);
    expect(created.body.error.details.code).toBe('MIRRORED_ENTRY');
    expect(await app.strapi.db.query(CHANNEL).count()).toBe(3);
    expect(await app.strapi.db.query(VIDEO).count()).toBe(6);
  });

  it('puts back a channel and a video changed by other means at the next sync', async () => {
    await app.strapi.db.query(CHANNEL).update({ where: { idChannel: catalog[1].idChannel }, data: { title: 'Drifted', price: 1 } });
    await app.strapi.db.query(VIDEO).update({ where: { videoId: catalog[1].video[1].videoId }, data: { duration: 1 } });
    const run = await sync();
    expect(run).toMatchObject({ updated: 2, created: 0, removed: 0 });
    const channel = await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: catalog[1].idChannel } });
    expect({ title: channel.title, price: channel.price }).toEqual({ title: catalog[1].title, price: catalog[1].price });
    expect((await app.strapi.db.query(VIDEO).findOne({ where: { videoId: catalog[1].video[1].videoId } })).duration).toBe(catalog[1].video[1].duration ?? null);
    const served = await app.http.get(`/api/osteocom/channels/${catalog[1].idChannel}`);
    expect(served.body.data.title).toBe(catalog[1].title);
    expect(await sync()).toMatchObject({ updated: 0, unchanged: 9 });
  });
});
