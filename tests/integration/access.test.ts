import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { createTestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 4, videosPerChannel: 3 });
const [first, second, third, fourth] = catalog.map((channel) => channel.idChannel);

describe('customer access', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  const authorize = (body: object, headers = auth()) => app.http.post('/osteocom/authorizations').set(headers).send(body);
  const revoke = (body: object, headers = auth()) => app.http.post('/osteocom/revocations').set(headers).send(body);

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { outbox: { backoffBaseSeconds: 1, maxAttempts: 3 } } });
    admin = (await createAdmin(app, 'super')).token;
    const run = await app.http.post('/osteocom/sync?wait=true').set(auth());
    expect(run.body.data.status).toBe('succeeded');
  });

  afterAll(() => app.close());

  it('authorizes a customer: active entitlement, catalog price, encrypted key at rest', async () => {
    const res = await authorize({ userId: 'shop-user-1', email: 'ann@example.com', name: 'Ann', products: [{ productId: first }] });
    expect(res.status).toBe(200);
    expect(res.body.data.state).toBe('active');
    expect(res.body.data.entitlements).toEqual([expect.objectContaining({ channelKey: first, status: 'active', price: catalog[0].price })]);

    const upstream = app.sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization').at(-1)!;
    expect(upstream.body).toEqual({
      clientId: app.sandbox.clientId,
      userId: 'shop-user-1',
      email: 'ann@example.com',
      name: 'Ann',
      products: [{ productId: first, price: catalog[0].price }],
    });
    const accessKey = app.sandbox.customer('shop-user-1')!.accessKey;
    const raw = await app.strapi.db.connection('osteocom_customers').where({ user_id: 'shop-user-1' }).first();
    expect(raw.access_key).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(raw.access_key).not.toContain(accessKey);
    expect(JSON.stringify(res.body)).not.toContain(accessKey);
  });

  it('is idempotent: repeating the call creates no duplicate', async () => {
    const again = await authorize({ userId: 'shop-user-1', email: 'ann@example.com', products: [{ productId: first }] });
    expect(again.status).toBe(200);
    expect(await app.strapi.db.query('plugin::osteocom.entitlement').count({ where: { customerKey: 'shop-user-1' } })).toBe(1);
    expect(await app.strapi.db.query('plugin::osteocom.customer').count({ where: { userId: 'shop-user-1' } })).toBe(1);
  });

  it.each([
    ['malformed email', { userId: 'u2', email: 'not-an-email', products: [{ productId: first }] }, 'INVALID_EMAIL'],
    ['unknown channel', { userId: 'u2', products: [{ productId: 'does-not-exist' }] }, 'UNKNOWN_CHANNEL'],
    ['no products', { userId: 'u2', products: [] }, 'VALIDATION_ERROR'],
    ['missing userId', { products: [{ productId: first }] }, 'VALIDATION_ERROR'],
    ['wrong types', { userId: 42, products: 'all' }, 'VALIDATION_ERROR'],
  ])('answers 400 for %s without calling Osteocom', async (_, body, code) => {
    const before = app.sandbox.count('contentAccessAuthorization');
    const res = await authorize(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe(code);
    expect(app.sandbox.count('contentAccessAuthorization')).toBe(before);
  });

  it('requires an email locally when the Osteocom account does (emailRequired), whatever the consent flag', async () => {
    await app.http.put('/osteocom/settings').set(auth()).send({ emailRequired: true });
    try {
      for (const marketingConsent of [true, false, undefined]) {
        const before = app.sandbox.count('contentAccessAuthorization');
        const res = await authorize({ userId: 'needs-email', marketingConsent, products: [{ productId: first }] });
        expect([res.status, res.body.error.details.code]).toEqual([400, 'EMAIL_REQUIRED']);
        expect(app.sandbox.count('contentAccessAuthorization')).toBe(before);
      }
    } finally {
      await app.http.put('/osteocom/settings').set(auth()).send({ emailRequired: false });
    }
  });

  it('revokes: revoked with the upstream cancellationDate, and Osteocom refuses the video after', async () => {
    const res = await revoke({ userId: 'shop-user-1', channelId: first });
    expect(res.status).toBe(200);
    const entitlement = res.body.data.entitlements[0];
    expect(entitlement.status).toBe('revoked');
    const cancellation = app.sandbox.customer('shop-user-1')!.activations[first].cancellationDate!;
    expect(new Date(entitlement.revokedAt).toISOString()).toBe(new Date(cancellation).toISOString());
  });

  it('answers 404 when revoking access that was never granted', async () => {
    const res = await revoke({ userId: 'nobody', channelId: first });
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('ENTITLEMENT_NOT_FOUND');
  });

  it('keeps a purchase when Osteocom is down (202), and the outbox activates it once Osteocom is back', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 3 });
    const res = await authorize({ userId: 'shop-user-3', products: [{ productId: second }] });
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ state: 'pending', entitlements: [expect.objectContaining({ status: 'pending' })] });

    await app.strapi.db.query('plugin::osteocom.entitlement').updateMany({ where: { customerKey: 'shop-user-3' }, data: { nextAttemptAt: new Date(0) } });
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    const detail = await app.http.get('/osteocom/customers/shop-user-3').set(auth());
    expect(detail.body.data.entitlements[0]).toMatchObject({ status: 'active', channelKey: second });
  });

  it('marks a purchase failed with the reason when Osteocom refuses it for good', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 3 });
    await authorize({ userId: 'shop-user-4', email: 'bob@example.com', products: [{ productId: third }] });
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 403, json: { error: 'Malformed email' } });
    await app.strapi.db.query('plugin::osteocom.entitlement').updateMany({ where: { customerKey: 'shop-user-4' }, data: { nextAttemptAt: new Date(0) } });
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    const detail = await app.http.get('/osteocom/customers/shop-user-4').set(auth());
    expect(detail.body.data.entitlements[0]).toMatchObject({ status: 'failed' });
    expect(detail.body.data.entitlements[0].lastError).toMatch(/email/i);
  });

  it('records an audit trail without secrets', async () => {
    const res = await app.http.get('/osteocom/audit-events?userId=shop-user-1').set(auth());
    expect(res.status).toBe(200);
    const actions = res.body.data.map((event: { action: string; outcome: string }) => `${event.action}:${event.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['authorize:success', 'revoke:success']));
    expect(res.body.data[0]).toMatchObject({ actorType: 'admin' });
    expect(JSON.stringify(res.body)).not.toContain(app.sandbox.customer('shop-user-1')!.accessKey);
  });

  it('lists and searches customers without their access key', async () => {
    const res = await app.http.post('/osteocom/customers/search').set(auth()).send({ q: 'ann@' });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).not.toHaveProperty('accessKey');
    const detail = await app.http.get('/osteocom/customers/shop-user-1').set(auth());
    expect(detail.body.data).not.toHaveProperty('accessKey');
  });

  it("names each of a customer's channels, null once the channel has left the mirror", async () => {
    await authorize({ userId: 'titled-user', products: [{ productId: first }, { productId: fourth }] });
    // As when an editor deletes the channel in the Content Manager.
    await app.strapi.db.query('plugin::osteocom.channel').delete({ where: { idChannel: fourth } });
    const detail = await app.http.get('/osteocom/customers/titled-user').set(auth());
    expect(detail.status).toBe(200);
    expect(detail.body.data.entitlements).toHaveLength(2);
    expect(detail.body.data.entitlements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channelKey: first, channelTitle: catalog[0].title }),
        expect.objectContaining({ channelKey: fourth, channelTitle: null }),
      ])
    );
  });

  it('refuses control characters in a search with a 400, which PostgreSQL would otherwise reject', async () => {
    const res = await app.http.post('/osteocom/customers/search').set(auth()).send({ q: 'ann\u0000' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
  });

  describe('who may call', () => {
    it('refuses an admin role without the authorize action', async () => {
      const { token } = await createAdmin(app, ['plugin::osteocom.read']);
      const res = await authorize({ userId: 'x', products: [{ productId: first }] }, { Authorization: `Bearer ${token}` });
      expect(res.status).toBe(403);
    });

    it('lets a custom API token with the action authorize over the content API, and not a read-only one', async () => {
      const shop = await createApiToken(app, 'custom', ['plugin::osteocom.access.authorize', 'plugin::osteocom.access.revoke']);
      const ok = await app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${shop}`).send({ userId: 'shop-user-5', products: [{ productId: first, price: 10 }] });
      expect(ok.status).toBe(200);
      expect(ok.body.data.entitlements[0]).toMatchObject({ status: 'active', price: 10 });
      const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findOne({ where: { subjectUserId: 'shop-user-5' } });
      expect(audit.actorType).toBe('api-token');

      const readOnly = await createApiToken(app, 'read-only');
      const refused = await app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${readOnly}`).send({ userId: 'x', products: [{ productId: first }] });
      expect(refused.status).toBe(403);
    });

    it('refuses an end user JWT and the public on the back-end routes', async () => {
      const { jwt } = await createEndUser(app);
      const asUser = await app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${jwt}`).send({ userId: 'x', products: [{ productId: first }] });
      expect(asUser.status).toBe(403);
      const anonymous = await app.http.post('/api/osteocom/revocations').send({ userId: 'x', channelId: first });
      expect(anonymous.status).toBe(403);
    });
  });
});

describe('the outbox across a restart', () => {
  it('keeps a purchase made while Osteocom was down through a Strapi restart, then activates it', async () => {
    const database = await createTestDatabase();
    try {
      const before = await startTestApp({ sandbox: { catalog }, database });
      const admin = (await createAdmin(before, 'super')).token;
      await before.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
      before.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 10 });
      const sold = await before.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${admin}`)
        .send({ userId: 'restart-user', products: [{ productId: first }] });
      expect(sold.status).toBe(202);
      await before.close();

      // A new process on the same database, Osteocom reachable again.
      const after = await startTestApp({ sandbox: { catalog }, database });
      try {
        const pending = await after.strapi.db.query('plugin::osteocom.entitlement').findOne({ where: { customerKey: 'restart-user' } });
        expect(pending).toMatchObject({ status: 'pending', pendingOperation: 'authorize' });
        await after.strapi.db.query('plugin::osteocom.entitlement').update({ where: { id: pending.id }, data: { nextAttemptAt: new Date(0) } });
        await after.strapi.plugin('osteocom').service('outbox').runOnce();
        const active = await after.strapi.db.query('plugin::osteocom.entitlement').findOne({ where: { customerKey: 'restart-user' } });
        expect(active.status).toBe('active');
        expect(after.sandbox.customer('restart-user')!.activations[first]).toBeDefined();
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });
});
