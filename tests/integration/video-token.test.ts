import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 3, videosPerChannel: 2 });
const owned = catalog[0];
const other = catalog[1];

describe('video tokens', () => {
  let app: TestApp;
  let admin: string;
  let buyer: { user: { documentId: string }; jwt: string };
  let stranger: { user: { documentId: string }; jwt: string };

  const request = (jwt: string | undefined, body: object) => {
    const req = app.http.post('/api/osteocom/video-token').send(body);
    return jwt ? req.set('Authorization', `Bearer ${jwt}`) : req;
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: {
        videoToken: { playerUrlTemplate: 'https://player.example.com/{videoId}?t={token}', rateLimit: { max: 200, windowSeconds: 60 } },
      },
    });
    admin = (await createAdmin(app, 'super')).token;
    await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    buyer = await createEndUser(app);
    stranger = await createEndUser(app);
    const res = await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer.user.documentId, products: [{ productId: owned.idChannel }] });
    expect(res.status).toBe(200);
  });

  afterAll(() => app.close());

  it('gives an entitled end user a token the sandbox accepts, never cached by the browser', async () => {
    const videoId = owned.video[0].videoId;
    const res = await request(buyer.jwt, { videoId });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.data).toMatchObject({ videoId, expiresIn: expect.any(Number), expiresAt: expect.any(String) });
    expect(app.sandbox.verifyVideoToken(res.body.data.token)).toMatchObject({ userId: buyer.user.documentId, videoId });
    expect(res.body.data.playerUrl).toBe(`https://player.example.com/${videoId}?t=${encodeURIComponent(res.body.data.token)}`);
    expect(JSON.stringify(res.body)).not.toContain(app.sandbox.customer(buyer.user.documentId)!.accessKey);
  });

  it.each([
    ['no JWT', undefined, { videoId: owned.video[0].videoId }, 403, undefined],
    ['an invalid JWT', 'not-a-jwt', { videoId: owned.video[0].videoId }, 401, undefined],
    ['a video of a channel not bought', 'buyer', { videoId: other.video[0].videoId }, 403, 'NOT_ENTITLED'],
    ['an unknown video', 'buyer', { videoId: 'no-such-video' }, 404, 'VIDEO_NOT_FOUND'],
    ['a missing videoId', 'buyer', {}, 400, 'VALIDATION_ERROR'],
    ['a hostile videoId', 'buyer', { videoId: "x' OR 1=1 --" }, 400, 'VALIDATION_ERROR'],
    ['a stranger naming the buyer in the body', 'stranger', { videoId: owned.video[0].videoId, userId: 'BUYER' }, 403, 'NOT_ENTITLED'],
  ])('refuses %s without calling Osteocom', async (_, who, body, status, code) => {
    const jwt = who === 'buyer' ? buyer.jwt : who === 'stranger' ? stranger.jwt : who;
    const payload = 'userId' in body ? { ...body, userId: buyer.user.documentId } : body;
    const before = app.sandbox.count('videoAccess');
    const res = await request(jwt, payload);
    expect(res.status).toBe(status);
    if (code) expect(res.body.error.details.code).toBe(code);
    expect(app.sandbox.count('videoAccess')).toBe(before);
  });

  it('shares one upstream call among 50 concurrent requests for the same pair', async () => {
    const videoId = owned.video[1].videoId;
    const before = app.sandbox.count('videoAccess');
    const replies = await Promise.all(Array.from({ length: 50 }, () => request(buyer.jwt, { videoId }).then((res) => res)));
    expect(replies.every((res) => res.status === 200)).toBe(true);
    expect(new Set(replies.map((res) => res.body.data.token)).size).toBe(1);
    expect(app.sandbox.count('videoAccess') - before).toBe(1);
  });

  it('lets a trusted back end with an API token name the userId', async () => {
    const token = await createApiToken(app, 'custom', ['plugin::osteocom.video-token.create']);
    const res = await request(token, { videoId: owned.video[0].videoId, userId: buyer.user.documentId });
    expect(res.status).toBe(200);
    const missing = await request(token, { videoId: owned.video[0].videoId });
    expect(missing.status).toBe(400);
  });

  it('shows the end user their own entitlements on /me, never the access key', async () => {
    const res = await app.http.get('/api/osteocom/me').set('Authorization', `Bearer ${buyer.jwt}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      userId: buyer.user.documentId,
      entitlements: [expect.objectContaining({ channelId: owned.idChannel, channelTitle: owned.title, status: 'active' })],
    });
    expect(JSON.stringify(res.body)).not.toContain(app.sandbox.customer(buyer.user.documentId)!.accessKey);
    const strangers = await app.http.get('/api/osteocom/me').set('Authorization', `Bearer ${stranger.jwt}`);
    expect(strangers.body.data.entitlements).toEqual([]);
  });

  it('answers 503 with Retry-After when Osteocom is down, and recovers by itself', async () => {
    const videoId = owned.video[1].videoId;
    const buyer2 = await createEndUser(app);
    await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer2.user.documentId, products: [{ productId: owned.idChannel }] });
    app.sandbox.inject({ endpoint: 'videoAccess', status: 503, times: 3 });
    const down = await request(buyer2.jwt, { videoId });
    expect(down.status).toBe(503);
    expect(down.body.error.details.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    const back = await request(buyer2.jwt, { videoId });
    expect(back.status).toBe(200);
  });

  it('maps an upstream 404 to VIDEO_NOT_FOUND and an upstream refusal to NOT_ENTITLED, flagging the entitlement', async () => {
    const videoId = owned.video[1].videoId;
    const buyer3 = await createEndUser(app);
    await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer3.user.documentId, products: [{ productId: owned.idChannel }] });
    app.sandbox.inject({ endpoint: 'videoAccess', status: 404 });
    const missing = await request(buyer3.jwt, { videoId });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.code).toBe('VIDEO_NOT_FOUND');

    const loginsBefore = app.sandbox.count('login');
    app.sandbox.inject({ endpoint: 'videoAccess', status: 401, times: 2 });
    const refused = await request(buyer3.jwt, { videoId });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.code).toBe('NOT_ENTITLED');
    expect(app.sandbox.count('login') - loginsBefore).toBe(1);
    const entitlement = await app.strapi.db
      .query('plugin::osteocom.entitlement')
      .findOne({ where: { customerKey: buyer3.user.documentId, channelKey: owned.idChannel } });
    expect(entitlement.needsReconciliation).toBe(true);
  });

  it('answers 409 ACCESS_PENDING while a purchase waits in the outbox', async () => {
    const buyer4 = await createEndUser(app);
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 3 });
    const pending = await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer4.user.documentId, products: [{ productId: owned.idChannel }] });
    expect(pending.status).toBe(202);
    const before = app.sandbox.count('videoAccess');
    const res = await request(buyer4.jwt, { videoId: owned.video[0].videoId });
    expect(res.status).toBe(409);
    expect(res.body.error.details.code).toBe('ACCESS_PENDING');
    expect(app.sandbox.count('videoAccess')).toBe(before);
  });

  it('rate-limits each end user with 429 and Retry-After', async () => {
    const limited = await createEndUser(app);
    app.strapi.config.set('plugin::osteocom.videoToken.rateLimit', { max: 2, windowSeconds: 60 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push(await request(limited.jwt, { videoId: owned.video[0].videoId }));
      expect(statuses.map((res) => res.status)).toEqual([403, 403, 429]);
      expect(statuses[2].body.error.details.code).toBe('RATE_LIMITED');
      expect(Number(statuses[2].headers['retry-after'])).toBeGreaterThan(0);
      // The limit runs before validation: every request counts, and past it a malformed one is refused the same way.
      const malformed = await request(limited.jwt, { videoId: '' });
      expect([malformed.status, malformed.body.error.details.code]).toEqual([429, 'RATE_LIMITED']);
      const other = await request((await createEndUser(app)).jwt, { videoId: owned.video[0].videoId });
      expect(other.status).toBe(403);
    } finally {
      app.strapi.config.set('plugin::osteocom.videoToken.rateLimit', { max: 200, windowSeconds: 60 });
    }
  });

  it('drops cached tokens and refuses the video once access is revoked', async () => {
    const videoId = owned.video[0].videoId;
    const revoked = await app.http
      .post('/osteocom/revocations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer.user.documentId, channelId: owned.idChannel });
    expect(revoked.status).toBe(200);
    const before = app.sandbox.count('videoAccess');
    const res = await request(buyer.jwt, { videoId });
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('NOT_ENTITLED');
    expect(app.sandbox.count('videoAccess')).toBe(before);
  });

  it('refuses a video removed from the catalog with 404', async () => {
    app.sandbox.updateChannel(other.idChannel, { video: other.video.slice(1) });
    await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    const res = await request(stranger.jwt, { videoId: other.video[0].videoId });
    expect(res.status).toBe(404);
  });
});
