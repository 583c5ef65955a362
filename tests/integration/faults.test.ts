/**
 * Production readiness, faults: Osteocom failing in every way the sandbox can (5xx bursts, 429,
 * hangs past the client timeout, socket resets, non-JSON and wrong-shape bodies, refused or
 * expired bearers, the whole server gone) during a sync, an authorization, a revocation, a video
 * token and a connection test. Every answer is a clear 4xx/5xx with a code, a failed sync leaves
 * the catalog exactly as it was, no purchase is lost, and everything recovers by itself.
 */
import type { FaultRule, SandboxEndpoint } from '../../sandbox/src';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { captureResponses } from '../helpers/capture';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 6, videosPerChannel: 3 });
/** 1 s: long enough for a loaded machine's answers, short enough for the hangs (two attempts each). */
const HTTP = { timeoutMs: 1_000, maxAttempts: 2, backoffBaseMs: 10, backoffMaxMs: 50 };

/** How Osteocom misbehaves; each rule spoils every attempt the client makes (maxAttempts 2). */
const KINDS = {
  '5xx burst': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, status: 503, times: HTTP.maxAttempts }],
  '429 with Retry-After': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, status: 429, retryAfter: 1, times: HTTP.maxAttempts }],
  'hang past the timeout': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, hang: true, times: HTTP.maxAttempts }],
  'socket reset': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, reset: true, times: HTTP.maxAttempts }],
  '502 HTML page': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, status: 502, body: '<html><h1>502 Bad Gateway</h1></html>', times: HTTP.maxAttempts }],
  'non-JSON 200 body': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, status: 200, body: '<html>Down for maintenance</html>' }],
  // The documented fields are there, of the wrong type: a body without them is UPSTREAM_PROTOCOL_ERROR (money-edges.test.ts).
  'wrong-shape JSON': (endpoint: SandboxEndpoint): FaultRule[] => [{ endpoint, json: { unexpected: true, token: 42, userId: 42, cancellationDate: 42 } }],
  'login down': (): FaultRule[] => [{ endpoint: 'login', status: 503, times: HTTP.maxAttempts }],
  'login hangs': (): FaultRule[] => [{ endpoint: 'login', hang: true, times: HTTP.maxAttempts }],
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** What the plugin reports for each kind: unavailable (retryable) or an invalid response. */
const codeFor = (kind: Kind) => (kind === 'non-JSON 200 body' || kind === 'wrong-shape JSON' ? 'UPSTREAM_INVALID_RESPONSE' : 'UPSTREAM_UNAVAILABLE');
const statusFor = (kind: Kind) => (codeFor(kind) === 'UPSTREAM_UNAVAILABLE' ? 503 : 502);

const CHANNEL = 'plugin::osteocom.channel';
const ENTITLEMENT = 'plugin::osteocom.entitlement';

describe('faults', () => {
  let app: TestApp;
  let admin: string;
  let responses: ReturnType<typeof captureResponses>;
  let endUser: { user: { documentId: string }; jwt: string };

  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const sync = async () => {
    const res = await app.http.post('/osteocom/sync?wait=true').set(auth());
    expect(res.status).toBe(200);
    return res.body.data as { status: string; errorCode: string | null; error: string | null; created: number; updated: number; removed: number };
  };
  const authorize = (userId: string, channelId = catalog[0].idChannel) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, email: `${userId}@example.com`, products: [{ productId: channelId }] });
  const revoke = (userId: string, channelId = catalog[0].idChannel) => app.http.post('/osteocom/revocations').set(auth()).send({ userId, channelId });
  const videoToken = (videoId = catalog[0].video[0].videoId) => app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${endUser.jwt}`).send({ videoId });

  /** A login is forced when the fault is on login: the cached bearer is refused from now on. */
  const inject = (kind: Kind, endpoint: SandboxEndpoint) => {
    if (kind.startsWith('login')) app.sandbox.expireAllTokens();
    for (const rule of KINDS[kind](endpoint)) app.sandbox.inject(rule);
  };

  /** Every row of the catalog tables (and the video ↔ channel links), in id order. */
  const snapshot = async () => {
    const knex = app.strapi.db.connection;
    const link = (app.strapi.db.metadata.get('plugin::osteocom.video' as never).attributes.channel as unknown as { joinTable: { name: string } }).joinTable.name;
    const [channels, videos, links] = await Promise.all([
      knex('osteocom_channels').select('*').orderBy('id'),
      knex('osteocom_videos').select('*').orderBy('id'),
      knex(link).select('*').orderBy('id'),
    ]);
    return JSON.parse(JSON.stringify({ channels, videos, links })) as { channels: unknown[]; videos: unknown[]; links: unknown[] };
  };

  /** A clean error reply: the status, Strapi's shape with the code, a message, no stack. */
  const expectError = (res: { status: number; body: { data: unknown; error?: { status: number; message: string; details: { code: string } } }; text: string }, status: number, code: string) => {
    expect([res.status, res.body.error?.details.code]).toEqual([status, code]);
    expect(res.body.data).toBeNull();
    expect(res.body.error!.message).toMatch(/\w/);
    expect(res.text).not.toMatch(/\n\s+at |node_modules/);
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: {
        http: HTTP,
        outbox: { backoffBaseSeconds: 1, maxAttempts: 50 },
        // Every video-token request asks Osteocom, so each fault reaches the upstream call.
        videoToken: { cacheMarginSeconds: 1_000_000, rateLimit: { max: 10_000, windowSeconds: 60 } },
      },
    });
    responses = captureResponses(app.strapi.server.httpServer);
    admin = (await createAdmin(app, 'super')).token;
    expect((await sync()).status).toBe('succeeded');
    endUser = await createEndUser(app);
    expect((await authorize(endUser.user.documentId)).status).toBe(200);
    // Upstream changes that a successful sync would write: a renamed, a new and a dropped channel.
    app.sandbox.updateChannel(catalog[1].idChannel, { title: 'Renamed while Osteocom misbehaves' });
    app.sandbox.addChannel({ ...generateCatalog({ channels: 7, videosPerChannel: 2 })[6], idChannel: 'fault-new-channel', video: [] });
    app.sandbox.removeChannel(catalog[5].idChannel);
  });

  afterEach(() => app.sandbox.clearFaults());

  afterAll(async () => {
    responses?.stop();
    await app?.close();
  });

  describe('catalog sync', () => {
    it.each(KIND_NAMES)('fails cleanly on %s and leaves every catalog row exactly as it was', async (kind) => {
      const before = await snapshot();
      inject(kind, 'catalog');
      const run = await sync();
      expect(run).toMatchObject({ status: 'failed', errorCode: codeFor(kind) });
      expect(run.error).toMatch(/Osteocom/);
      expect(run.error).not.toMatch(/\n\s+at /);
      expect(await snapshot()).toEqual(before);
    });

    it('fails cleanly when the bearer is refused even after a fresh login, writing nothing', async () => {
      const before = await snapshot();
      app.sandbox.inject({ endpoint: 'catalog', status: 401, times: 2 });
      expect(await sync()).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_UNAUTHORIZED' });
      app.sandbox.inject({ endpoint: 'login', status: 401 });
      app.sandbox.expireAllTokens();
      expect(await sync()).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_UNAUTHORIZED' });
      expect(await snapshot()).toEqual(before);
    });

    it('recovers by itself: the next sync succeeds and applies everything that changed upstream', async () => {
      const before = await snapshot();
      const run = await sync();
      expect(run).toMatchObject({ status: 'succeeded', errorCode: null });
      expect(run.created).toBeGreaterThanOrEqual(1);
      expect(run.updated).toBeGreaterThanOrEqual(1);
      expect(run.removed).toBeGreaterThanOrEqual(1);
      expect(await snapshot()).not.toEqual(before);
      expect((await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: catalog[1].idChannel } })).title).toBe('Renamed while Osteocom misbehaves');
      expect(await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: 'fault-new-channel' } })).toMatchObject({ availability: 'available' });
    });

    it('survives a bearer that expired mid-sync: one fresh login, one retry, success', async () => {
      app.sandbox.updateChannel(catalog[2].idChannel, { subtitle: 'changed after the bearer expired' });
      const mark = app.sandbox.requests.length;
      // The plugin holds a cached bearer; Osteocom now refuses it.
      app.sandbox.expireAllTokens();
      const run = await sync();
      expect(run).toMatchObject({ status: 'succeeded', updated: 1 });
      expect(app.sandbox.requests.slice(mark).map((r) => `${r.endpoint} ${r.status}`)).toEqual(['catalog 401', 'login 200', 'catalog 200']);
    });
  });

  describe('authorizations: no purchase is lost', () => {
    it.each(KIND_NAMES)('keeps the purchase as pending (202) when Osteocom fails with %s', async (kind) => {
      const userId = `buyer-${kind.replace(/\W+/g, '-')}`;
      inject(kind, 'contentAccessAuthorization');
      const res = await authorize(userId, catalog[3].idChannel);
      expect(res.status).toBe(202);
      expect(res.body.data).toMatchObject({ state: 'pending', userId, entitlements: [expect.objectContaining({ channelKey: catalog[3].idChannel, status: 'pending' })] });
      const row = await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId } });
      expect(row).toMatchObject({ status: 'pending', pendingOperation: 'authorize', attempts: 1, lastError: expect.stringMatching(/Osteocom/) });
      const customer = await app.strapi.db.connection('osteocom_customers').where({ user_id: userId }).first();
      expect(customer.access_key).toBeNull();
    });

    it('activates every pending purchase once Osteocom is back, on the next outbox pass', async () => {
      const pending = await app.strapi.db.query(ENTITLEMENT).findMany({ where: { status: 'pending', pendingOperation: 'authorize' } });
      expect(pending).toHaveLength(KIND_NAMES.length);
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { status: 'pending' }, data: { nextAttemptAt: new Date(0) } });
      const mark = app.sandbox.requests.length;
      expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).toBe(KIND_NAMES.length);
      const after = await app.strapi.db.query(ENTITLEMENT).findMany({ where: { id: { $in: pending.map((row: { id: number }) => row.id) } } });
      expect(after.map((row: { status: string }) => row.status)).toEqual(pending.map(() => 'active'));
      // One upstream authorization per purchase: nothing sold twice, nothing skipped.
      const pushed = app.sandbox.requests.slice(mark).filter((r) => r.endpoint === 'contentAccessAuthorization');
      expect(pushed.map((r) => (r.body as { userId: string }).userId).sort()).toEqual(pending.map((row: { customerKey: string }) => row.customerKey).sort());
      for (const row of pending as { customerKey: string }[]) {
        const customer = await app.strapi.db.connection('osteocom_customers').where({ user_id: row.customerKey }).first();
        expect(customer.access_key).toMatch(/^v2:[0-9a-f]{8}:/);
      }
    });

    it('does not let an outbox pass push a purchase (or a refund) again while its first call is still in flight', async () => {
      for (const [operation, endpoint, send] of [
        ['authorize', 'contentAccessAuthorization', () => authorize('in-flight-buyer', catalog[2].idChannel)],
        ['revoke', 'revocateActivation', () => revoke('in-flight-buyer', catalog[2].idChannel)],
      ] as const) {
        // Held at Osteocom (not a latency that a loaded machine could outrun or overrun): the row is
        // written before Osteocom is called, and an outbox pass runs while that call is on the wire.
        app.sandbox.inject({ endpoint, hold: true, times: 1 });
        const reply = Promise.resolve(send());
        await waitFor(`the ${operation} on the wire`, () => app.sandbox.inFlight(endpoint) === 1, { intervalMs: 5 });
        expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: 'in-flight-buyer', pendingOperation: operation } })).toBeTruthy();
        expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).toBe(0);
        expect(app.sandbox.release()).toBe(1);
        expect((await reply).status).toBe(200);
      }
    });

    it('answers 409 ACCESS_PENDING for a video of a purchase still pending, without calling Osteocom', async () => {
      const buyer = await createEndUser(app);
      inject('5xx burst', 'contentAccessAuthorization');
      expect((await authorize(buyer.user.documentId, catalog[0].idChannel)).status).toBe(202);
      const before = app.sandbox.count('videoAccess');
      const res = await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${buyer.jwt}`).send({ videoId: catalog[0].video[1].videoId });
      expectError(res, 409, 'ACCESS_PENDING');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(app.sandbox.count('videoAccess')).toBe(before);
      // And the same customer plays once the outbox got it through.
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: buyer.user.documentId }, data: { nextAttemptAt: new Date(0) } });
      expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).toBe(1);
      const played = await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${buyer.jwt}`).send({ videoId: catalog[0].video[1].videoId });
      expect(played.status).toBe(200);
    });
  });

  describe('revocations: access ends at once, Osteocom is told later', () => {
    const revoked = (kind: Kind) => `revoked-${kind.replace(/\W+/g, '-')}`;

    beforeAll(async () => {
      for (const kind of KIND_NAMES) expect((await authorize(revoked(kind), catalog[4].idChannel)).status).toBe(200);
    });

    it.each(KIND_NAMES)('revokes locally and keeps the upstream call pending (202) when Osteocom fails with %s', async (kind) => {
      inject(kind, 'revocateActivation');
      const res = await revoke(revoked(kind), catalog[4].idChannel);
      expect(res.status).toBe(202);
      expect(res.body.data).toMatchObject({ state: 'pending', entitlements: [expect.objectContaining({ status: 'revoked', pendingOperation: 'revoke' })] });
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: revoked(kind) } })).toMatchObject({ status: 'revoked', pendingOperation: 'revoke', revokedAt: null });
    });

    it('confirms every pending revocation with Osteocom’s cancellationDate once it is back', async () => {
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { pendingOperation: 'revoke' }, data: { nextAttemptAt: new Date(0) } });
      expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).toBe(KIND_NAMES.length);
      for (const kind of KIND_NAMES) {
        const row = await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: revoked(kind) } });
        const cancellation = app.sandbox.customer(revoked(kind))!.activations[catalog[4].idChannel].cancellationDate!;
        expect(row).toMatchObject({ status: 'revoked', pendingOperation: null });
        expect(new Date(row.revokedAt).toISOString()).toBe(new Date(cancellation).toISOString());
      }
    });
  });

  describe('video tokens', () => {
    it.each(KIND_NAMES)('answers a clear error with a code when Osteocom fails with %s', async (kind) => {
      inject(kind, 'videoAccess');
      const res = await videoToken();
      expectError(res, statusFor(kind), codeFor(kind));
      if (codeFor(kind) === 'UPSTREAM_UNAVAILABLE') expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('maps Osteocom’s own refusals: unknown video 404, refused customer 403', async () => {
      app.sandbox.inject({ endpoint: 'videoAccess', status: 404, json: { error: 'Video not found' } });
      expectError(await videoToken(), 404, 'VIDEO_NOT_FOUND');
      app.sandbox.inject({ endpoint: 'videoAccess', status: 401, times: 2 });
      expectError(await videoToken(), 403, 'NOT_ENTITLED');
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: endUser.user.documentId }, data: { needsReconciliation: false } });
    });

    it('serves tokens again as soon as Osteocom recovers', async () => {
      const res = await videoToken();
      expect(res.status).toBe(200);
      expect(app.sandbox.verifyVideoToken(res.body.data.token)).toMatchObject({ userId: endUser.user.documentId });
    });
  });

  describe('connection test', () => {
    it.each(KIND_NAMES.filter((kind) => !kind.startsWith('login')))('answers a clear error with a code when the login fails with %s', async (kind) => {
      inject(kind, 'login');
      expectError(await app.http.post('/osteocom/settings/test-connection').set(auth()), statusFor(kind), codeFor(kind));
    });

    it('names refused credentials as such (502 UPSTREAM_UNAUTHORIZED), then succeeds once they are accepted', async () => {
      app.sandbox.inject({ endpoint: 'login', status: 401 });
      expectError(await app.http.post('/osteocom/settings/test-connection').set(auth()), 502, 'UPSTREAM_UNAUTHORIZED');
      const ok = await app.http.post('/osteocom/settings/test-connection').set(auth());
      expect([ok.status, ok.body.data.ok]).toEqual([200, true]);
    });
  });

  describe('Osteocom gone entirely (connection refused)', () => {
    it('keeps purchases and revocations, fails syncs and tokens cleanly, and recovers when it comes back', async () => {
      const port = app.sandbox.port;
      await app.sandbox.close();
      try {
        const before = await snapshot();
        expect(await sync()).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_UNAVAILABLE' });
        expect(await snapshot()).toEqual(before);
        const bought = await authorize('buyer-while-down', catalog[2].idChannel);
        expect([bought.status, bought.body.data.state]).toEqual([202, 'pending']);
        const refunded = await revoke(endUser.user.documentId);
        expect([refunded.status, refunded.body.data.state]).toEqual([202, 'pending']);
        // The refund took effect locally: no token, and no attempt to ask Osteocom.
        expectError(await videoToken(), 403, 'NOT_ENTITLED');
        expectError(await app.http.post('/osteocom/settings/test-connection').set(auth()), 503, 'UPSTREAM_UNAVAILABLE');
      } finally {
        await app.sandbox.listen(port);
      }
      expect((await sync()).status).toBe('succeeded');
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { pendingOperation: { $notNull: true } }, data: { nextAttemptAt: new Date(0) } });
      expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).toBe(2);
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: 'buyer-while-down' } })).toMatchObject({ status: 'active', pendingOperation: null });
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: endUser.user.documentId } })).toMatchObject({ status: 'revoked', pendingOperation: null });
      expect(app.sandbox.customer(endUser.user.documentId)!.activations[catalog[0].idChannel].cancellationDate).toEqual(expect.any(String));
    });
  });

  it('never answered a 500, a stack trace or an error without a code during the whole suite', () => {
    const plugin = responses.responses.filter((r) => r.url.startsWith('/osteocom/') || r.url.startsWith('/api/osteocom/'));
    expect(plugin.length).toBeGreaterThan(60);
    const bad = plugin.filter((r) => {
      if (r.status >= 500 && r.status !== 502 && r.status !== 503) return true;
      if (/\n\s+at |node_modules/.test(r.body)) return true;
      if (r.status < 400) return false;
      const body = JSON.parse(r.body) as { data: unknown; error?: { details?: { code?: string } } };
      return body.data !== null || !body.error?.details?.code;
    });
    expect(bad.map((r) => `${r.method} ${r.url} ${r.status} ${r.body.slice(0, 200)}`)).toEqual([]);
  });
});
