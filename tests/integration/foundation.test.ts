import { createAdmin } from '../helpers/auth';
import { captureLogs } from '../helpers/capture';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('plugin boots in a real Strapi', () => {
  let app: TestApp;
  let superAdmin: string;

  beforeAll(async () => {
    app = await startTestApp();
    superAdmin = (await createAdmin(app, 'super')).token;
  });

  afterAll(() => app.close());

  it('registers the plugin and its content types', () => {
    expect(app.strapi.plugin('osteocom')).toBeDefined();
    expect(app.strapi.contentType('plugin::osteocom.channel')).toBeDefined();
    expect(app.strapi.contentType('plugin::osteocom.entitlement')).toBeDefined();
  });

  it('answers an admin route for an admin with the read action', async () => {
    const res = await app.http.get('/osteocom/overview').set('Authorization', `Bearer ${superAdmin}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ environment: 'test', configured: true });
  });

  it('refuses the admin route without an admin session', async () => {
    const res = await app.http.get('/osteocom/overview');
    expect(res.status).toBe(401);
  });

  it('refuses the admin route to an admin role without the action', async () => {
    const { token } = await createAdmin(app, ['plugin::osteocom.sync']);
    const res = await app.http.get('/osteocom/overview').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
  });

  it('registers the nine RBAC actions', async () => {
    const actions = app.strapi
      .service('admin::permission')
      .actionProvider.values()
      .map((action: { actionId: string }) => action.actionId)
      .filter((id: string) => id.startsWith('plugin::osteocom.'));
    expect(actions.sort()).toEqual(
      ['authorize', 'customers.erase', 'customers.export', 'encryption.rotate', 'members.export', 'read', 'reports.view', 'revoke', 'settings.read', 'settings.update', 'sync'].map((a) => `plugin::osteocom.${a}`)
    );
  });

  it('tests the connection against the sandbox', async () => {
    const res = await app.http.post('/osteocom/settings/test-connection').set('Authorization', `Bearer ${superAdmin}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, environment: 'test' });
    expect(app.sandbox.count('login')).toBeGreaterThanOrEqual(1);
  });

  it('never returns the client secret and shows env-set values as locked', async () => {
    const res = await app.http.get('/osteocom/settings').set('Authorization', `Bearer ${superAdmin}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(app.sandbox.clientSecret);
    expect(res.body.data.values.clientSecretSet).toBe(true);
    expect(res.body.data.locked).toEqual(expect.arrayContaining(['baseUrl', 'clientId', 'clientSecret']));
  });

  it('refuses to change a locked setting with a clear 400', async () => {
    const res = await app.http
      .put('/osteocom/settings')
      .set('Authorization', `Bearer ${superAdmin}`)
      .send({ clientId: 'other' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toContain('clientId');
  });

  it('validates settings input and names the field', async () => {
    const res = await app.http
      .put('/osteocom/settings')
      .set('Authorization', `Bearer ${superAdmin}`)
      .send({ syncCron: 'every day please' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.errors[0].path).toEqual(['syncCron']);
  });

  /** The test app sets OSTEOCOM_VALIDATE_REPLIES=1 (tests/helpers/test-app.ts); a site does not. */
  describe('replies checked against their contracts in tests', () => {
    const overview = () => app.http.get('/osteocom/overview').set('Authorization', `Bearer ${superAdmin}`);

    it('fails a reply that drifted from its contract with a 500 that names the route and the field', async () => {
      // A service whose row no longer matches the contract: the run id became a string.
      const catalogSync = app.strapi.plugin('osteocom').service('catalog-sync');
      const lastRun = catalogSync.lastRun;
      catalogSync.lastRun = async () => ({ id: 'run-1', trigger: 'manual', status: 'succeeded', startedAt: new Date().toISOString() });
      const logs = captureLogs(app.strapi.log);
      try {
        const drifted = await overview();
        expect(drifted.status).toBe(500);
        expect(logs.lines.map((line) => line.text).join('\n')).toMatch(/the reply of GET \/osteocom\/overview does not match its contract: data\.lastRun\.id:/);

        // Read at each call, not at import: without it (a site), the same reply goes out unchecked.
        process.env.OSTEOCOM_VALIDATE_REPLIES = '0';
        const unchecked = await overview();
        expect(unchecked.status).toBe(200);
        expect(unchecked.body.data.lastRun.id).toBe('run-1');
      } finally {
        process.env.OSTEOCOM_VALIDATE_REPLIES = '1';
        logs.restore();
        catalogSync.lastRun = lastRun;
      }
      expect((await overview()).status).toBe(200);
    });
  });
});
