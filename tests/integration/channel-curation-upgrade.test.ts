/**
 * Issue 25, upgrade: a site whose channels were synced by a version without the site-owned fields
 * boots with every channel listed, not featured, with a unique slug (equal titles too) under a
 * real unique index, and its Editor role able to set them — once: a field an admin later takes
 * away from the Editor stays away.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createAdminInRole } from '../helpers/auth';
import { listIndexes } from '../helpers/db-catalog';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CHANNEL = 'plugin::osteocom.channel';
const TABLE = 'osteocom_channels';
const SITE_COLUMNS = ['slug', 'listed', 'featured', 'position', 'summary'];
const SITE_FIELDS = ['slug', 'listed', 'featured', 'position', 'summary', 'siteCover'];
const UPDATE = 'plugin::content-manager.explorer.update';
const VIDEO = 'plugin::osteocom.video';
const WRITES = ['create', 'delete', 'publish'].map((action) => `plugin::content-manager.explorer.${action}`);
const catalog = generateCatalog({ channels: 4, videosPerChannel: 1 });

describe('upgrading to site-owned channel fields', () => {
  let database: TestDatabase;
  let app: TestApp;
  const start = () => startTestApp({ database, sandbox: { catalog } });
  const knex = () => app.strapi.db.connection;

  const editorRole = () =>
    app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
  const editorUpdate = async () =>
    app.strapi.db
      .query('admin::permission')
      .findOne({ where: { role: (await editorRole()).id, subject: CHANNEL, action: UPDATE } });
  const setEditorFields = async (fields: string[]) => {
    const permission = await editorUpdate();
    await app.strapi.db
      .query('admin::permission')
      .update({
        where: { id: permission.id },
        data: { properties: { ...permission.properties, fields } },
      });
  };

  const grantEditor = async (action: string, subject: string) =>
    app.strapi.db.query('admin::permission').create({
      data: { action: `plugin::content-manager.explorer.${action}`, subject, properties: {}, conditions: [], role: (await editorRole()).id },
    });
  const editorWrites = async () =>
    (await app.strapi.db.query('admin::permission').findMany({ where: { role: (await editorRole()).id, subject: { $in: [CHANNEL, VIDEO] }, action: { $in: WRITES } } })).map(
      (permission: { action: string; subject: string }) => `${permission.action} ${permission.subject}`
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await start();
    const admin = (await createAdmin(app, 'super')).token;
    expect(
      (await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).body
        .data.status
    ).toBe('succeeded');

    // The database as the previous version left it: no site columns, two channels of one title,
    // the Editor's channel permissions listing only the mirrored fields, no record of a grant.
    await knex()(TABLE)
      .whereIn('id_channel', [catalog[2].idChannel, catalog[3].idChannel])
      .update({ title: 'Hip arthroscopy' });
    await knex().schema.alterTable(TABLE, (table) => {
      for (const column of SITE_COLUMNS) table.dropColumn(column);
    });
    const permission = await editorUpdate();
    await setEditorFields(
      permission.properties.fields.filter((field: string) => !SITE_FIELDS.includes(field))
    );
    await knex()('strapi_core_store_settings')
      .where('key', 'like', 'plugin_osteocom_channel-site-fields%')
      .delete();
    // …and the create/delete/publish Strapi gave its default roles on every type.
    for (const action of ['create', 'delete']) await grantEditor(action, CHANNEL);
    await grantEditor('delete', VIDEO);
    await knex()('strapi_core_store_settings').where('key', 'like', 'plugin_osteocom_mirrored-write-permissions%').delete();
    await knex()('strapi_database_schema').update({ hash: 'changed-by-an-upgrade' });
    await app.close();
    app = await start();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('keeps every channel listed and not featured, with unique slugs, under a unique index', async () => {
    const rows = await knex()(TABLE)
      .select('id_channel', 'slug', 'listed', 'featured')
      .orderBy('id');
    expect(rows.map((row) => [Boolean(row.listed), Boolean(row.featured)])).toEqual(
      rows.map(() => [true, false])
    );
    expect(new Set(rows.map((row) => row.slug)).size).toBe(4);
    const slugOf = (idChannel: string) => rows.find((row) => row.id_channel === idChannel)?.slug;
    expect([slugOf(catalog[2].idChannel), slugOf(catalog[3].idChannel)]).toEqual([
      'hip-arthroscopy',
      'hip-arthroscopy-2',
    ]);
    const index = (await listIndexes(knex(), database.kind, TABLE)).find(
      (found) => found.name === 'osteocom_channels_slug_uq'
    );
    expect(index).toEqual({ name: 'osteocom_channels_slug_uq', unique: true });
    const listed = await app.http.get('/api/osteocom/channels');
    expect(listed.body.meta.pagination.total).toBe(4);
    expect(
      (await app.http.get('/api/osteocom/channels/hip-arthroscopy-2')).body.data.idChannel
    ).toBe(catalog[3].idChannel);
  });

  it("gives the Editor role the site fields, and an admin's later change is kept", async () => {
    expect((await editorUpdate()).properties.fields).toEqual(expect.arrayContaining(SITE_FIELDS));
    expect(await editorWrites()).toEqual([]);
    const editor = (await createAdminInRole(app, (await editorRole()).id)).token;
    const { documentId } = await app.strapi.db
      .query(CHANNEL)
      .findOne({ where: { idChannel: catalog[0].idChannel } });
    const saved = await app.http
      .put(`/content-manager/collection-types/${CHANNEL}/${documentId}`)
      .set('Authorization', `Bearer ${editor}`)
      .send({ featured: true });
    expect(saved.status).toBe(200);
    expect((await app.strapi.db.query(CHANNEL).findOne({ where: { documentId } })).featured).toBe(
      true
    );

    const fields = (await editorUpdate()).properties.fields.filter(
      (field: string) => field !== 'featured'
    );
    await setEditorFields(fields);
    await grantEditor('create', CHANNEL);
    // An admin's own Content Manager layout and labels stay too.
    const contentTypes = () => app.strapi.plugin('content-manager').service('content-types');
    const { settings, metadatas, layouts } = await contentTypes().findConfiguration({ uid: CHANNEL });
    metadatas.title.edit.label = 'Course name';
    await contentTypes().updateConfiguration({ uid: CHANNEL }, { settings, metadatas, layouts: { ...layouts, list: ['title', 'slug'] } });
    await app.close();
    app = await start();
    expect((await editorUpdate()).properties.fields).not.toContain('featured');
    expect(await editorWrites()).toEqual([`plugin::content-manager.explorer.create ${CHANNEL}`]);
    const kept = await contentTypes().findConfiguration({ uid: CHANNEL });
    expect([kept.metadatas.title.edit.label, kept.layouts.list]).toEqual(['Course name', ['title', 'slug']]);
  });
});
