import { createSandbox, type Sandbox } from '../../../sandbox/src';

/** Calls an endpoint the way the reference's curl examples do. */
const post = async (sb: Sandbox, name: string, body: unknown, token?: string) => {
  const res = await fetch(`${sb.url}/contentLicensing_${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('sandbox: the five endpoints and every documented status code', () => {
  let sb: Sandbox;
  let token: string;
  const clientId = 'sandbox-client';
  const channel = () => sb.catalog[0];

  beforeAll(async () => {
    sb = createSandbox({ catalog: { channels: 3, videosPerChannel: 2 } });
    await sb.listen();
  });
  afterAll(() => sb.close());

  beforeEach(async () => {
    token = (await post(sb, 'login', { clientId, clientSecret: 'sandbox-secret' })).body.token as string;
  });

  describe('login', () => {
    it('200: a JWT with exp', async () => {
      const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      expect(payload).toMatchObject({ sub: clientId, exp: expect.any(Number) });
      expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    });

    it('401: unknown client or wrong secret', async () => {
      expect((await post(sb, 'login', { clientId: 'nobody', clientSecret: 'sandbox-secret' })).status).toBe(401);
      expect((await post(sb, 'login', { clientId, clientSecret: 'wrong' })).status).toBe(401);
      expect((await post(sb, 'login', {})).status).toBe(401);
    });
  });

  describe('catalog', () => {
    it('200: channels shaped as the reference', async () => {
      const res = await post(sb, 'catalog', { clientId }, token);
      expect(res.status).toBe(200);
      const [first] = res.body.catalog as Record<string, unknown>[];
      expect(Object.keys(first).sort()).toEqual(['authors', 'background', 'cover', 'htmlDescription', 'idChannel', 'price', 'subtitle', 'title', 'trailer', 'video']);
      expect((first.video as Record<string, unknown>[])[0]).toEqual({ videoId: expect.any(String), title: expect.any(String), duration: expect.any(Number), videoQuality: expect.any(String) });
    });

    it('401: no bearer, a bad bearer, another clientId, an expired bearer', async () => {
      expect((await post(sb, 'catalog', { clientId })).status).toBe(401);
      expect((await post(sb, 'catalog', { clientId }, `${token}x`)).status).toBe(401);
      expect((await post(sb, 'catalog', { clientId: 'other' }, token)).status).toBe(401);
      sb.expireAllTokens();
      expect((await post(sb, 'catalog', { clientId }, token)).status).toBe(401);
    });

    it('401 once a short-lived bearer passes its exp', async () => {
      const short = createSandbox({ bearerTtlSeconds: 1 });
      await short.listen();
      try {
        const shortToken = (await post(short, 'login', { clientId, clientSecret: 'sandbox-secret' })).body.token as string;
        expect((await post(short, 'catalog', { clientId }, shortToken)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 2100));
        expect((await post(short, 'catalog', { clientId }, shortToken)).status).toBe(401);
      } finally {
        await short.close();
      }
    });
  });

  describe('contentAccessAuthorization', () => {
    it('200: a stable access key per userId, one customer', async () => {
      const body = { clientId, userId: 'user_12345', products: [{ productId: channel().idChannel, price: 100 }] };
      const first = await post(sb, 'contentAccessAuthorization', body, token);
      const again = await post(sb, 'contentAccessAuthorization', { ...body, name: 'Ann' }, token);
      expect(first.status).toBe(200);
      expect(again.body.token).toBe(first.body.token);
      expect(sb.customer('user_12345')).toMatchObject({ name: 'Ann', activations: { [channel().idChannel]: expect.objectContaining({ price: 100 }) } });
    });

    it('400: email required with marketing consent; 403: malformed email', async () => {
      const base = { clientId, userId: 'u2', products: [{ productId: channel().idChannel, price: 1 }] };
      const consent = await post(sb, 'contentAccessAuthorization', { ...base, marketingConsent: true }, token);
      expect(consent).toEqual({ status: 400, body: { error: 'Email field required' } });
      const malformed = await post(sb, 'contentAccessAuthorization', { ...base, email: 'not-an-email' }, token);
      expect(malformed.status).toBe(403);
      expect(sb.customer('u2')).toBeUndefined();
    });

    it('401 without a bearer', async () => {
      expect((await post(sb, 'contentAccessAuthorization', { clientId, userId: 'x', products: [] })).status).toBe(401);
    });
  });

  describe('videoAccess and revocateActivation', () => {
    it('200 for an authorized customer, 401 for others and after revocation, 404 for an unknown video', async () => {
      const userId = 'viewer';
      const accessKey = (await post(sb, 'contentAccessAuthorization', { clientId, userId, products: [{ productId: channel().idChannel, price: 1 }] }, token)).body.token as string;
      const videoId = channel().video[0].videoId;

      const ok = await post(sb, 'videoAccess', { clientId, userId, videoId, userAccessKey: accessKey }, token);
      expect(ok.status).toBe(200);
      expect(ok.body.expiresIn).toBe(900);
      expect(sb.verifyVideoToken(ok.body.tokenAuthVideo as string)).toMatchObject({ userId, videoId });
      expect(sb.verifyVideoToken(`${ok.body.tokenAuthVideo}x`)).toBeNull();

      const otherChannel = sb.catalog[1].video[0].videoId;
      expect((await post(sb, 'videoAccess', { clientId, userId, videoId: otherChannel, userAccessKey: accessKey }, token)).status).toBe(401);
      expect((await post(sb, 'videoAccess', { clientId, userId, videoId, userAccessKey: 'wrong' }, token)).status).toBe(401);
      expect((await post(sb, 'videoAccess', { clientId, userId, videoId: 'nope', userAccessKey: accessKey }, token)).status).toBe(404);

      const revoked = await post(sb, 'revocateActivation', { clientId, channelId: channel().idChannel, userId }, token);
      expect(revoked.status).toBe(200);
      expect(revoked.body.userId).toBe(userId);
      expect(new Date(revoked.body.cancellationDate as string).toISOString()).toBe(revoked.body.cancellationDate);
      const again = await post(sb, 'revocateActivation', { clientId, channelId: channel().idChannel, userId }, token);
      expect(again.body.cancellationDate).toBe(revoked.body.cancellationDate);
      expect((await post(sb, 'videoAccess', { clientId, userId, videoId, userAccessKey: accessKey }, token)).status).toBe(401);

      await post(sb, 'contentAccessAuthorization', { clientId, userId, products: [{ productId: channel().idChannel, price: 1 }] }, token);
      expect((await post(sb, 'videoAccess', { clientId, userId, videoId, userAccessKey: accessKey }, token)).status).toBe(200);
    });
  });

  it('records every request for assertions', async () => {
    sb.clearRequests();
    await post(sb, 'catalog', { clientId }, token);
    expect(sb.count('catalog')).toBe(1);
    expect(sb.requests[0]).toMatchObject({ endpoint: 'catalog', status: 200, body: { clientId }, headers: expect.objectContaining({ authorization: `Bearer ${token}` }) });
  });
});
