/**
 * Issue 13: the ten ways purchases and refunds ended in the wrong state, each replayed as the
 * history that produced it (finding 9, Osteocom's answers as they are, is upstream-refusals.test.ts).
 * Every test ends by comparing the plugin's rows with what the sandbox — Osteocom — holds.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 5, videosPerChannel: 1 });
const [A, B, C, D, E] = catalog.map((channel) => channel.idChannel);
const videoOf = (channelId: string) => catalog.find((channel) => channel.idChannel === channelId)!.video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';

describe('money path: every purchase and refund ends where Osteocom ends it', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const authorize = (userId: string, channels: string[], extra: object = {}) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: channels.map((productId) => ({ productId })), ...extra });
  const revoke = (userId: string, channelId: string) => app.http.post('/osteocom/revocations').set(auth()).send({ userId, channelId });
  const token = (jwt: string, channelId: string) => app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: videoOf(channelId) });
  const row = (userId: string, channelId: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: channelId } });
  /** What Osteocom holds for the pair. */
  const upstream = (userId: string, channelId: string) => {
    const activation = app.sandbox.customer(userId)?.activations[channelId];
    if (!activation) return 'none';
    return activation.cancellationDate ? 'revoked' : 'active';
  };
  /**
   * Runs the outbox until nothing is left to send (no call is in flight when this is called, so
   * time passes: every operation is due and no recorded call can still land).
   */
  const drain = async () => {
    for (let pass = 0; pass < 10; pass += 1) {
      const pending = await app.strapi.db.query(ENTITLEMENT).count({ where: { pendingOperation: { $notNull: true } } });
      if (!pending) return;
      await app.strapi.db
        .query(ENTITLEMENT)
        .updateMany({ where: { pendingOperation: { $notNull: true } }, data: { nextAttemptAt: new Date(0), calls: [], doubtOperation: null, doubtUntil: null } });
      await app.strapi.plugin('osteocom').service('outbox').runOnce();
    }
    throw new Error('the outbox did not settle in 10 passes');
  };
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: { http: { timeoutMs: 5_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1, alertAfterSeconds: 1 } },
    });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  describe('finding 1: a paying customer locked out', () => {
    it('an outage during a purchase of A and B keeps the active A active and playable; the outbox completes B', async () => {
      const { userId, jwt } = await buyer();
      expect((await authorize(userId, [A])).status).toBe(200);
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 5 });
      const res = await authorize(userId, [A, B]);
      expect(res.status).toBe(202);
      // Only B was sent: an active channel is never sent again nor demoted.
      expect((app.sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization').at(-1)!.body as { products: unknown }).products).toEqual([{ productId: B, price: expect.any(Number) }]);
      expect(await row(userId, A)).toMatchObject({ status: 'active', pendingOperation: null });
      expect((await token(jwt, A)).status).toBe(200);
      app.sandbox.clearFaults();
      await drain();
      expect([await row(userId, B), upstream(userId, B)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null }), 'active']);
      expect((await token(jwt, B)).status).toBe(200);
    });

    it("the shop's retry succeeds, then the first call's late failure arrives: the channel stays active", async () => {
      const { userId, jwt } = await buyer();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', hang: true, match: { userId } });
      const first = authorize(userId, [A]).then((res) => res);
      await waitFor('the first call at Osteocom', () => app.sandbox.inFlight('contentAccessAuthorization') === 1, { intervalMs: 5 });
      expect((await authorize(userId, [A])).status).toBe(200);
      expect((await first).status).toBe(202);
      expect(await row(userId, A)).toMatchObject({ status: 'active', pendingOperation: null });
      expect((await token(jwt, A)).status).toBe(200);
    });
  });

  it('finding 2: a refund answered while the outbox sends the purchase ends refunded, here and at Osteocom', async () => {
    const { userId, jwt } = await buyer();
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, match: { userId } });
    expect((await authorize(userId, [A])).status).toBe(202);
    // The outbox's call reaches Osteocom late: after the refund was answered.
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', hold: true, latencyPhase: 'before', match: { userId } });
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(0) } });
    const pass = app.strapi.plugin('osteocom').service('outbox').runOnce();
    await waitFor('the outbox call at Osteocom', () => app.sandbox.inFlight('contentAccessAuthorization') === 1, { intervalMs: 5 });
    expect((await revoke(userId, A)).body.data.state).toBe('revoked');
    await waitFor('the held purchase released', () => app.sandbox.release() === 1);
    await pass;
    expect(upstream(userId, A)).toBe('active');
    // The late answer lost the race: the refund is sent again instead of the row turning active.
    expect(await row(userId, A)).toMatchObject({ status: 'revoked', pendingOperation: 'revoke' });
    expect((await token(jwt, A)).body.error.details.code).toBe('NOT_ENTITLED');
    await drain();
    expect([await row(userId, A), upstream(userId, A)]).toEqual([expect.objectContaining({ status: 'revoked', pendingOperation: null }), 'revoked']);
  });

  it('finding 3: a re-purchase while the refund is in flight ends active, here and at Osteocom', async () => {
    const { userId, jwt } = await buyer();
    expect((await authorize(userId, [A])).status).toBe(200);
    app.sandbox.inject({ endpoint: 'revocateActivation', hold: true, latencyPhase: 'before', match: { userId } });
    const refund = revoke(userId, A).then((res) => res);
    await waitFor('the refund at Osteocom', () => app.sandbox.inFlight('revocateActivation') === 1, { intervalMs: 5 });
    expect((await authorize(userId, [A])).body.data.state).toBe('active');
    await waitFor('the held refund released', () => app.sandbox.release() === 1);
    await refund;
    // The refund's answer lost the race and nothing else is in flight: the purchase was sent again at once.
    expect([await row(userId, A), upstream(userId, A)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null }), 'active']);
    await drain();
    expect([await row(userId, A), upstream(userId, A)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null }), 'active']);
    expect((await token(jwt, A)).status).toBe(200);
  });

  it('finding 4: six parallel first purchases make one customer and one entitlement; the refund leaves none active', async () => {
    const { userId, jwt } = await buyer();
    const replies = await Promise.all([1, 2, 3, 4, 5, 6].map(() => authorize(userId, [A])));
    // 202: a call outlived the 5 s timeout on a loaded machine and was kept for the outbox; either way one row.
    expect(replies.map((res) => res.status).filter((status) => status !== 200 && status !== 202)).toEqual([]);
    await drain();
    expect([await row(userId, A), upstream(userId, A)]).toEqual([expect.objectContaining({ status: 'active', pendingOperation: null }), 'active']);
    expect(await app.strapi.db.query('plugin::osteocom.customer').count({ where: { userId } })).toBe(1);
    expect(await app.strapi.db.query(ENTITLEMENT).count({ where: { customerKey: userId } })).toBe(1);
    expect((await revoke(userId, A)).status).toBe(200);
    expect(await app.strapi.db.query(ENTITLEMENT).count({ where: { customerKey: userId, status: 'active' } })).toBe(0);
    expect((await token(jwt, A)).status).toBe(403);
  });

  it('finding 5: two outbox passes starting together on a fresh lease make one lease row, and passes go on', async () => {
    const lock = app.strapi.plugin('osteocom').service('lock');
    const name = `first-deploy-${Date.now()}`;
    const leases = await Promise.all([lock.acquire(name, 5), lock.acquire(name, 5)]);
    expect(leases.filter(Boolean)).toHaveLength(1);
    expect(await app.strapi.db.query('plugin::osteocom.lease').count({ where: { name } })).toBe(1);
    await leases.find(Boolean)!.release();
    const again = await lock.acquire(name, 5);
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('finding 6: transient failures never use up a purchase; an old one raises one alert and is listed for editors', async () => {
    const { userId, jwt } = await buyer();
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null, match: { userId } });
    expect((await authorize(userId, [C])).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (let pass = 0; pass < 15; pass += 1) {
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(0) } });
      await app.strapi.plugin('osteocom').service('outbox').runOnce();
    }
    expect(await row(userId, C)).toMatchObject({ status: 'pending', pendingOperation: 'authorize', attempts: 16, lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
    const alerts = await app.strapi.db.query('plugin::osteocom.audit-event').findMany({ where: { action: 'alert', subjectUserId: userId } });
    expect(alerts).toHaveLength(1);
    const attention = await app.http.get('/osteocom/entitlements?attention=true&pageSize=100').set(auth());
    expect(attention.body.data).toContainEqual(expect.objectContaining({ userId, channelKey: C, pendingOperation: 'authorize' }));
    // The summary counts the same rows: this one is pending and listed; made due, it is due too.
    const summary = async () => (await app.http.get('/osteocom/entitlements/summary').set(auth())).body.data;
    const waiting = await summary();
    expect(waiting).toEqual({ pending: expect.any(Number), due: expect.any(Number), attention: attention.body.meta.pagination.total });
    expect(waiting.pending).toBeGreaterThanOrEqual(1);
    expect(waiting.attention).toBeGreaterThanOrEqual(1);
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    const later = await summary();
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(0) } });
    const dueNow = await summary();
    expect([dueNow.pending - later.pending, dueNow.due - later.due]).toEqual([0, 1]);
    app.sandbox.clearFaults();
    await drain();
    expect((await token(jwt, C)).status).toBe(200);
  });

  it('finding 8: a purchase over a pending refund that Osteocom refuses sends the refund after all', async () => {
    const { userId, jwt } = await buyer();
    expect((await authorize(userId, [D])).status).toBe(200);
    app.sandbox.inject({ endpoint: 'revocateActivation', status: 503, match: { userId } });
    expect((await revoke(userId, D)).status).toBe(202);
    const removed = catalog.find((channel) => channel.idChannel === D)!;
    app.sandbox.removeChannel(D);
    try {
      const refused = await authorize(userId, [D]);
      expect([refused.status, refused.body.error.details.code]).toEqual([502, 'UPSTREAM_REJECTED']);
      expect(await row(userId, D)).toMatchObject({ status: 'revoked', pendingOperation: 'revoke' });
      await drain();
    } finally {
      app.sandbox.addChannel(removed);
    }
    expect([await row(userId, D), upstream(userId, D)]).toEqual([expect.objectContaining({ status: 'revoked', pendingOperation: null }), 'revoked']);
    expect((await token(jwt, D)).status).toBe(403);
  });

  it('finding 7: one product Osteocom refuses fails that product alone', async () => {
    const { userId, jwt } = await buyer();
    const removed = catalog.find((channel) => channel.idChannel === E)!;
    app.sandbox.removeChannel(E);
    try {
      const res = await authorize(userId, [A, E]);
      expect([res.status, res.body.data.state]).toEqual([200, 'partial']);
    } finally {
      app.sandbox.addChannel(removed);
    }
    expect(await row(userId, A)).toMatchObject({ status: 'active' });
    expect(await row(userId, E)).toMatchObject({ status: 'failed', lastErrorCode: 'UPSTREAM_REJECTED', lastError: expect.stringContaining(`Unknown product ${E}`) });
    expect([upstream(userId, A), upstream(userId, E)]).toEqual(['active', 'none']);
    expect((await token(jwt, A)).status).toBe(200);
  });

  it('finding 10: an omitted consent is omitted upstream and kept; false is a withdrawal, audited; a blank email is absent', async () => {
    const { userId } = await buyer();
    const sent = () => app.sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization' && (r.body as { userId?: string }).userId === userId).at(-1)!.body as Record<string, unknown>;
    const stored = () => app.strapi.db.query('plugin::osteocom.customer').findOne({ where: { userId } });
    await authorize(userId, [A], { email: 'ann@example.com', marketingConsent: true });
    expect(sent().marketingConsent).toBe(true);
    await authorize(userId, [B], { email: '   ' });
    expect(sent()).not.toHaveProperty('marketingConsent');
    expect(sent().email).toBe('ann@example.com');
    expect(await stored()).toMatchObject({ marketingConsent: true, email: 'ann@example.com' });
    expect(app.sandbox.customer(userId)!.marketingConsent).toBe(true);
    await authorize(userId, [C], { marketingConsent: false });
    expect(sent().marketingConsent).toBe(false);
    expect(await stored()).toMatchObject({ marketingConsent: false });
    expect(await app.strapi.db.query('plugin::osteocom.audit-event').count({ where: { action: 'consent-withdrawn', subjectUserId: userId } })).toBe(1);
  });
});
