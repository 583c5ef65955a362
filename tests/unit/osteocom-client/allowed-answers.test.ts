import { destroyClients, elapsed, makeClient, rejectionOf, startSandbox, statuses, type Sandbox } from './harness';

/**
 * Answers the API reference allows that the client once mistook for failures (issue "Production
 * money path", finding 6): optional fields left out, 200 without the documented body, Retry-After
 * longer than a call may wait, and a 4xx page from a proxy in front of Osteocom.
 */
let sb: Sandbox;
let url: string;

beforeAll(async () => {
  ({ sb, url } = await startSandbox());
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.clearRequests();
  sb.clearFaults();
});
afterEach(destroyClients);

const purchase = (userId: string) => ({ userId, products: [{ productId: sb.catalog[0].idChannel, price: sb.catalog[0].price }] });

describe('optional fields', () => {
  it('videoAccess without expiresIn: the token, with expiresIn left undefined for the caller to default', async () => {
    const { client } = makeClient(url);
    const { accessKey } = await client.authorizeContentAccess(purchase('no-expiry'));
    sb.inject({ endpoint: 'videoAccess', omit: ['expiresIn'] });
    const result = await client.getVideoAccess({ userId: 'no-expiry', videoId: sb.catalog[0].video[0].videoId, userAccessKey: accessKey });
    expect(result).toEqual({ token: expect.any(String), expiresIn: undefined });
    expect(sb.verifyVideoToken(result.token)).toMatchObject({ userId: 'no-expiry' });
  });
});

describe('200 without the documented body', () => {
  it('an authorization answered 200 {}: UPSTREAM_PROTOCOL_ERROR naming the missing token, not retried', async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'contentAccessAuthorization', omit: ['*'] });
    const error = await rejectionOf(client.authorizeContentAccess(purchase('empty-200')));
    expect(error).toMatchObject({
      code: 'UPSTREAM_PROTOCOL_ERROR',
      status: 502,
      message: 'Osteocom answered the contentAccessAuthorization call with HTTP 200 but without token.',
      details: { endpoint: 'contentAccessAuthorization', upstreamStatus: 200, fields: ['token'] },
    });
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([200]);
  });

  it('a revocation answered 200 {}: UPSTREAM_PROTOCOL_ERROR naming both missing fields', async () => {
    const { client } = makeClient(url);
    await client.authorizeContentAccess(purchase('empty-revoke'));
    sb.inject({ endpoint: 'revocateActivation', json: {} });
    const error = await rejectionOf(client.revokeActivation({ userId: 'empty-revoke', channelId: sb.catalog[0].idChannel }));
    expect(error).toMatchObject({ code: 'UPSTREAM_PROTOCOL_ERROR', details: { fields: ['userId', 'cancellationDate'] } });
  });

  it('a token of the wrong type is still UPSTREAM_INVALID_RESPONSE', async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'contentAccessAuthorization', json: { token: 42 } });
    expect(await rejectionOf(client.authorizeContentAccess(purchase('wrong-type')))).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE' });
  });
});

describe('Retry-After', () => {
  it('120 s (longer than a call may pause): no retry sooner, the advice is passed on for the outbox', async () => {
    const { client } = makeClient(url, { http: { maxAttempts: 3, backoffMaxMs: 500 } });
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 429, retryAfter: 120, times: 3 });
    const { error, ms } = await elapsed(() => client.authorizeContentAccess(purchase('told-to-wait')));
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterSeconds: 120,
      details: { attempts: 1, upstreamStatus: 429, upstreamRetryAfterSeconds: 120 },
    });
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([429]);
    expect(ms).toBeLessThan(5_000);
  });

  it('as an HTTP date, bounded by http.retryAfterMaxSeconds', async () => {
    const { client } = makeClient(url, { http: { retryAfterMaxSeconds: 60 } });
    sb.inject({ endpoint: 'revocateActivation', status: 503, retryAfter: new Date(Date.now() + 3_600_000).toUTCString() });
    const error = await rejectionOf(client.revokeActivation({ userId: 'nobody', channelId: sb.catalog[0].idChannel }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 60, details: { upstreamStatus: 503, upstreamRetryAfterSeconds: 60 } });
    expect(sb.count('revocateActivation')).toBe(1);
  });

  it('within what a call may pause: waited in full, then retried', async () => {
    const { client } = makeClient(url, { http: { backoffMaxMs: 2_000 } });
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 503, retryAfter: 1 });
    const { value, ms } = await elapsed(() => client.authorizeContentAccess(purchase('short-wait')));
    expect(value).toEqual({ accessKey: expect.any(String) });
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([503, 200]);
  });
});

describe('a 4xx that is not Osteocom speaking', () => {
  it("a proxy's HTML 403 is retried, and the purchase goes through once Osteocom answers", async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 403, body: '<html><body>403 Forbidden</body></html>' });
    const { accessKey } = await client.authorizeContentAccess(purchase('behind-proxy'));
    expect(accessKey).toBe(sb.customer('behind-proxy')?.accessKey);
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([403, 200]);
  });

  it('HTML 403 on every attempt: UPSTREAM_UNAVAILABLE (transient), never UPSTREAM_REJECTED', async () => {
    const { client } = makeClient(url, { http: { maxAttempts: 2 } });
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 403, body: '<html>Forbidden</html>', times: 2 });
    const error = await rejectionOf(client.authorizeContentAccess(purchase('proxy-down')));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, details: { attempts: 2, upstreamStatus: 403 } });
  });

  it('a 401 without a JSON body is an expired bearer: the client logs in again and the call goes through', async () => {
    const { client } = makeClient(url);
    await client.authorizeContentAccess(purchase('html-401'));
    sb.clearRequests();
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 401, body: '<html>Unauthorized</html>' });
    await client.authorizeContentAccess(purchase('html-401'));
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([401, 200]);
    expect(statuses(sb, 'login')).toEqual([200]);
  });

  it("Osteocom's own JSON 403 is still its final answer", async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 403, json: { error: 'Malformed email' } });
    expect(await rejectionOf(client.authorizeContentAccess(purchase('json-403')))).toMatchObject({ code: 'INVALID_EMAIL' });
    expect(statuses(sb, 'contentAccessAuthorization')).toEqual([403]);
  });
});
