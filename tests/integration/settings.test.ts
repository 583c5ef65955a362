import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { getService } from '../../server/src/utils/get-service';

describe('settings typed in the admin', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    // Credentials not in the environment: the admin provides them.
    app = await startTestApp({
      env: { OSTEOCOM_CLIENT_ID: undefined, OSTEOCOM_CLIENT_SECRET: undefined },
      // The schedule is the admin's to set here, so config must not lock it.
      pluginConfig: { sync: { enabled: undefined } },
    });
    admin = (await createAdmin(app, 'super')).token;
  });

  afterAll(() => app.close());

  it('reports an unconfigured connection with a clear 503, without calling Osteocom', async () => {
    const overview = await app.http.get('/osteocom/overview').set(auth());
    expect(overview.body.data.configured).toBe(false);
    const test = await app.http.post('/osteocom/settings/test-connection').set(auth());
    expect(test.status).toBe(503);
    expect(test.body.error.details.code).toBe('NOT_CONFIGURED');
    expect(app.sandbox.count()).toBe(0);
  });

  it('stores the secret encrypted and write-only, and connects with it', async () => {
    const put = await app.http.put('/osteocom/settings').set(auth()).send({ clientId: app.sandbox.clientId, clientSecret: app.sandbox.clientSecret });
    expect(put.status).toBe(200);
    expect(put.body.data.values).toMatchObject({ clientId: app.sandbox.clientId, clientSecretSet: true });
    expect(JSON.stringify(put.body)).not.toContain(app.sandbox.clientSecret);

    const get = await app.http.get('/osteocom/settings').set(auth());
    expect(JSON.stringify(get.body)).not.toContain(app.sandbox.clientSecret);
    expect(get.body.data.locked).not.toContain('clientSecret');

    const stored = await app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' }).get({});
    expect(JSON.stringify(stored)).not.toContain(app.sandbox.clientSecret);
    expect((stored as { clientSecretEncrypted: string }).clientSecretEncrypted).toMatch(/^v2:[0-9a-f]{8}:/);

    const test = await app.http.post('/osteocom/settings/test-connection').set(auth());
    expect(test.status).toBe(200);
    expect(test.body.data.ok).toBe(true);
  });

  it('says where each connection value comes from, and sends a typed secret only to the URL it was saved for', async () => {
    const get = await app.http.get('/osteocom/settings').set(auth());
    expect(get.body.data.sources).toMatchObject({ environment: 'default', baseUrl: 'config', clientId: 'admin', clientSecret: 'admin' });
    const store = app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' });
    const saved = (await store.get({})) as Record<string, unknown>;
    // Saved for the base URL in effect then (OSTEOCOM_BASE_URL, the sandbox).
    expect(saved.clientSecretFor).toBe(app.sandbox.url.replace(/\/+$/, ''));

    // As if OSTEOCOM_BASE_URL pointed elsewhere when the secret was typed: it does not follow the URL.
    await store.set({ value: { ...saved, clientSecretFor: 'https://test.osteocom.me/sv6' } });
    await getService(app.strapi, 'settings').get({ fresh: true });
    const before = app.sandbox.count();
    const moved = await app.http.post('/osteocom/settings/test-connection').set(auth());
    expect([moved.status, moved.body.error?.details.code]).toEqual([503, 'NOT_CONFIGURED']);
    expect(moved.body.error.message).toMatch(/saved for https:\/\/test\.osteocom\.me, but the base URL is now http:\/\/127\.0\.0\.1:\d+: type the client secret again/);
    expect(app.sandbox.count()).toBe(before);

    // One saved before the URL was recorded is taken as saved for where it goes now, and recorded so.
    const { clientSecretFor: _dropped, ...unrecorded } = saved;
    await store.set({ value: unrecorded });
    await getService(app.strapi, 'settings').get({ fresh: true });
    expect((await app.http.post('/osteocom/settings/test-connection').set(auth())).body.data?.ok).toBe(true);
    expect(((await store.get({})) as Record<string, unknown>).clientSecretFor).toBe(saved.clientSecretFor);
  });

  it('rejects a wrong secret with UPSTREAM_UNAUTHORIZED and never echoes it', async () => {
    await app.http.put('/osteocom/settings').set(auth()).send({ clientSecret: 'wrong-secret-value' });
    const test = await app.http.post('/osteocom/settings/test-connection').set(auth());
    expect(test.status).toBe(502);
    expect(test.body.error.details.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(JSON.stringify(test.body)).not.toContain('wrong-secret-value');
    await app.http.put('/osteocom/settings').set(auth()).send({ clientSecret: app.sandbox.clientSecret });
  });

  it('applies a new schedule at once, and turns the scheduled sync off and on', async () => {
    const on = await app.http.put('/osteocom/settings').set(auth()).send({ syncEnabled: true, syncCron: '0 3 * * *', syncTz: 'Europe/Rome' });
    expect(on.status).toBe(200);
    const overview = await app.http.get('/osteocom/overview').set(auth());
    const next = new Date(overview.body.data.nextSyncAt);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('03:00');

    await app.http.put('/osteocom/settings').set(auth()).send({ syncEnabled: false });
    const off = await app.http.get('/osteocom/overview').set(auth());
    expect(off.body.data.nextSyncAt).toBeNull();
  });

  it('syncs a cron tick once, even when another server fires it after this one\'s sync ended (clock skew)', async () => {
    const runs = app.strapi.db.query('plugin::osteocom.sync-run');
    const { clientId, clientSecret } = app.sandbox;
    // Counted before the schedule is on: on a loaded machine its first tick can sync before the reply.
    const before = await runs.count({ where: { trigger: 'cron' } });
    const lastBefore = (await runs.findOne({ where: { trigger: 'cron' }, orderBy: { id: 'desc' } }))?.id ?? 0;
    const settings = await app.http.put('/osteocom/settings').set(auth()).send({ clientId, clientSecret, syncEnabled: true, syncCron: '*/4 * * * * *' });
    expect([settings.status, settings.body.error]).toEqual([200, undefined]);
    const served = await waitFor('a cron tick to sync', () => runs.findOne({ where: { trigger: 'cron', status: { $ne: 'running' }, id: { $gt: lastBefore } }, orderBy: { id: 'desc' } }), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await app.http.put('/osteocom/settings').set(auth()).send({ syncEnabled: false });
    // The run names the tick it served: the rule's scheduled time, the same on every server.
    expect(new Date(served.tick).getTime() % 4_000).toBe(0);
    // A tick that had come when the run started; how late it fired is the machine's load, not the rule.
    const lateBy = new Date(served.startedAt).getTime() - new Date(served.tick).getTime();
    expect([lateBy >= -1_000, lateBy < 60_000]).toEqual([true, true]);

    const calls = app.sandbox.count('catalog');
    const cronRuns = await runs.count({ where: { trigger: 'cron' } });
    expect(cronRuns).toBeGreaterThan(before);
    // The same tick firing late on another server, after the sync ended and freed the lease.
    await getService(app.strapi, 'catalog-sync').runScheduled(new Date(served.tick));
    expect(await runs.count({ where: { trigger: 'cron' } })).toBe(cronRuns);
    expect(app.sandbox.count('catalog')).toBe(calls);
    // Another tick is served.
    await getService(app.strapi, 'catalog-sync').runScheduled(new Date(new Date(served.tick).getTime() + 4_000));
    expect(await runs.count({ where: { trigger: 'cron' } })).toBe(cronRuns + 1);
    expect(app.sandbox.count('catalog')).toBe(calls + 1);
  });

  it('names the tick a firing serves after the server was too busy for some (Strapi 5.54 counts ticks on from the last firing)', async () => {
    const runs = app.strapi.db.query('plugin::osteocom.sync-run');
    const { clientId, clientSecret } = app.sandbox;
    const lastBefore = (await runs.findOne({ where: { trigger: 'cron' }, orderBy: { id: 'desc' } }))?.id ?? 0;
    const settings = await app.http.put('/osteocom/settings').set(auth()).send({ clientId, clientSecret, syncEnabled: true, syncCron: '*/2 * * * * *' });
    expect([settings.status, settings.body.error]).toEqual([200, undefined]);
    const { after, busyEnded } = await (async () => {
      await waitFor('a cron tick to sync', () => runs.findOne({ where: { trigger: 'cron', status: { $ne: 'running' }, id: { $gt: lastBefore } } }), { timeoutMs: 10_000, intervalMs: 100 });
      // This process (the server) does nothing else for 5 s: croner passes over the ticks it missed.
      const busyUntil = Date.now() + 5_000;
      while (Date.now() < busyUntil);
      const ended = Date.now();
      const run = await waitFor('a tick after the busy spell to sync', () => runs.findOne({ where: { trigger: 'cron', status: { $ne: 'running' }, startedAt: { $gte: ended } } }), {
        timeoutMs: 15_000,
        intervalMs: 100,
      });
      return { after: run, busyEnded: ended };
    })().finally(() => app.http.put('/osteocom/settings').set(auth()).send({ syncEnabled: false }));
    // The latest tick at or before the firing, which came after the busy spell; counted on, it would name one from inside it.
    const tick = new Date(after.tick).getTime();
    expect(tick % 2_000).toBe(0);
    expect(tick).toBeGreaterThanOrEqual(busyEnded - 2_000);
    expect(tick).toBeLessThanOrEqual(new Date(after.startedAt).getTime() + 1_500);
  });

  it('refuses a cron rule the scheduler could not run, naming the field', async () => {
    for (const syncCron of ['99 * * * *', '0 25 * * *', '*/0 * * * *', '0 0 32 * *']) {
      const res = await app.http.put('/osteocom/settings').set(auth()).send({ syncCron });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['syncCron']);
    }
    const ok = await app.http.put('/osteocom/settings').set(auth()).send({ syncCron: '30 2 * * MON-FRI' });
    expect(ok.status).toBe(200);
  });

  it('keeps a currency, EUR by default, and refuses a code that is not ISO 4217', async () => {
    const before = await app.http.get('/osteocom/settings').set(auth());
    expect([before.body.data.values.currency, before.body.data.sources.currency]).toEqual(['EUR', 'default']);
    for (const currency of ['XYZ', 'eur', 'EURO', '']) {
      const res = await app.http.put('/osteocom/settings').set(auth()).send({ currency });
      expect([currency, res.status, res.body.error.details.errors[0].path]).toEqual([currency, 400, ['currency']]);
    }
    const ok = await app.http.put('/osteocom/settings').set(auth()).send({ currency: 'CHF' });
    expect([ok.status, ok.body.data.values.currency, ok.body.data.sources.currency]).toEqual([200, 'CHF', 'admin']);
    expect((await app.http.put('/osteocom/settings').set(auth()).send({ currency: 'EUR' })).status).toBe(200);
  });

  it('refuses settings changes without the settings.update action', async () => {
    const { token } = await createAdmin(app, ['plugin::osteocom.settings.read']);
    const read = await app.http.get('/osteocom/settings').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    const write = await app.http.put('/osteocom/settings').set('Authorization', `Bearer ${token}`).send({ syncEnabled: true });
    expect(write.status).toBe(403);
  });
});
