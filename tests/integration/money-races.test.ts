/**
 * Issue "Production money path", findings 1, 2 and 7: writes that really guard. Each race is made
 * deterministic: a database lifecycle subscriber holds a write between its read and its update, or
 * the sandbox holds a request until after the server that sent it stopped. Every test ends by
 * comparing the plugin's rows with what the sandbox — Osteocom — holds.
 */
import type { Core } from '@strapi/strapi';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [A] = catalog.map((channel) => channel.idChannel);
const VIDEO = catalog[0].video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const HOUR_MS = 3_600_000;

/** What Osteocom holds for the pair. */
const upstreamOf = (app: TestApp, userId: string) => {
  const activation = app.sandbox.customer(userId)?.activations[A];
  if (!activation) return 'none';
  return activation.cancellationDate ? 'revoked' : 'active';
};
const rowOf = (app: TestApp, userId: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } });
const sync = async (app: TestApp, token: string) => expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${token}`)).body.data.status).toBe('succeeded');

interface UpdateEvent {
  params: { where?: { id?: number }; data?: Record<string, unknown> };
}

/**
 * Runs `between` once, around the first entitlement update of `id` that `matches` its data: while
 * it waits before it is written ('before'), or right after it was written ('after').
 */
const aroundUpdate = (strapi: Core.Strapi, when: 'before' | 'after', id: number, matches: (data: Record<string, unknown>) => boolean, between: () => Promise<unknown>) => {
  let ran = false;
  const hook = async (event: UpdateEvent) => {
    if (ran || event.params.where?.id !== id || !matches(event.params.data ?? {})) return;
    ran = true;
    await between();
  };
  const unsubscribe = strapi.db.lifecycles.subscribe({
    models: [ENTITLEMENT],
    ...(when === 'before' ? { beforeUpdateMany: hook } : { afterUpdateMany: hook }),
  }) as unknown as () => void;
  return { unsubscribe, ran: () => ran };
};

describe('production money path: guarded writes that really guard', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const authorize = (userId: string, accessUntil?: string) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: [{ productId: A, ...(accessUntil ? { accessUntil } : {}) }] });
  const row = (userId: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } });
  const upstream = (userId: string) => {
    const activation = app.sandbox.customer(userId)?.activations[A];
    if (!activation) return 'none';
    return activation.cancellationDate ? 'revoked' : 'active';
  };
  const revocations = (userId: string) => app.sandbox.requests.filter((r) => r.endpoint === 'revocateActivation' && (r.body as { userId?: string }).userId === userId);
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { http: { timeoutMs: 5_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  it('finding 1: a renewal written between the expiry pass reading the row and writing it keeps the access, here and at Osteocom', async () => {
    const { userId, jwt } = await buyer();
    expect((await authorize(userId, new Date(Date.now() + HOUR_MS).toISOString())).status).toBe(200);
    const { id } = await row(userId);
    // The access ends: its stored instant moves a second into the past (the clock is not mocked).
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { id }, data: { accessUntil: new Date(Date.now() - 1_000) } });
    const renewedUntil = new Date(Date.now() + 365 * 24 * HOUR_MS).toISOString();
    let renewal: { status: number; body: { data: { state: string; entitlements: { accessUntil: string | null }[] } } } | undefined;
    // The expiry pass has read the active row and computed the refund; the shop's renewal lands before it writes.
    const hold = aroundUpdate(app.strapi, 'before', id, (data) => data.pendingOperation === 'revoke', async () => {
      renewal = await authorize(userId, renewedUntil);
    });
    try {
      await app.strapi.plugin('osteocom').service('outbox').runOnce();
    } finally {
      hold.unsubscribe();
    }
    expect(hold.ran()).toBe(true);
    expect([renewal!.status, renewal!.body.data.state, renewal!.body.data.entitlements[0].accessUntil]).toEqual([200, 'active', renewedUntil]);
    expect(await row(userId)).toMatchObject({ status: 'active', pendingOperation: null });
    expect(new Date((await row(userId)).accessUntil).toISOString()).toBe(renewedUntil);
    expect(revocations(userId)).toHaveLength(0);
    expect(upstream(userId)).toBe('active');
    expect((await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: VIDEO })).status).toBe(200);
  });

  it('a refund recorded between a re-purchase\'s write and its send: the purchase sends its own operation, and the refund wins here and at Osteocom', async () => {
    const { userId, jwt } = await buyer();
    const refund = () => app.http.post('/osteocom/revocations').set(auth()).send({ userId, channelId: A });
    expect((await authorize(userId)).status).toBe(200);
    expect((await refund()).status).toBe(200);
    const { id } = await row(userId);
    let refunded: { status: number } | undefined;
    // Another server records the refund after this re-purchase wrote its operation, before it sends it.
    const between = aroundUpdate(app.strapi, 'after', id, (data) => data.pendingOperation === 'authorize', async () => {
      refunded = await refund();
    });
    try {
      await authorize(userId);
    } finally {
      between.unsubscribe();
    }
    expect([between.ran(), refunded?.status]).toEqual([true, 200]);
    // The latest intent is the refund: the purchase's answer, for an operation the row no longer holds, cannot settle it.
    await waitFor('the refund to hold here and at Osteocom', async () => {
      const current = await row(userId);
      return current.status === 'revoked' && current.pendingOperation === null && upstream(userId) === 'revoked';
    });
    expect((await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: VIDEO })).status).toBe(403);
  });
});

describe('production money path: a refund crossing a purchase in flight, with the plugin\'s default timeouts', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    // The outbox runs every 5 s here (every minute by default): only its first-retry delay (about
    // 3 minutes with the default timeouts) could hold a re-send back.
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { outbox: { cron: '*/5 * * * * *' } } });
    admin = (await createAdmin(app, 'super')).token;
    await sync(app, admin);
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  /** Sends the purchase, which reaches Osteocom only after the refund was answered; returns its reply and when it ended. */
  const crossed = async (userId: string, buy: () => PromiseLike<{ status: number; body: { data: unknown } }>) => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', latencyMs: 1_000, latencyPhase: 'before', match: { userId } });
    const purchase = Promise.resolve(buy()).then((res) => ({ res, endedAt: Date.now() }));
    await waitFor('the purchase at Osteocom', () => app.sandbox.inFlight('contentAccessAuthorization') === 1, { intervalMs: 5 });
    await waitFor('the purchase recorded', async () => (await rowOf(app, userId))?.pendingOperation === 'authorize', { intervalMs: 5 });
    const refund = await app.http.post('/osteocom/revocations').set(auth()).send({ userId, channelId: A });
    expect([refund.status, refund.body.data.state]).toEqual([200, 'revoked']);
    expect(upstreamOf(app, userId)).toBe('none');
    return purchase;
  };

  it('finding 7: the purchase replies as its entitlement ends, and the refund agrees with Osteocom within 60 s of the purchase call ending', async () => {
    const { user } = await createEndUser(app);
    const userId = user.documentId;
    const { res, endedAt } = await crossed(userId, () => app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: [{ productId: A }] }));
    const data = res.body.data as { state: string; entitlements: { status: string }[] };
    expect([res.status, data.state, data.entitlements[0].status]).toEqual([200, 'revoked', 'revoked']);
    await waitFor('the refund confirmed here and at Osteocom', async () => upstreamOf(app, userId) === 'revoked' && (await rowOf(app, userId)).pendingOperation === null, {
      timeoutMs: Math.max(0, endedAt + 60_000 - Date.now()),
      intervalMs: 100,
    });
    expect(await rowOf(app, userId)).toMatchObject({ status: 'revoked', pendingOperation: null, needsReconciliation: false });
  });

  it('purchases of two channels in either order, side by side, all settle: the report tallies they share never deadlock one into a 500', async () => {
    const [X, Y] = catalog.map((channel) => channel.idChannel);
    const users = Array.from({ length: 24 }, (_, i) => `two-channels-${i}`);
    const replies = await Promise.all(
      users.map((userId, i) => app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: (i % 2 ? [Y, X] : [X, Y]).map((productId) => ({ productId })) }))
    );
    expect(replies.map((res) => [res.status, res.body.error?.details?.code])).toEqual(users.map(() => [200, undefined]));
    const rows = await app.strapi.db.query(ENTITLEMENT).findMany({ where: { customerKey: { $in: users } } });
    expect(rows.map((row: { status: string }) => row.status)).toEqual(users.flatMap(() => ['active', 'active']));
  });

  it('finding 7: a bulk row overtaken by a concurrent refund says so, not that Osteocom refused it', async () => {
    const { user } = await createEndUser(app);
    const userId = user.documentId;
    const { res } = await crossed(userId, () => app.http.post('/osteocom/authorizations/bulk').set(auth()).send({ rows: [{ userId, productId: A }] }));
    expect([res.status, (res.body.data as { results: unknown[] }).results]).toEqual([200, [{ row: 0, userId, productId: A, outcome: 'revoked' }]]);
  });
});

describe('production money path: a server stopped while its call is on the wire', () => {
  // Calls may take 90 s; the sandbox holds the slow call until the test releases it, after its
  // server stopped and the next one recorded and completed a newer intent (however long boots take).
  const pluginConfig = { http: { timeoutMs: 90_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 } };
  type Intent = 'authorize' | 'revoke';
  const send = (app: TestApp, token: string, userId: string, intent: Intent) =>
    intent === 'authorize'
      ? app.http.post('/osteocom/authorizations').set('Authorization', `Bearer ${token}`).send({ userId, products: [{ productId: A }] })
      : app.http.post('/osteocom/revocations').set('Authorization', `Bearer ${token}`).send({ userId, channelId: A });
  const ENDPOINT = { authorize: 'contentAccessAuthorization', revoke: 'revocateActivation' } as const;
  const STATUS = { authorize: 'active', revoke: 'revoked' } as const;

  /**
   * `slow` is on the wire when its server is destroyed (a deploy); the next server on the same
   * database records and completes `latest`; then the slow call lands at Osteocom. Once it can no
   * longer land, the outbox must leave Osteocom holding `latest`.
   */
  const stoppedMidCall = async (userId: string, slow: Intent, latest: Intent, before: Intent[] = []) => {
    const first = await startTestApp({ sandbox: { catalog }, pluginConfig });
    let next: TestApp | undefined;
    try {
      const admin = (await createAdmin(first, 'super')).token;
      await sync(first, admin);
      for (const intent of before) expect((await send(first, admin, userId, intent)).status).toBe(200);
      first.sandbox.inject({ endpoint: ENDPOINT[slow], hold: true, latencyPhase: 'before', match: { userId } });
      const cut = Promise.resolve(send(first, admin, userId, slow)).then((res) => res.status, () => 0);
      await waitFor('the slow call at Osteocom', () => first.sandbox.inFlight(ENDPOINT[slow]) === 1, { intervalMs: 5 });
      await first.strapi.destroy();
      expect([202, 0]).toContain(await cut);

      next = await startTestApp({ database: first.database, existingSandbox: first.sandbox, pluginConfig });
      const nextAdmin = (await createAdmin(next, 'super')).token;
      const reply = await send(next, nextAdmin, userId, latest);
      expect([reply.status, reply.body.data.state]).toEqual([200, STATUS[latest]]);
      // The slow call has not landed yet: Osteocom holds what the newer intent made of it.
      expect(upstreamOf(next, userId)).toBe(latest === 'revoke' ? 'none' : 'active');

      // The stopped server's call lands after the newer one: the newer one must go out once more after it.
      await waitFor('the held call released', () => first.sandbox.release() === 1);
      await waitFor('the stopped server\'s call to land', () => upstreamOf(next!, userId) === STATUS[slow], { timeoutMs: 30_000, intervalMs: 100 });
      const kept = await rowOf(next, userId);
      expect(kept).toMatchObject({ status: STATUS[latest], pendingOperation: latest, calls: [expect.objectContaining({ intent: slow })] });
      // Sent again once the cut-off call can no longer land: that bound passes (the clock is not mocked).
      expect(new Date(kept.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(new Date(kept.calls[0].until).getTime());
      const past = new Date(Date.now() - 1_000);
      await next.strapi.db.query(ENTITLEMENT).updateMany({
        where: { customerKey: userId },
        data: { nextAttemptAt: past, doubtUntil: past, calls: kept.calls.map((call: object) => ({ ...call, until: past.toISOString() })) },
      });
      await next.strapi.plugin('osteocom').service('outbox').runOnce();
      expect([await rowOf(next, userId), upstreamOf(next, userId)]).toEqual([expect.objectContaining({ status: STATUS[latest], pendingOperation: null }), STATUS[latest]]);
    } finally {
      await next?.close();
      await first.sandbox.close();
      await first.database.drop();
    }
  };

  it('finding 2: a deploy (destroy) during a slow first purchase, then a refund on the next server: Osteocom ends refunded too', () =>
    stoppedMidCall('bought-during-deploy', 'authorize', 'revoke'), 240_000);

  it('finding 2: a server stopped while its refund is on the wire, then a re-purchase on the next server: Osteocom ends active too', () =>
    stoppedMidCall('refunded-during-deploy', 'revoke', 'authorize', ['authorize']), 240_000);
});
