import {
  CONTROL_TOKEN_HEADER,
  createSandbox,
  generateCatalog,
  type RecordedRequest,
  type Sandbox,
} from '../../../sandbox/src';
import { waitFor } from '../../helpers/wait';
import { call, clientId, clientSecret, control, login } from './client';

describe('sandbox control API over HTTP', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = createSandbox({ catalog: { channels: 3, videosPerChannel: 2 } });
    await sb.listen();
  });
  afterEach(() => sb.close());

  it('GET /health answers, and control requests are never recorded', async () => {
    expect(await control(sb, '/health')).toMatchObject({
      status: 200,
      body: { ok: true, url: sb.url, channels: 3 },
    });
    expect(sb.count()).toBe(0);
  });

  it('POST /faults queues a rule (times: null means for ever); DELETE /faults clears them', async () => {
    expect(
      (await control(sb, '/faults', 'POST', { endpoint: 'login', status: 500, times: null })).status
    ).toBe(200);
    for (let i = 0; i < 3; i += 1)
      expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(500);
    expect((await control(sb, '/faults', 'DELETE')).status).toBe(200);
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);

    await control(sb, '/faults', 'POST', {
      endpoint: 'catalog',
      hang: false,
      status: 429,
      retryAfter: 3,
      times: 1,
    });
    const limited = await call(sb, 'catalog', { clientId }, await login(sb));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
  });

  it('a hold fault keeps the request until POST /release, then applies it', async () => {
    await control(sb, '/faults', 'POST', { endpoint: 'login', hold: true });
    const answer = call(sb, 'login', { clientId, clientSecret });
    // Polled: the request is held only once its body is read (release() with nothing held is a no-op).
    let released: unknown;
    await waitFor('the held login', async () => {
      const res = await control(sb, '/release', 'POST', {});
      released = res.body;
      return res.status === 200 && (released as { released: number }).released === 1;
    });
    expect(released).toEqual({ ok: true, released: 1 });
    expect((await answer).status).toBe(200);
    expect(sb.count('login')).toBe(1);
  });

  it('POST /faults refuses a malformed rule with 400 and queues nothing', async () => {
    for (const rule of [
      { endpoint: 'nope', status: 500 },
      { status: 500 },
      { endpoint: 'login', times: 0 },
      { endpoint: 'login', status: 'bad' },
      { endpoint: 'login', body: 1 },
      { endpoint: 'login', retryAfter: 'later' },
      { endpoint: 'login', omit: 'expiresIn' },
      { endpoint: 'login', omit: [''] },
      { endpoint: 'login', hold: 'yes' },
      [1],
    ]) {
      const res = await control(sb, '/faults', 'POST', rule);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String) });
    }
    expect(
      (
        await fetch(`http://127.0.0.1:${sb.port}/__sandbox/faults`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [CONTROL_TOKEN_HEADER]: sb.controlToken! },
          body: '{oops',
        })
      ).status
    ).toBe(400);
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);
  });

  it('GET /requests lists recorded requests, optionally for one endpoint; DELETE /requests clears them', async () => {
    const token = await login(sb);
    await call(sb, 'catalog', { clientId }, token);
    await call(sb, 'catalog', { clientId });
    const all = (await control(sb, '/requests')).body as RecordedRequest[];
    expect(all.map((r) => r.endpoint)).toEqual(['login', 'catalog', 'catalog']);
    const catalog = (await control(sb, '/requests?endpoint=catalog')).body as (RecordedRequest & {
      at: string;
    })[];
    expect(catalog.map((r) => r.status)).toEqual([200, 401]);
    expect(catalog[0]).toMatchObject({
      path: '/sv6/contentLicensing_catalog',
      body: { clientId },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(new Date(catalog[0].at).toISOString()).toBe(catalog[0].at);
    expect((await control(sb, '/requests?endpoint=bogus')).status).toBe(400);
    await control(sb, '/requests', 'DELETE');
    expect(sb.count()).toBe(0);
    expect((await control(sb, '/requests')).body).toEqual([]);
  });

  it('POST /expire-tokens refuses every bearer issued so far', async () => {
    const token = await login(sb);
    await control(sb, '/expire-tokens', 'POST');
    expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(401);
    expect((await call(sb, 'catalog', { clientId }, await login(sb))).status).toBe(200);
  });

  it("GET /account and PUT /account read and switch the account's marketing consent; a malformed account is refused", async () => {
    expect(await control(sb, '/account')).toMatchObject({
      status: 200,
      body: { marketingConsentEnabled: false },
    });
    expect(await control(sb, '/account', 'PUT', { marketingConsentEnabled: true })).toMatchObject({
      status: 200,
      body: { marketingConsentEnabled: true },
    });
    const token = await login(sb);
    const product = { productId: sb.catalog[0].idChannel, price: 1 };
    expect(
      await call(
        sb,
        'contentAccessAuthorization',
        { clientId, userId: 'u', products: [product] },
        token
      )
    ).toMatchObject({ status: 400, body: { error: 'Email field required' } });
    for (const bad of [
      {},
      { marketingConsentEnabled: 'yes' },
      { marketingConsentEnabled: false, extra: 1 },
      [true],
      null,
    ]) {
      expect((await control(sb, '/account', 'PUT', bad)).status).toBe(400);
    }
    expect(sb.account).toEqual({ marketingConsentEnabled: true });
  });

  it('PUT /catalog replaces the channels served; an invalid catalog is refused with 400', async () => {
    const replacement = generateCatalog({ channels: 1, videosPerChannel: 4, seed: 'other' });
    expect(await control(sb, '/catalog', 'PUT', replacement)).toMatchObject({
      status: 200,
      body: { ok: true, channels: 1 },
    });
    expect((await call(sb, 'catalog', { clientId }, await login(sb))).body.catalog).toEqual(
      replacement
    );
    for (const bad of [
      { catalog: replacement },
      [{ title: 'no id' }],
      [{ idChannel: 'x', video: [{ title: 'no id' }] }],
      [replacement[0], replacement[0]],
    ]) {
      expect((await control(sb, '/catalog', 'PUT', bad)).status).toBe(400);
    }
    expect(sb.catalog).toEqual(replacement);
  });

  it('POST /reset brings customers, tokens, faults, requests and the catalog back to the start', async () => {
    const initial = sb.catalog;
    const token = await login(sb);
    await call(
      sb,
      'contentAccessAuthorization',
      { clientId, userId: 'u1', products: [{ productId: initial[0].idChannel, price: 10 }] },
      token
    );
    sb.setCatalog(initial.slice(1));
    sb.inject({ endpoint: 'login', status: 500 });
    sb.setAccount({ marketingConsentEnabled: true });
    expect((await control(sb, '/reset', 'POST')).status).toBe(200);
    expect(sb.account).toEqual({ marketingConsentEnabled: false });
    expect(sb.count()).toBe(0);
    expect(sb.customer('u1')).toBeUndefined();
    expect(sb.catalog).toEqual(initial);
    expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(401);
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);
  });

  it('GET /player/:videoId plays with a valid video token for that video, else 401', async () => {
    const token = await login(sb);
    const [first, second] = sb.catalog;
    const key = (
      await call(
        sb,
        'contentAccessAuthorization',
        { clientId, userId: 'p', products: [{ productId: first.idChannel, price: 1 }] },
        token
      )
    ).body.token;
    const videoId = first.video[0].videoId;
    const videoToken = (
      await call(sb, 'videoAccess', { clientId, userId: 'p', videoId, userAccessKey: key }, token)
    ).body.tokenAuthVideo as string;
    const player = (id: string, query: string) =>
      fetch(`http://127.0.0.1:${sb.port}/__sandbox/player/${encodeURIComponent(id)}${query}`);

    const playing = await player(videoId, `?token=${encodeURIComponent(videoToken)}`);
    expect(playing.status).toBe(200);
    expect(playing.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await playing.text()).toContain(`playing ${videoId}`);
    expect((await player(second.video[0].videoId, `?token=${videoToken}`)).status).toBe(401);
    expect((await player(videoId, `?token=${videoToken}x`)).status).toBe(401);
    expect((await player(videoId, `?token=${key as string}`)).status).toBe(401);
    expect((await player(videoId, '')).status).toBe(401);
    expect(sb.count('videoAccess')).toBe(1);
  });

  it('answers 404 for an unknown control path and 405 for a wrong method', async () => {
    expect((await control(sb, '/nothing')).status).toBe(404);
    expect((await control(sb, '/reset')).status).toBe(405);
    expect((await control(sb, '/health', 'POST')).status).toBe(405);
  });
});
