import { grantDefaultPermissions } from '../../server/src/setup/default-permissions';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const waitFor = async <T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('first start of the plugin', () => {
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ firstStart: true, pluginConfig: { sync: { onStartup: true, startupDelayMs: 200 } } });
    admin = (await createAdmin(app, 'super')).token;
  });

  afterAll(() => app.close());

  it('syncs the catalog shortly after startup, through the lock', async () => {
    const run = await waitFor(() => app.strapi.db.query('plugin::osteocom.sync-run').findOne({ where: { trigger: 'startup', status: 'succeeded' } }));
    expect(run.created).toBeGreaterThan(0);
  });

  it('lets editors browse the mirrored channels in the Content Manager', async () => {
    const res = await app.http
      .get('/content-manager/collection-types/plugin::osteocom.channel?page=1&pageSize=5')
      .set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
    // Strapi 5's Content Manager reports its own draft/publish `status`, hence `availability`.
    expect(res.body.results[0]).toMatchObject({ idChannel: expect.any(String), availability: 'available' });
  });

  it('grants the default content-API permissions once, so an admin can take them away', async () => {
    expect((await app.http.get('/api/osteocom/channels')).status).toBe(200);
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    await app.strapi.db
      .query('plugin::users-permissions.permission')
      .delete({ where: { action: 'plugin::osteocom.catalog.find', role: publicRole.id } });
    await grantDefaultPermissions(app.strapi);
    const permission = await app.strapi.db
      .query('plugin::users-permissions.permission')
      .findOne({ where: { action: 'plugin::osteocom.catalog.find', role: publicRole.id } });
    expect(permission).toBeNull();
    const authenticated = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const granted = await app.strapi.db
      .query('plugin::users-permissions.permission')
      .findMany({ where: { role: authenticated.id, action: { $startsWith: 'plugin::osteocom.' } } });
    expect(granted.map((p: { action: string }) => p.action).sort()).toEqual([
      'plugin::osteocom.catalog.find',
      'plugin::osteocom.catalog.findOne',
      'plugin::osteocom.me.get',
      'plugin::osteocom.video-token.create',
    ]);
  });

  it("grants Public only the plugin's catalog routes, not the mirrored types' entry routes", async () => {
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const granted = await app.strapi.db
      .query('plugin::users-permissions.permission')
      .findMany({ where: { role: publicRole.id, action: { $startsWith: 'plugin::osteocom.' } } });
    // Only catalog actions (catalog.find was taken away above).
    expect(granted.map((p: { action: string }) => p.action).filter((action: string) => !action.startsWith('plugin::osteocom.catalog.'))).toEqual([]);
    for (const url of ['/api/osteocom/entries/channels', '/api/osteocom/entries/videos']) expect((await app.http.get(url)).status).toBe(403);
  });

  it('on a site upgrading from 0.1.0 (only a flag stored), grants nothing an admin took away', async () => {
    const store = app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'default-permissions-granted' });
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const publicActions = async () =>
      ((await permissions.findMany({ where: { role: publicRole.id, action: { $startsWith: 'plugin::osteocom.' } } })) as { action: string }[]).map((p) => p.action).sort();
    // As 0.1.0 left it: its grants, one taken away by an admin (catalog.findOne), and its flag.
    const before = await publicActions();
    await permissions.delete({ where: { role: publicRole.id, action: 'plugin::osteocom.catalog.findOne' } });
    await store.set({ value: { at: '2026-11-26T00:00:00.000Z' } });

    await grantDefaultPermissions(app.strapi);
    expect(await publicActions()).toEqual(before.filter((action) => action !== 'plugin::osteocom.catalog.findOne'));
  });

  it('on a site whose earlier version granted the entry routes, keeps them (now bounded) and adds nothing', async () => {
    const store = app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'default-permissions-granted' });
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const publicRole = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const entries = ['channel.find', 'channel.findOne', 'video.find', 'video.findOne'].map((action) => `plugin::osteocom.${action}`);
    for (const action of entries) await permissions.create({ data: { action, role: publicRole.id } });
    // What the earlier version recorded: its grants, the entry routes among them.
    const catalogActions = ['plugin::osteocom.catalog.find', 'plugin::osteocom.catalog.findOne', ...entries];
    const granted = [
      ...catalogActions.map((action) => `public:${action}`),
      ...[...catalogActions, 'plugin::osteocom.video-token.create', 'plugin::osteocom.me.get'].map((action) => `authenticated:${action}`),
    ];
    await store.set({ value: { granted, at: '2026-12-01T00:00:00.000Z' } });

    await grantDefaultPermissions(app.strapi);
    const kept = ((await permissions.findMany({ where: { role: publicRole.id, action: { $in: entries } } })) as { action: string }[]).map((p) => p.action).sort();
    expect(kept).toEqual([...entries].sort());
    expect((await app.http.get('/api/osteocom/entries/channels?populate=videos')).status).toBe(200);
    const deep = await app.http.get('/api/osteocom/entries/channels?populate[videos][populate][channel]=true');
    expect([deep.status, deep.body.error.details.code]).toEqual([400, 'POPULATE_NOT_ALLOWED']);
  });
});
