import { createSandbox, type Sandbox } from '../../../sandbox/src';
import { call, clientId, clientSecret, decode, delay, login, type Json } from './client';

const NOT_AUTHORIZED = { error: 'Not Authorized' };

describe('sandbox endpoints: every documented status code', () => {
  let sb: Sandbox;
  let token: string;
  const channel = (i = 0) => sb.catalog[i];
  const authorize = (userId: string, extra: Json = {}, productIds = [channel().idChannel]) =>
    call(
      sb,
      'contentAccessAuthorization',
      {
        clientId,
        userId,
        products: productIds.map((productId) => ({ productId, price: 100 })),
        ...extra,
      },
      token
    );

  beforeAll(async () => {
    sb = createSandbox({ catalog: { channels: 3, videosPerChannel: 2 } });
    await sb.listen();
  });
  afterAll(() => sb.close());
  beforeEach(async () => {
    token = await login(sb);
  });

  describe('contentLicensing_login', () => {
    it('200: an HS256 JWT for the client with iat, exp = iat + bearerTtlSeconds and a jti', async () => {
      const { header, claims } = decode(token);
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(claims).toEqual({
        sub: clientId,
        iat: expect.any(Number),
        exp: expect.any(Number),
        jti: expect.any(String),
      });
      expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
      expect((claims.exp as number) - (claims.iat as number)).toBeGreaterThanOrEqual(3600);
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(3601);
      expect(decode(await login(sb)).claims.jti).not.toBe(claims.jti);
    });

    it('401: unknown client, wrong secret, missing credentials', async () => {
      for (const body of [
        { clientId: 'psiGBHLDxxxxxxdIyDw', clientSecret },
        { clientId, clientSecret: 'wrong' },
        { clientId },
        {},
      ]) {
        expect(await call(sb, 'login', body)).toMatchObject({ status: 401, body: NOT_AUTHORIZED });
      }
    });

    it('400 for a body that is not a JSON object, 405 for another method, 404 off the five paths', async () => {
      expect((await call(sb, 'login', '{"clientId":')).status).toBe(400);
      expect((await call(sb, 'login', '')).status).toBe(400);
      expect((await call(sb, 'login', '[1,2]')).status).toBe(400);
      const get = await fetch(`${sb.url}/contentLicensing_login`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect((await call(sb, 'nothing', { clientId })).status).toBe(404);
      expect(
        (
          await fetch(`http://127.0.0.1:${sb.port}/contentLicensing_login`, {
            method: 'POST',
            body: '{}',
          })
        ).status
      ).toBe(404);
    });
  });

  describe('contentLicensing_catalog', () => {
    it('200: the channels, shaped exactly as the reference', async () => {
      const res = await call(sb, 'catalog', { clientId }, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const catalog = res.body.catalog as Json[];
      expect(catalog).toEqual(sb.catalog);
      expect(catalog).toHaveLength(3);
      for (const ch of catalog) {
        expect(Object.keys(ch).sort()).toEqual([
          'authors',
          'background',
          'cover',
          'htmlDescription',
          'idChannel',
          'price',
          'subtitle',
          'title',
          'trailer',
          'video',
        ]);
        expect(Number.isInteger(ch.price)).toBe(true);
        for (const author of ch.authors as Json[])
          expect(author).toEqual({
            name: expect.any(String),
            image: expect.stringMatching(/^https:\/\//),
          });
        for (const video of ch.video as Json[]) {
          expect(video).toEqual({
            videoId: expect.any(String),
            title: expect.any(String),
            duration: expect.any(Number),
            videoQuality: expect.any(String),
          });
          expect(Number.isInteger(video.duration)).toBe(true);
        }
      }
    });

    it('401: no bearer, a malformed header, a bad signature, a foreign token, an access key, another clientId', async () => {
      const foreign = createSandbox({ jwtSecret: 'another-secret' });
      await foreign.listen();
      const foreignToken = await login(foreign);
      await foreign.close();
      // Flipping the last digit's lowest bit changes only unused bits: decoding-then-comparing would miss it.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const tampered = token.slice(0, -1) + alphabet[alphabet.indexOf(token.slice(-1)) ^ 1];
      const accessKey = (await authorize('bearer-probe')).body.token as string;
      const refused = [
        await call(sb, 'catalog', { clientId }),
        await call(sb, 'catalog', { clientId }, undefined, {
          headers: { Authorization: `Token ${token}` },
        }),
        await call(sb, 'catalog', { clientId }, undefined, {
          headers: { Authorization: 'Bearer' },
        }),
        await call(sb, 'catalog', { clientId }, tampered),
        await call(sb, 'catalog', { clientId }, `${token}x`),
        await call(sb, 'catalog', { clientId }, foreignToken),
        await call(sb, 'catalog', { clientId }, accessKey),
        await call(sb, 'catalog', { clientId: 'other-client' }, token),
        await call(sb, 'catalog', {}, token),
      ];
      expect(refused.map((r) => r.status)).toEqual(refused.map(() => 401));
      expect(refused[0].body).toEqual(NOT_AUTHORIZED);
      expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(200);
    });

    it('401 for every bearer issued before expireAllTokens(); a new login works', async () => {
      const older = await login(sb);
      sb.expireAllTokens();
      expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(401);
      expect((await call(sb, 'catalog', { clientId }, older)).status).toBe(401);
      const fresh = await login(sb);
      expect((await call(sb, 'catalog', { clientId }, fresh)).status).toBe(200);
    });

    it('401 once a short-lived bearer is past its exp', async () => {
      const short = createSandbox({ bearerTtlSeconds: 1 });
      await short.listen();
      try {
        const shortToken = await login(short);
        const { exp } = decode(shortToken).claims as { exp: number };
        expect((await call(short, 'catalog', { clientId }, shortToken)).status).toBe(200);
        await delay(exp * 1000 - Date.now() + 50);
        expect((await call(short, 'catalog', { clientId }, shortToken)).status).toBe(401);
      } finally {
        await short.close();
      }
    });
  });

  describe('contentLicensing_contentAccessAuthorization', () => {
    it('200 as in the reference; the same userId again gives the same token and one customer', async () => {
      const first = await authorize('user_12345');
      expect(first.status).toBe(200);
      const accessKey = first.body.token as string;
      expect(decode(accessKey).claims).toMatchObject({ sub: 'user_12345', typ: 'access' });
      expect(decode(accessKey).claims.exp).toBeUndefined();

      const again = await authorize(
        'user_12345',
        { email: 'ann@example.com', name: 'Ann', surname: 'Lee', marketingConsent: true },
        [channel(0).idChannel, channel(1).idChannel]
      );
      expect(again).toMatchObject({ status: 200, body: { token: accessKey } });
      expect(sb.customer('user_12345')).toEqual({
        userId: 'user_12345',
        email: 'ann@example.com',
        name: 'Ann',
        surname: 'Lee',
        marketingConsent: true,
        accessKey,
        activations: {
          [channel(0).idChannel]: { activatedAt: expect.any(String), price: 100 },
          [channel(1).idChannel]: { activatedAt: expect.any(String), price: 100 },
        },
      });
      // Omitted profile fields are left as they were.
      await authorize('user_12345');
      expect(sb.customer('user_12345')).toMatchObject({
        email: 'ann@example.com',
        marketingConsent: true,
      });
    });

    it("by default (account without marketing consent) no email is required, whatever the customer's flag", async () => {
      expect(sb.account).toEqual({ marketingConsentEnabled: false });
      expect((await authorize('u-no-mail')).status).toBe(200);
      expect((await authorize('u-consent-no-mail', { marketingConsent: true })).status).toBe(200);
      expect(sb.customer('u-consent-no-mail')).toMatchObject({ marketingConsent: true });
      expect(sb.customer('u-consent-no-mail')).not.toHaveProperty('email');
    });

    it('an account with marketing consent: 400 "Email field required" for any authorization without email, whatever the customer\'s flag; nothing recorded', async () => {
      sb.setAccount({ marketingConsentEnabled: true });
      try {
        for (const extra of [
          {},
          { marketingConsent: false },
          { marketingConsent: true },
          { email: '' },
        ]) {
          expect(await authorize('u-account-consent', extra)).toMatchObject({
            status: 400,
            body: { error: 'Email field required' },
          });
        }
        expect(sb.customer('u-account-consent')).toBeUndefined();
        expect((await authorize('u-account-consent', { email: 'a@example.com' })).status).toBe(200);
        expect(sb.customer('u-account-consent')).toMatchObject({ marketingConsent: false });
      } finally {
        sb.setAccount({ marketingConsentEnabled: false });
      }
    });

    it('403 "Malformed email" for a malformed address, with or without account consent; nothing recorded', async () => {
      for (const marketingConsentEnabled of [false, true]) {
        sb.setAccount({ marketingConsentEnabled });
        for (const email of ['not-an-email', 'a@b', 'a b@example.com', 'ann@@example.com', 42]) {
          expect(await authorize('u-malformed', { email })).toMatchObject({
            status: 403,
            body: { error: 'Malformed email' },
          });
        }
      }
      sb.setAccount({ marketingConsentEnabled: false });
      expect(sb.customer('u-malformed')).toBeUndefined();
      expect(
        (
          await authorize('u-valid', {
            email: 'first.last+tag@mail.example.co.uk',
            marketingConsent: true,
          })
        ).status
      ).toBe(200);
    });

    it('an omitted marketingConsent leaves the stored flag as it was; false is stored as given', async () => {
      expect((await authorize('u-flag')).status).toBe(200);
      expect(sb.customer('u-flag')?.marketingConsent).toBe(false);
      await authorize('u-flag', { marketingConsent: true });
      await authorize('u-flag');
      expect(sb.customer('u-flag')?.marketingConsent).toBe(true);
      await authorize('u-flag', { marketingConsent: false });
      expect(sb.customer('u-flag')?.marketingConsent).toBe(false);
    });

    it('a product re-sent while active changes nothing (activatedAt and price kept)', async () => {
      await authorize('u-resend');
      const first = sb.customer('u-resend')!.activations[channel().idChannel];
      await delay(5);
      const again = await call(
        sb,
        'contentAccessAuthorization',
        { clientId, userId: 'u-resend', products: [{ productId: channel().idChannel, price: 7 }] },
        token
      );
      expect(again.status).toBe(200);
      expect(sb.customer('u-resend')!.activations[channel().idChannel]).toEqual(first);
    });

    it('400 for a missing userId, missing or empty products, an unknown product or a bad price', async () => {
      const product = { productId: channel().idChannel, price: 100 };
      const cases: [Json, RegExp][] = [
        [{ products: [product] }, /userId/],
        [{ userId: '', products: [product] }, /userId/],
        [{ userId: 'u' }, /products/],
        [{ userId: 'u', products: [] }, /products/],
        [{ userId: 'u', products: [{ productId: 'nope', price: 1 }] }, /^Unknown product nope$/],
        [{ userId: 'u', products: [{ ...product, price: 'free' }] }, /price/],
      ];
      for (const [body, error] of cases) {
        const res = await call(sb, 'contentAccessAuthorization', { clientId, ...body }, token);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatch(error);
      }
      expect(sb.customer('u')).toBeUndefined();
    });

    it('401 without a bearer', async () => {
      expect(
        await call(sb, 'contentAccessAuthorization', {
          clientId,
          userId: 'x',
          products: [{ productId: channel().idChannel, price: 1 }],
        })
      ).toMatchObject({ status: 401, body: NOT_AUTHORIZED });
      expect(sb.customer('x')).toBeUndefined();
    });
  });

  describe('contentLicensing_videoAccess and contentLicensing_revocateActivation', () => {
    const videoAccess = (userId: string, videoId: string, userAccessKey: string) =>
      call(sb, 'videoAccess', { clientId, userId, videoId, userAccessKey }, token);
    const revoke = (userId: string, channelId = channel().idChannel) =>
      call(sb, 'revocateActivation', { clientId, channelId, userId }, token);

    it('200: a video token for an active customer, which verifyVideoToken accepts', async () => {
      const accessKey = (await authorize('viewer')).body.token as string;
      const videoId = channel().video[1].videoId;
      const ok = await videoAccess('viewer', videoId, accessKey);
      expect(ok).toMatchObject({
        status: 200,
        body: { tokenAuthVideo: expect.any(String), expiresIn: 900 },
      });
      const videoToken = ok.body.tokenAuthVideo as string;
      const { claims } = decode(videoToken);
      expect(claims).toMatchObject({ sub: 'viewer', vid: videoId, ch: channel().idChannel });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
      expect(sb.verifyVideoToken(videoToken)).toEqual({
        userId: 'viewer',
        videoId,
        exp: claims.exp,
      });
    });

    it('verifyVideoToken rejects a tampered, a foreign or a non-video token', async () => {
      const accessKey = (await authorize('tamper')).body.token as string;
      const videoToken = (await videoAccess('tamper', channel().video[0].videoId, accessKey)).body
        .tokenAuthVideo as string;
      const [header, , signature] = videoToken.split('.');
      const forged = Buffer.from(
        JSON.stringify({ ...decode(videoToken).claims, vid: channel(1).video[0].videoId })
      ).toString('base64url');
      expect(sb.verifyVideoToken(`${header}.${forged}.${signature}`)).toBeNull();
      expect(sb.verifyVideoToken(`${videoToken}x`)).toBeNull();
      expect(sb.verifyVideoToken(accessKey)).toBeNull();
      expect(sb.verifyVideoToken(token)).toBeNull();
      expect(sb.verifyVideoToken('not.a.jwt')).toBeNull();
      const foreign = createSandbox({ catalog: [...sb.catalog] });
      expect(foreign.verifyVideoToken(videoToken)).toBeNull();
    });

    it('401 for another channel, a wrong access key, an unknown user; 404 for an unknown video', async () => {
      const accessKey = (await authorize('picky')).body.token as string;
      const otherKey = (await authorize('someone-else')).body.token as string;
      const videoId = channel().video[0].videoId;
      expect(await videoAccess('picky', channel(1).video[0].videoId, accessKey)).toMatchObject({
        status: 401,
        body: NOT_AUTHORIZED,
      });
      expect((await videoAccess('picky', videoId, otherKey)).status).toBe(401);
      expect((await videoAccess('picky', videoId, 'wrong')).status).toBe(401);
      expect((await videoAccess('nobody', videoId, accessKey)).status).toBe(401);
      expect(await videoAccess('picky', '591441cexxxxxcc4f8d653', accessKey)).toMatchObject({
        status: 404,
        body: { error: 'Video not found' },
      });
      expect(
        (
          await call(sb, 'videoAccess', {
            clientId,
            userId: 'picky',
            videoId,
            userAccessKey: accessKey,
          })
        ).status
      ).toBe(401);
    });

    it('revocation: 200 with an ISO cancellationDate, idempotent; the video is refused until authorized again', async () => {
      const accessKey = (await authorize('refund')).body.token as string;
      const videoId = channel().video[0].videoId;
      const before = Date.now();
      const revoked = await revoke('refund');
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ userId: 'refund', cancellationDate: expect.any(String) });
      const date = revoked.body.cancellationDate as string;
      expect(new Date(date).toISOString()).toBe(date);
      expect(new Date(date).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(sb.customer('refund')?.activations[channel().idChannel].cancellationDate).toBe(date);
      expect((await videoAccess('refund', videoId, accessKey)).status).toBe(401);

      await delay(5);
      expect((await revoke('refund')).body.cancellationDate).toBe(date);

      expect((await authorize('refund')).body.token).toBe(accessKey);
      expect(
        sb.customer('refund')?.activations[channel().idChannel].cancellationDate
      ).toBeUndefined();
      expect((await videoAccess('refund', videoId, accessKey)).status).toBe(200);
    });

    it('revocation answers 200 for an unknown customer or a channel never activated, recording nothing; 400 without ids', async () => {
      expect((await revoke('ghost')).body).toEqual({
        userId: 'ghost',
        cancellationDate: expect.any(String),
      });
      expect(sb.customer('ghost')).toBeUndefined();
      await authorize('one-channel');
      expect((await revoke('one-channel', channel(2).idChannel)).status).toBe(200);
      expect((await revoke('one-channel', '__proto__')).status).toBe(200);
      expect(Object.keys(sb.customer('one-channel')?.activations ?? {})).toEqual([
        channel().idChannel,
      ]);
      expect('cancellationDate' in {}).toBe(false);
      expect(
        (await call(sb, 'revocateActivation', { clientId, userId: 'one-channel' }, token)).status
      ).toBe(400);
      expect(
        (await call(sb, 'revocateActivation', { clientId, channelId: channel().idChannel }, token))
          .status
      ).toBe(400);
      expect(
        (
          await call(sb, 'revocateActivation', {
            clientId,
            channelId: channel().idChannel,
            userId: 'one-channel',
          })
        ).status
      ).toBe(401);
    });
  });

  it('honours videoTokenTtlSeconds', async () => {
    const quick = createSandbox({
      videoTokenTtlSeconds: 60,
      catalog: { channels: 1, videosPerChannel: 1 },
    });
    const { url } = await quick.listen();
    try {
      expect(url).toBe(`http://127.0.0.1:${quick.port}/sv6`);
      const bearer = await login(quick);
      const [ch] = quick.catalog;
      const key = (
        await call(
          quick,
          'contentAccessAuthorization',
          { clientId, userId: 'q', products: [{ productId: ch.idChannel, price: 1 }] },
          bearer
        )
      ).body.token;
      const res = await call(
        quick,
        'videoAccess',
        { clientId, userId: 'q', videoId: ch.video[0].videoId, userAccessKey: key },
        bearer
      );
      expect(res.body.expiresIn).toBe(60);
      const { claims } = decode(res.body.tokenAuthVideo as string);
      expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    } finally {
      await quick.close();
    }
  });

  it('records every request, refused and malformed ones included', async () => {
    sb.clearRequests();
    await call(sb, 'catalog', { clientId }, token);
    await call(sb, 'catalog', { clientId });
    await call(sb, 'login', 'not json');
    await call(sb, 'login', { clientId, clientSecret });
    expect(sb.count()).toBe(4);
    expect(sb.count('catalog')).toBe(2);
    expect(sb.count('videoAccess')).toBe(0);
    expect(sb.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ['catalog', 200],
      ['catalog', 401],
      ['login', 400],
      ['login', 200],
    ]);
    expect(sb.requests[0]).toMatchObject({
      path: '/sv6/contentLicensing_catalog',
      body: { clientId },
      headers: expect.objectContaining({
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      }),
      at: expect.any(Date),
      durationMs: expect.any(Number),
    });
    expect(sb.requests[2].body).toBe('not json');
    sb.clearRequests();
    expect(sb.count()).toBe(0);
  });

  it('reset() forgets customers and bearers and restores the catalog', async () => {
    const local = createSandbox({ catalog: { channels: 2, videosPerChannel: 1 } });
    await local.listen();
    try {
      const bearer = await login(local);
      const [first] = local.catalog;
      await call(
        local,
        'contentAccessAuthorization',
        { clientId, userId: 'r', products: [{ productId: first.idChannel, price: 1 }] },
        bearer
      );
      local.removeChannel(first.idChannel);
      local.inject({ endpoint: 'login', status: 500 });
      local.reset();
      expect(local.count()).toBe(0);
      expect(local.customer('r')).toBeUndefined();
      expect(local.catalog.map((c) => c.idChannel)).toContain(first.idChannel);
      expect((await call(local, 'catalog', { clientId }, bearer)).status).toBe(401);
      expect(
        (await call(local, 'catalog', { clientId }, await login(local))).body.catalog
      ).toHaveLength(2);
    } finally {
      await local.close();
    }
  });
});
