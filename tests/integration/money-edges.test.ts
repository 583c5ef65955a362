/**
 * Issue "Production money path", findings 4 and 6: a stuck sale re-sent by the shop stays under
 * Needs attention, and the answers the API reference allows (an optional field left out, 200
 * without the documented body, a long Retry-After, a proxy's HTML 403) neither lose a sale nor
 * hide it in a silent retry.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [A, B] = catalog.map((channel) => channel.idChannel);
const videoOf = (channelId: string) => catalog.find((channel) => channel.idChannel === channelId)!.video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const HOUR = 3_600_000;

describe('money path edges', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const authorize = (userId: string, channels: string[]) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: channels.map((productId) => ({ productId })) });
  const revoke = (userId: string, channelId: string) => app.http.post('/osteocom/revocations').set(auth()).send({ userId, channelId });
  const resend = (userId: string, channelId: string) => app.http.post('/osteocom/entitlements/resend').set(auth()).send({ userId, channelId });
  const row = (userId: string, channelId: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: channelId } });
  const outboxPass = () => app.strapi.plugin('osteocom').service('outbox').runOnce();
  const dueNow = (userId: string) => app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(0) } });
  /** The time an operation has been waiting, moved back instead of waited for. */
  const unconfirmedSince = (userId: string, channelId: string, at: Date) =>
    app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId, channelKey: channelId }, data: { operationAt: at } });
  const listedForEditors = async (userId: string, channelId: string) => {
    const res = await app.http.get('/osteocom/entitlements?attention=true&pageSize=100').set(auth());
    expect(res.status).toBe(200);
    return (res.body.data as { userId: string; channelKey: string }[]).some((each) => each.userId === userId && each.channelKey === channelId);
  };
  const alerts = (userId: string) => app.strapi.db.query('plugin::osteocom.audit-event').count({ where: { action: 'alert', subjectUserId: userId } });
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: {
        http: { timeoutMs: 1_500, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 },
        outbox: { backoffBaseSeconds: 1, alertAfterSeconds: 3_600 },
        videoToken: { defaultExpiresInSeconds: 600, rateLimit: { max: 10_000, windowSeconds: 60 } },
      },
    });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  describe('finding 4: a stuck sale the shop keeps re-sending', () => {
    it('stays under Needs attention from its first unconfirmed attempt, with one alert, however often it is re-sent', async () => {
      const { userId } = await buyer();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null, match: { userId } });
      expect((await authorize(userId, [A])).status).toBe(202);
      const firstAttempt = new Date(Date.now() - 2 * HOUR);
      await unconfirmedSince(userId, A, firstAttempt);
      // The shop re-sends the same purchase, and an editor re-sends it: the same intent, the same clock.
      expect((await authorize(userId, [A])).status).toBe(202);
      expect((await resend(userId, A)).status).toBe(202);
      expect(new Date((await row(userId, A)).operationAt).getTime()).toBe(firstAttempt.getTime());
      expect(await listedForEditors(userId, A)).toBe(true);
      await outboxPass();
      expect(await alerts(userId)).toBe(1);
      expect((await row(userId, A)).alertedAt).not.toBeNull();
      // Re-sent once more after the alert: no second alert, still listed.
      expect((await authorize(userId, [A])).status).toBe(202);
      await dueNow(userId);
      await outboxPass();
      expect(await alerts(userId)).toBe(1);
      expect(await row(userId, A)).toMatchObject({ status: 'pending', pendingOperation: 'authorize', alertedAt: expect.anything() });
      expect(await listedForEditors(userId, A)).toBe(true);
    });

    it('a different intent (a refund) starts the clock again', async () => {
      const { userId } = await buyer();
      app.sandbox.inject({ endpoint: '*', status: 503, times: null, match: { userId } });
      expect((await authorize(userId, [B])).status).toBe(202);
      await unconfirmedSince(userId, B, new Date(Date.now() - 2 * HOUR));
      expect(await listedForEditors(userId, B)).toBe(true);
      expect((await revoke(userId, B)).status).toBe(202);
      expect(await row(userId, B)).toMatchObject({ status: 'revoked', pendingOperation: 'revoke', alertedAt: null });
      expect(Date.now() - new Date((await row(userId, B)).operationAt).getTime()).toBeLessThan(HOUR);
      expect(await listedForEditors(userId, B)).toBe(false);
    });
  });

  describe('finding 6: answers the reference allows', () => {
    it('videoAccess without expiresIn: the customer gets the token, with the configured default lifetime', async () => {
      const { userId, jwt } = await buyer();
      expect((await authorize(userId, [A])).status).toBe(200);
      app.sandbox.inject({ endpoint: 'videoAccess', omit: ['expiresIn'] });
      const res = await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: videoOf(A) });
      expect(res.status).toBe(200);
      expect(res.body.data.expiresIn).toBeGreaterThan(590);
      expect(res.body.data.expiresIn).toBeLessThanOrEqual(600);
    });

    it('a purchase answered 200 {}: kept pending and listed under Needs attention at once; the retry completes it', async () => {
      const { userId, jwt } = await buyer();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', omit: ['*'], match: { userId } });
      expect((await authorize(userId, [A])).status).toBe(202);
      expect(await row(userId, A)).toMatchObject({ status: 'pending', pendingOperation: 'authorize', needsReconciliation: true, lastErrorCode: 'UPSTREAM_PROTOCOL_ERROR' });
      expect(await listedForEditors(userId, A)).toBe(true);
      await dueNow(userId);
      await outboxPass();
      expect(await row(userId, A)).toMatchObject({ status: 'active', pendingOperation: null, needsReconciliation: false, lastErrorCode: null });
      expect(await listedForEditors(userId, A)).toBe(false);
      expect((await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: videoOf(A) })).status).toBe(200);
    });

    it('a refund answered 200 {}: revoked (Osteocom said it succeeded), not retried, flagged for an editor', async () => {
      const { userId } = await buyer();
      expect((await authorize(userId, [B])).status).toBe(200);
      app.sandbox.inject({ endpoint: 'revocateActivation', omit: ['*'], match: { userId } });
      await revoke(userId, B);
      expect(await row(userId, B)).toMatchObject({ status: 'revoked', pendingOperation: null, needsReconciliation: true, lastErrorCode: 'UPSTREAM_PROTOCOL_ERROR' });
      expect((await row(userId, B)).revokedAt).not.toBeNull();
      expect(await listedForEditors(userId, B)).toBe(true);
      expect(app.sandbox.customer(userId)?.activations[B].cancellationDate).toBeDefined();
    });

    it("a 429 with Retry-After: 120: the outbox's next attempt waits at least that long", async () => {
      const { userId } = await buyer();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 429, retryAfter: 120, match: { userId } });
      const before = Date.now();
      expect((await authorize(userId, [A])).status).toBe(202);
      const pending = await row(userId, A);
      expect(pending).toMatchObject({ status: 'pending', lastErrorCode: 'UPSTREAM_UNAVAILABLE', attempts: 1 });
      expect(new Date(pending.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(before + 119_000);
    });

    it("a proxy's HTML 403: the purchase is kept pending, then completed by the outbox", async () => {
      const { userId } = await buyer();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 403, body: '<html><body>Access denied</body></html>', match: { userId } });
      expect((await authorize(userId, [B])).status).toBe(202);
      expect(await row(userId, B)).toMatchObject({ status: 'pending', pendingOperation: 'authorize', lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
      await dueNow(userId);
      await outboxPass();
      expect(await row(userId, B)).toMatchObject({ status: 'active', pendingOperation: null });
    });
  });
});
