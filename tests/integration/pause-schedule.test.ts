/**
 * Issue 26, access lifecycle: pause/resume (a subscription suspended at the shop) and a scheduled
 * start (`products[].accessFrom`), through the shop's content API, against the sandbox. Every test
 * ends by comparing the plugin's row with what the sandbox — Osteocom — holds, and the token route.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [A] = catalog.map((channel) => channel.idChannel);
const VIDEO = catalog[0].video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Row {
  id: number;
  version: number;
  status: string;
  pendingOperation: string | null;
  price: number | null;
  accessUntil: string | null;
  accessFrom: string | null;
  pausedAt: string | null;
  authorizedAt: string | null;
}

describe('pause, resume and scheduled start', () => {
  let app: TestApp;
  let shop: string;
  let admin: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const api = (path: string, body: object) => app.http.post(`/api/osteocom${path}`).set('Authorization', `Bearer ${shop}`).send(body);
  const authorize = (userId: string, product: object = {}) => api('/authorizations', { userId, products: [{ productId: A, ...product }] });
  const pause = (userId: string, channelId = A) => api('/pauses', { userId, channelId });
  const resume = (userId: string, channelId = A) => api('/resumptions', { userId, channelId });
  const refund = (userId: string) => api('/revocations', { userId, channelId: A });
  const token = (jwt: string) => app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: VIDEO });
  const row = async (userId: string) => (await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } })) as Row;
  const outboxPass = () => app.strapi.plugin('osteocom').service('outbox').runOnce();
  /** What Osteocom holds for the pair. */
  const upstream = (userId: string) => {
    const activation = app.sandbox.customer(userId)?.activations[A];
    if (!activation) return 'none';
    return activation.cancellationDate ? 'revoked' : 'active';
  };
  const calls = (endpoint: 'contentAccessAuthorization' | 'revocateActivation', userId: string) =>
    app.sandbox.requests.filter((request) => request.endpoint === endpoint && (request.body as { userId?: string }).userId === userId);
  /** The outbox until this customer has nothing left to send (time "passes": every operation is due, no call can still land). */
  const drain = async (userId: string) => {
    for (let pass = 0; pass < 10; pass += 1) {
      if (!(await row(userId)).pendingOperation) return;
      await app.strapi.db
        .query(ENTITLEMENT)
        .updateMany({ where: { customerKey: userId, pendingOperation: { $notNull: true } }, data: { nextAttemptAt: new Date(0), calls: [], doubtOperation: null, doubtUntil: null } });
      await outboxPass();
    }
    throw new Error('the outbox did not settle in 10 passes');
  };
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };
  const deliveriesFor = (userId: string, event: string) => receiver.deliveries.filter((delivery) => delivery.event === event && delivery.body.userId === userId);

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { http: { timeoutMs: 1_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    shop = await createApiToken(app, 'custom', [
      'plugin::osteocom.access.authorize',
      'plugin::osteocom.access.revoke',
      'plugin::osteocom.access.pause',
      'plugin::osteocom.access.resume',
    ]);
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).body.data.status).toBe('succeeded');
    const hook = await app.http
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'shop', url: receiver.url, headers: {}, events: ['osteocom.access.paused', 'osteocom.access.resumed', 'osteocom.access.granted'] });
    expect(hook.status).toBe(201);
  });
  afterEach(() => {
    app.sandbox.clearFaults();
    app.sandbox.release();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  describe('pause and resume', () => {
    it('pause revokes at Osteocom and the token route answers ACCESS_PAUSED; resume authorizes again with the stored price and pushes accessUntil back by the pause', async () => {
      const { userId, jwt } = await buyer();
      const until = new Date(Date.now() + 30 * DAY_MS).toISOString();
      expect((await authorize(userId, { price: 4_900, accessUntil: until })).status).toBe(200);
      expect((await token(jwt)).status).toBe(200);

      const paused = await pause(userId);
      expect([paused.status, paused.body.data.state]).toEqual([200, 'paused']);
      expect(paused.body.data.entitlements[0]).toMatchObject({ status: 'paused', pendingOperation: null, pausedAt: expect.any(String), accessUntil: until });
      expect(upstream(userId)).toBe('revoked');
      const videoCalls = app.sandbox.count('videoAccess');
      const refused = await token(jwt);
      expect([refused.status, refused.body.error.details.code]).toEqual([403, 'ACCESS_PAUSED']);
      expect(app.sandbox.count('videoAccess')).toBe(videoCalls);
      const stored = await row(userId);
      expect(stored).toMatchObject({ status: 'paused', price: 4_900 });

      // Pausing twice changes nothing and calls nobody.
      const revocations = calls('revocateActivation', userId).length;
      const again = await pause(userId);
      expect([again.status, again.body.data.state]).toEqual([200, 'paused']);
      expect(calls('revocateActivation', userId)).toHaveLength(revocations);
      expect((await row(userId)).pausedAt).toBe(stored.pausedAt);

      // The expiry pass leaves a paused access alone, even past its end.
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessUntil: new Date(Date.now() - 1_000) } });
      await outboxPass();
      expect(await row(userId)).toMatchObject({ status: 'paused', pendingOperation: null });
      expect((await token(jwt)).body.error.details.code).toBe('ACCESS_PAUSED');
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessUntil: until } });

      const before = Date.now();
      const resumed = await resume(userId);
      const after = Date.now();
      expect([resumed.status, resumed.body.data.state]).toEqual([200, 'active']);
      const resumedRow = await row(userId);
      expect(resumedRow).toMatchObject({ status: 'active', pendingOperation: null, pausedAt: null, authorizedAt: stored.authorizedAt });
      // Pushed back by the time spent paused: from pausedAt to the resume (measured around the call).
      const pushed = Date.parse(resumedRow.accessUntil!) - Date.parse(until);
      const pausedFrom = Date.parse(stored.pausedAt!);
      expect(pushed).toBeGreaterThanOrEqual(before - pausedFrom);
      expect(pushed).toBeLessThanOrEqual(after - pausedFrom);
      expect(upstream(userId)).toBe('active');
      const authorizations = calls('contentAccessAuthorization', userId);
      expect((authorizations.at(-1)!.body as { products: { productId: string; price: number }[] }).products).toEqual([{ productId: A, price: 4_900 }]);
      expect((await token(jwt)).status).toBe(200);

      // Resuming a running access changes nothing.
      const count = authorizations.length;
      expect((await resume(userId)).body.data.state).toBe('active');
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(count);

      await waitFor('the pause and resume webhooks', () => deliveriesFor(userId, 'osteocom.access.paused').length === 1 && deliveriesFor(userId, 'osteocom.access.resumed').length === 1);
      expect(deliveriesFor(userId, 'osteocom.access.paused')[0].body).toMatchObject({ channelIds: [A] });
      expect(deliveriesFor(userId, 'osteocom.access.resumed')[0].body).toMatchObject({ channelIds: [A], accessUntil: resumedRow.accessUntil });
      const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findMany({ where: { subjectUserId: userId, action: { $in: ['pause', 'resume'] } } });
      expect(audit.map((event: { action: string }) => event.action).sort()).toEqual(['pause', 'resume']);
    });

    it('a pause while Osteocom is down ends access here at once (202) and the outbox revokes it; the resume is retried the same way', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      app.sandbox.inject({ endpoint: 'revocateActivation', status: 503, match: { userId } });
      const paused = await pause(userId);
      expect([paused.status, paused.body.data.state]).toEqual([202, 'pending']);
      expect(await row(userId)).toMatchObject({ status: 'paused', pendingOperation: 'revoke' });
      expect((await token(jwt)).body.error.details.code).toBe('ACCESS_PAUSED');
      app.sandbox.clearFaults();
      await drain(userId);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'paused', pendingOperation: null }), 'revoked']);

      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, match: { userId } });
      const resumed = await resume(userId);
      expect([resumed.status, resumed.body.data.state]).toEqual([202, 'pending']);
      expect(await row(userId)).toMatchObject({ status: 'pending', pendingOperation: 'authorize' });
      app.sandbox.clearFaults();
      await drain(userId);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null }), 'active']);
      expect((await token(jwt)).status).toBe(200);
    });

    it('an extension of a paused or scheduled access is refused, and neither resumes nor starts it', async () => {
      const extend = (userId: string) =>
        app.http.post('/osteocom/entitlements/extensions').set('Authorization', `Bearer ${admin}`).send({ rows: [{ userId, channelId: A }], months: 1 });
      const paused = await buyer();
      await authorize(paused.userId, { accessUntil: new Date(Date.now() + 10 * DAY_MS).toISOString() });
      await pause(paused.userId);
      const scheduled = await buyer();
      await authorize(scheduled.userId, { accessFrom: new Date(Date.now() + HOUR_MS).toISOString() });
      const before = { paused: await row(paused.userId), scheduled: await row(scheduled.userId) };
      for (const [userId, code] of [[paused.userId, 'ACCESS_PAUSED'], [scheduled.userId, 'ACCESS_NOT_STARTED']]) {
        const res = await extend(userId);
        expect([res.status, res.body.data.results[0].outcome, res.body.data.results[0].code]).toEqual([200, 'refused', code]);
      }
      expect(await row(paused.userId)).toMatchObject({ status: 'paused', accessUntil: before.paused.accessUntil, version: before.paused.version });
      expect(await row(scheduled.userId)).toMatchObject({ status: 'scheduled', accessFrom: before.scheduled.accessFrom, version: before.scheduled.version });
      expect([upstream(paused.userId), upstream(scheduled.userId)]).toEqual(['revoked', 'none']);
    });

    it('a refund of a paused access ends it, here and at Osteocom; resuming it then is a 409', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      await pause(userId);
      const refunded = await refund(userId);
      expect([refunded.status, refunded.body.data.state]).toEqual([200, 'revoked']);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'revoked', pendingOperation: null }), 'revoked']);
      const refused = await resume(userId);
      expect([refused.status, refused.body.error.details.code, refused.body.error.details.status]).toEqual([409, 'ACCESS_NOT_PAUSED', 'revoked']);
      expect((await token(jwt)).body.error.details.code).toBe('NOT_ENTITLED');
    });

    it('a refund answered while the pause is at Osteocom: the refund wins, not playable here or there', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      app.sandbox.inject({ endpoint: 'revocateActivation', hold: true, latencyPhase: 'before', match: { userId }, times: 1 });
      const pausing = pause(userId).then((res) => res);
      await waitFor('the pause at Osteocom', () => app.sandbox.inFlight('revocateActivation') === 1, { intervalMs: 5 });
      expect((await refund(userId)).status).toBe(200);
      await waitFor('the held pause released', () => app.sandbox.release() === 1);
      await pausing;
      await drain(userId);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'revoked', pendingOperation: null }), 'revoked']);
      expect((await token(jwt)).status).toBe(403);
      expect((await resume(userId)).status).toBe(409);
    });

    it('a refund answered while the resume is at Osteocom: the refund wins, the late authorization is revoked again', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      await pause(userId);
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', hold: true, latencyPhase: 'before', match: { userId }, times: 1 });
      const resuming = resume(userId).then((res) => res);
      await waitFor('the resume at Osteocom', () => app.sandbox.inFlight('contentAccessAuthorization') === 1, { intervalMs: 5 });
      expect((await refund(userId)).body.data.state).toBe('revoked');
      await waitFor('the held resume released', () => app.sandbox.release() === 1);
      await resuming;
      // The resume's answer lost the race: the refund is the row's latest intent, sent again.
      expect((await row(userId)).status).toBe('revoked');
      expect((await token(jwt)).status).toBe(403);
      await drain(userId);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'revoked', pendingOperation: null }), 'revoked']);
      expect((await token(jwt)).status).toBe(403);
    });

    it('refuses with stable codes: pausing what is not running, resuming what is not paused, bad bodies, no access', async () => {
      const { userId } = await buyer();
      const none = await pause(userId);
      expect([none.status, none.body.error.details.code]).toEqual([409, 'ACCESS_NOT_ACTIVE']);
      expect((await resume(userId)).body.error.details.code).toBe('ACCESS_NOT_PAUSED');
      await authorize(userId, { accessFrom: new Date(Date.now() + DAY_MS).toISOString() });
      const scheduled = await pause(userId);
      expect([scheduled.status, scheduled.body.error.details.code, scheduled.body.error.details.status]).toEqual([409, 'ACCESS_NOT_ACTIVE', 'scheduled']);
      await refund(userId);
      expect((await pause(userId)).body.error.details.code).toBe('ACCESS_NOT_ACTIVE');

      const { userId: other } = await buyer();
      await authorize(other, { accessUntil: new Date(Date.now() + HOUR_MS).toISOString() });
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: other }, data: { accessUntil: new Date(Date.now() - 1_000) } });
      expect((await pause(other)).body.error.details.code).toBe('ACCESS_NOT_ACTIVE');

      for (const body of [{}, { userId }, { userId, channelId: A, extra: 1 }, { userId: '', channelId: A }, { userId, channelId: 'x'.repeat(500) }]) {
        for (const path of ['/pauses', '/resumptions']) {
          const res = await api(path, body);
          expect([path, res.status, res.body.error.details.code]).toEqual([path, 400, 'VALIDATION_ERROR']);
        }
      }
      // Without the permission: Strapi's 403 before the plugin.
      const buyerOnly = await createApiToken(app, 'custom', ['plugin::osteocom.access.authorize']);
      expect((await app.http.post('/api/osteocom/pauses').set('Authorization', `Bearer ${buyerOnly}`).send({ userId, channelId: A })).status).toBe(403);
    });

    it('the admin routes pause and resume with the revoke and authorize permissions', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      const revoker = (await createAdmin(app, ['plugin::osteocom.read', 'plugin::osteocom.revoke'])).token;
      const authorizer = (await createAdmin(app, ['plugin::osteocom.read', 'plugin::osteocom.authorize'])).token;
      const post = (path: string, as: string) => app.http.post(`/osteocom${path}`).set('Authorization', `Bearer ${as}`).send({ userId, channelId: A });
      expect((await post('/pauses', authorizer)).status).toBe(403);
      expect((await post('/pauses', revoker)).body.data.state).toBe('paused');
      expect((await token(jwt)).body.error.details.code).toBe('ACCESS_PAUSED');
      expect((await post('/resumptions', revoker)).status).toBe(403);
      expect((await post('/resumptions', authorizer)).body.data.state).toBe('active');
      expect((await token(jwt)).status).toBe(200);
      const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findMany({ where: { subjectUserId: userId, action: 'pause' } });
      expect(audit[0]).toMatchObject({ actorType: 'admin' });
    });
  });

  describe('scheduled start', () => {
    it('nothing reaches Osteocom before accessFrom, the token route answers ACCESS_NOT_STARTED, then the outbox authorizes it when it comes', async () => {
      const { userId, jwt } = await buyer();
      const from = new Date(Date.now() + HOUR_MS).toISOString();
      const until = new Date(Date.now() + 30 * DAY_MS).toISOString();
      const bought = await authorize(userId, { price: 1_200, accessFrom: from, accessUntil: until });
      expect(bought.status).toBe(200);
      expect(bought.body.data.entitlements[0]).toMatchObject({ status: 'scheduled', accessFrom: from, accessUntil: until, price: 1_200, pendingOperation: 'authorize' });
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);
      const refused = await token(jwt);
      expect([refused.status, refused.body.error.details.code, refused.body.error.details.accessFrom]).toEqual([403, 'ACCESS_NOT_STARTED', from]);
      const me = await app.http.get('/api/osteocom/me').set('Authorization', `Bearer ${jwt}`);
      expect(me.body.data.entitlements[0]).toMatchObject({ status: 'scheduled', accessFrom: from });
      await outboxPass();
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);
      expect(await row(userId)).toMatchObject({ status: 'scheduled' });
      // Not listed as unconfirmed for an editor before it starts.
      const attention = await app.http.get('/osteocom/entitlements?attention=true&pageSize=100').set('Authorization', `Bearer ${admin}`);
      expect((attention.body.data as { userId: string }[]).some((listed) => listed.userId === userId)).toBe(false);
      // An editor's re-send cannot start it early.
      const early = await app.http.post('/osteocom/entitlements/resend').set('Authorization', `Bearer ${admin}`).send({ userId, channelId: A });
      expect([early.status, early.body.error.details.code]).toEqual([403, 'ACCESS_NOT_STARTED']);
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);

      // Its start comes: the stored instants move into the past (the clock is not mocked).
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessFrom: new Date(Date.now() - 1_000), nextAttemptAt: new Date(Date.now() - 1_000) } });
      expect((await token(jwt)).body.error.details.code).toBe('ACCESS_PENDING');
      await outboxPass();
      await outboxPass();
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(1);
      expect((calls('contentAccessAuthorization', userId)[0].body as { products: unknown[] }).products).toEqual([{ productId: A, price: 1_200 }]);
      expect([await row(userId), upstream(userId)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null, accessFrom: null, accessUntil: until }), 'active']);
      expect((await token(jwt)).status).toBe(200);
      await waitFor('the granted webhook', () => deliveriesFor(userId, 'osteocom.access.granted').length === 1);
    });

    it('a start a moment away is authorized by the outbox once it has come, never before', async () => {
      const { userId, jwt } = await buyer();
      const from = Date.now() + 1_500;
      expect((await authorize(userId, { accessFrom: new Date(from).toISOString() })).status).toBe(200);
      const active = await waitFor('the outbox to start it', async () => {
        await outboxPass();
        const current = await row(userId);
        return current.status === 'active' && current;
      });
      expect(Date.parse(active.authorizedAt!)).toBeGreaterThanOrEqual(from);
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(1);
      expect(upstream(userId)).toBe('active');
      expect((await token(jwt)).status).toBe(200);
    });

    it('a refund before the start ends it here without calling Osteocom', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId, { accessFrom: new Date(Date.now() + HOUR_MS).toISOString() });
      const refunded = await refund(userId);
      expect([refunded.status, refunded.body.data.state]).toEqual([200, 'revoked']);
      expect(await row(userId)).toMatchObject({ status: 'revoked', pendingOperation: null });
      expect(calls('revocateActivation', userId)).toHaveLength(0);
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessFrom: new Date(Date.now() - 1_000) } });
      await outboxPass();
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);
      expect((await token(jwt)).body.error.details.code).toBe('NOT_ENTITLED');
    });

    it('a refund after an authorization may have left (Osteocom down when it started) is sent to Osteocom', async () => {
      const { userId } = await buyer();
      await authorize(userId, { accessFrom: new Date(Date.now() + HOUR_MS).toISOString() });
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessFrom: new Date(Date.now() - 1_000), nextAttemptAt: new Date(0) } });
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, match: { userId } });
      await outboxPass();
      expect(await row(userId)).toMatchObject({ status: 'scheduled', pendingOperation: 'authorize' });
      app.sandbox.clearFaults();
      expect((await refund(userId)).body.data.state).toBe('revoked');
      expect(calls('revocateActivation', userId)).toHaveLength(1);
      await drain(userId);
      expect(await row(userId)).toMatchObject({ status: 'revoked', pendingOperation: null });
      expect(upstream(userId)).not.toBe('active');
    });

    it('an active channel bought again with a later start stays active; a scheduled one bought again at once starts now', async () => {
      const { userId, jwt } = await buyer();
      await authorize(userId);
      expect((await authorize(userId, { accessFrom: new Date(Date.now() + HOUR_MS).toISOString() })).body.data.entitlements[0]).toMatchObject({ status: 'active' });
      expect((await token(jwt)).status).toBe(200);

      const { userId: later, jwt: laterJwt } = await buyer();
      await authorize(later, { accessFrom: new Date(Date.now() + HOUR_MS).toISOString() });
      expect((await authorize(later)).body.data.entitlements[0]).toMatchObject({ status: 'active', accessFrom: null });
      expect((await token(laterJwt)).status).toBe(200);
    });

    it('refuses a start in the past, at or after the end, or not a date; unknown customers and channels', async () => {
      const { userId } = await buyer();
      const cases: [object, string][] = [
        [{ accessFrom: new Date(Date.now() - 60_000).toISOString() }, 'must be in the future'],
        [{ accessFrom: 'tomorrow' }, 'ISO 8601'],
        [{ accessFrom: new Date(Date.now() + 2 * HOUR_MS).toISOString(), accessUntil: new Date(Date.now() + HOUR_MS).toISOString() }, 'must be before accessUntil'],
      ];
      for (const [product, message] of cases) {
        const res = await authorize(userId, product);
        expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION_ERROR']);
        expect(JSON.stringify(res.body.error)).toContain(message);
      }
      const unknownChannel = await api('/authorizations', { userId, products: [{ productId: 'f'.repeat(24), accessFrom: new Date(Date.now() + HOUR_MS).toISOString() }] });
      expect([unknownChannel.status, unknownChannel.body.error.details.code]).toEqual([400, 'UNKNOWN_CHANNEL']);
      expect((await pause('nobody-here', A)).body.error.details.code).toBe('ACCESS_NOT_ACTIVE');
      expect((await resume(userId, 'f'.repeat(24))).body.error.details.code).toBe('ACCESS_NOT_PAUSED');
      expect(calls('contentAccessAuthorization', userId)).toHaveLength(0);
      expect(await app.strapi.db.query(ENTITLEMENT).count({ where: { customerKey: userId } })).toBe(0);
    });
  });
});
