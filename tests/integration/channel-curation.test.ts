/**
 * Issue 25: a channel's site-owned fields (slug, listed, featured, position, summary, siteCover)
 * are the editors' — set through the Content Manager's own API by the Editor role, left alone by
 * the sync — and the public catalog honours them; the mirrored fields stay refused.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createAdminInRole } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CHANNEL = 'plugin::osteocom.channel';
const catalog = generateCatalog({ channels: 5, videosPerChannel: 1 });
// Two channels with one title: their slugs must still differ.
catalog[4].title = catalog[3].title;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
);

describe('editors curate channels', () => {
  let app: TestApp;
  let admin: string;
  let editor: string;

  const cm = `/content-manager/collection-types/${CHANNEL}`;
  const asEditor = <T extends { set(name: string, value: string): T }>(req: T) =>
    req.set('Authorization', `Bearer ${editor}`);
  const row = (idChannel: string) =>
    app.strapi.db.query(CHANNEL).findOne({ where: { idChannel }, populate: ['siteCover'] });
  const sync = async () => {
    const res = await app.http
      .post('/osteocom/sync?wait=true')
      .set('Authorization', `Bearer ${admin}`);
    expect(res.body.data.status).toBe('succeeded');
    return res.body.data;
  };
  const publicList = async () => (await app.http.get('/api/osteocom/channels?pageSize=100')).body;

  /** A user of Strapi's own Editor role, as a site's editors are. */
  const editorToken = async () => {
    const role = await app.strapi.db
      .query('admin::role')
      .findOne({ where: { code: 'strapi-editor' } });
    return (await createAdminInRole(app, role.id)).token;
  };

  /** Saves through the Content Manager's edit view: every field it shows, as read, with `changes`. */
  const edit = async (idChannel: string, changes: Record<string, unknown>) => {
    const { documentId } = await row(idChannel);
    const read = await asEditor(app.http.get(`${cm}/${documentId}`));
    expect(read.status).toBe(200);
    const {
      id: _id,
      documentId: _documentId,
      createdAt: _c,
      updatedAt: _u,
      publishedAt: _p,
      videos: _v,
      siteCover,
      ...form
    } = read.body.data;
    return asEditor(app.http.put(`${cm}/${documentId}`)).send({
      ...form,
      siteCover: siteCover?.id ?? null,
      ...changes,
    });
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    editor = await editorToken();
    await sync();
  });

  afterAll(() => app?.close());

  it('gives each synced channel a unique slug from its title, listed and not featured', async () => {
    const rows = await app.strapi.db.query(CHANNEL).findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r: { listed: boolean; featured: boolean }) => [r.listed, r.featured])).toEqual(
      rows.map(() => [true, false])
    );
    const slugs = rows.map((r: { slug: string }) => r.slug);
    expect(new Set(slugs).size).toBe(5);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const [fourth, fifth] = [await row(catalog[3].idChannel), await row(catalog[4].idChannel)];
    expect(fifth.slug).toBe(`${fourth.slug}-2`);
  });

  it("lets the Editor role set a channel's site fields through the Content Manager, and the sync leaves them", async () => {
    const upload = await asEditor(app.http.post('/upload')).attach('files', PNG, {
      filename: 'knee-cover.png',
      contentType: 'image/png',
    });
    expect(upload.status).toBe(201);
    const cover = upload.body[0];
    const saved = await edit(catalog[1].idChannel, {
      slug: 'knee-masterclass',
      featured: true,
      position: 3,
      summary: 'Our best seller.',
      siteCover: cover.id,
    });
    expect(saved.status).toBe(200);
    const hidden = await edit(catalog[2].idChannel, { listed: false });
    expect(hidden.status).toBe(200);
    const positioned = await edit(catalog[0].idChannel, { position: 1 });
    expect(positioned.status).toBe(200);

    app.sandbox.updateChannel(catalog[1].idChannel, { title: 'Renamed upstream' });
    expect(await sync()).toMatchObject({ updated: 1 });
    const curated = await row(catalog[1].idChannel);
    expect(curated).toMatchObject({
      title: 'Renamed upstream',
      slug: 'knee-masterclass',
      featured: true,
      position: 3,
      summary: 'Our best seller.',
      listed: true,
    });
    expect(curated.siteCover.id).toBe(cover.id);
    expect((await row(catalog[2].idChannel)).listed).toBe(false);
  });

  it('lists listed, available channels featured first, then by position, then by title, with the effective cover', async () => {
    const body = await publicList();
    const ids = body.data.map((c: { idChannel: string }) => c.idChannel);
    const rest = [catalog[3], catalog[4]]
      .sort((a, b) => (a.title < b.title ? -1 : 1))
      .map((c) => c.idChannel);
    expect(ids.slice(0, 2)).toEqual([catalog[1].idChannel, catalog[0].idChannel]);
    expect(ids).not.toContain(catalog[2].idChannel);
    expect(ids).toHaveLength(4);
    expect(new Set(ids.slice(2))).toEqual(new Set(rest));
    expect(body.meta.pagination.total).toBe(4);
    const featured = body.data[0];
    expect(featured).toMatchObject({
      slug: 'knee-masterclass',
      featured: true,
      summary: 'Our best seller.',
    });
    expect(featured.cover).toMatch(/^\/uploads\/knee_cover.*\.png$/);
    expect(body.data[1]).toMatchObject({ featured: false, cover: catalog[0].cover ?? null });
  });

  it('serves a channel by slug or by Osteocom id, and not an unlisted one', async () => {
    const bySlug = await app.http.get('/api/osteocom/channels/knee-masterclass');
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.data.idChannel).toBe(catalog[1].idChannel);
    const byId = await app.http.get(`/api/osteocom/channels/${catalog[1].idChannel}`);
    expect(byId.body.data.slug).toBe('knee-masterclass');
    const hidden = await app.http.get(
      `/api/osteocom/channels/${(await row(catalog[2].idChannel)).slug}`
    );
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.details.code).toBe('CHANNEL_NOT_FOUND');
  });

  it('shows editors readable labels, help text, editable site fields and a list of the columns they use', async () => {
    const res = await asEditor(app.http.get(`/content-manager/content-types/${CHANNEL}/configuration`));
    expect(res.status).toBe(200);
    const { metadatas, layouts } = res.body.data.contentType;
    expect(metadatas.idChannel.edit).toMatchObject({ label: 'Osteocom id', description: 'From Osteocom — changes with the next sync.', editable: false });
    expect(metadatas.htmlDescription.edit.label).toBe('Description (HTML)');
    for (const field of ['slug', 'listed', 'featured', 'position', 'summary', 'siteCover']) expect([field, metadatas[field].edit.editable]).toEqual([field, true]);
    expect(metadatas.contentHash.edit.visible).toBe(false);
    expect(layouts.edit.flat().map((field: { name: string }) => field.name)).not.toContain('contentHash');
    expect(layouts.list).toEqual(['title', 'availability', 'listed', 'featured', 'price']);
  });

  it('leaves the default roles no create, delete or publish on channels and videos, and update on channels', async () => {
    const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: ['strapi-editor', 'strapi-author'] } } });
    expect(roles).toHaveLength(2);
    const held = await app.strapi.db.query('admin::permission').findMany({
      where: { role: { id: { $in: roles.map((role: { id: number }) => role.id) } }, subject: { $in: [CHANNEL, 'plugin::osteocom.video'] } },
    });
    const actions = new Set(held.map((permission: { action: string }) => permission.action.replace('plugin::content-manager.explorer.', '')));
    expect([...actions].sort()).toEqual(['read', 'update']);
  });

  it('refuses a slug another channel has, and still refuses a mirrored field', async () => {
    const taken = await edit(catalog[0].idChannel, { slug: 'knee-masterclass' });
    expect(taken.status).toBe(400);
    const mirrored = await edit(catalog[0].idChannel, { title: 'Edited', featured: true });
    expect(mirrored.status).toBe(403);
    expect(mirrored.body.error.details).toMatchObject({
      code: 'MIRRORED_FIELD',
      fields: ['title'],
    });
    expect(await row(catalog[0].idChannel)).toMatchObject({
      title: catalog[0].title,
      featured: false,
    });
  });
});
