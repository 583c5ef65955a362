import { backoffDelayMs, parseRetryAfter } from '../../../server/src/services/osteocom-client/transport';
import {
  destroyClients,
  elapsed,
  makeClient,
  rejectionOf,
  startSandbox,
  statuses,
  waitFor,
  type Sandbox,
} from './harness';

describe('backoff', () => {
  const policy = { maxAttempts: 5, backoffBaseMs: 100, backoffMaxMs: 1_000 };

  it('draws a full-jitter delay below an exponential ceiling, capped', () => {
    expect(backoffDelayMs(policy, 1, undefined, () => 0.999)).toBe(100);
    expect(backoffDelayMs(policy, 3, undefined, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 10, undefined, () => 0.999)).toBe(999);
    expect(backoffDelayMs(policy, 2, undefined, () => 0)).toBe(0);
  });

  it('waits a Retry-After in full (the transport gives up instead when it is over the cap)', () => {
    expect(backoffDelayMs(policy, 1, 0.5)).toBe(500);
    expect(backoffDelayMs(policy, 1, 120)).toBe(120_000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('resilience against the sandbox', () => {
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

  /** A client already holding a bearer, so only the call under test reaches the sandbox. */
  const loggedIn = async (setup: Parameters<typeof makeClient>[1] = {}) => {
    const made = makeClient(url, setup);
    await made.client.testConnection();
    sb.clearRequests();
    made.lines.length = 0;
    return made;
  };

  it('503 twice, then success: succeeds on the third attempt, warning on each retry', async () => {
    const { client, lines } = await loggedIn();
    sb.inject({ endpoint: 'catalog', status: 503, times: 2 });
    await expect(client.getCatalog()).resolves.toHaveLength(sb.catalog.length);
    expect(statuses(sb, 'catalog')).toEqual([503, 503, 200]);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.meta)).toEqual([
      expect.objectContaining({ endpoint: 'catalog', attempt: 1, reason: 'HTTP 503' }),
      expect.objectContaining({ endpoint: 'catalog', attempt: 2, reason: 'HTTP 503' }),
    ]);
    expect(lines.filter((line) => line.level === 'debug').map((line) => line.meta)).toEqual([
      { endpoint: 'catalog', status: 503, attempt: 1, durationMs: expect.any(Number) },
      { endpoint: 'catalog', status: 503, attempt: 2, durationMs: expect.any(Number) },
      { endpoint: 'catalog', status: 200, attempt: 3, durationMs: expect.any(Number) },
    ]);
  });

  it('5xx on every attempt: UPSTREAM_UNAVAILABLE with attempts, status and retry advice', async () => {
    const { client } = await loggedIn();
    sb.inject({ endpoint: 'catalog', status: 500, times: 3 });
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      status: 503,
      retryAfterSeconds: 30,
    });
    expect(error.details).toEqual({ endpoint: 'catalog', attempts: 3, upstreamStatus: 500, code: 'UPSTREAM_UNAVAILABLE' });
    expect(sb.count('catalog')).toBe(3);
  });

  it('429 with Retry-After: waits as told before the next attempt', async () => {
    const { client } = await loggedIn({ http: { backoffMaxMs: 5_000 } });
    sb.inject({ endpoint: 'catalog', status: 429, retryAfter: 1 });
    const { value, ms } = await elapsed(() => client.getCatalog());
    expect(value).toHaveLength(sb.catalog.length);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(statuses(sb, 'catalog')).toEqual([429, 200]);
  });

  it('429 with a Retry-After longer than backoffMaxMs: no retry sooner than told, the advice passed on', async () => {
    const { client } = await loggedIn({ http: { maxAttempts: 2, backoffMaxMs: 100 } });
    sb.inject({ endpoint: 'catalog', status: 429, retryAfter: 120, times: 2 });
    const { error, ms } = await elapsed(() => client.getCatalog());
    expect(ms).toBeLessThan(1_000);
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterSeconds: 120,
      details: { attempts: 1, upstreamStatus: 429, upstreamRetryAfterSeconds: 120 },
    });
  });

  it('a hung upstream: UPSTREAM_UNAVAILABLE within timeoutMs × maxAttempts plus backoff', async () => {
    const { client } = await loggedIn({ http: { timeoutMs: 200, maxAttempts: 2 } });
    sb.inject({ endpoint: 'catalog', hang: true, times: 2 });
    const { error, ms } = await elapsed(() => client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterSeconds: 30,
      details: { endpoint: 'catalog', attempts: 2 },
    });
    expect((error as Error).message).toContain('timeout');
    expect(ms).toBeGreaterThanOrEqual(380);
    expect(ms).toBeLessThan(1_500);
  });

  it('a connection reset is retried', async () => {
    const { client, lines } = await loggedIn();
    sb.inject({ endpoint: 'catalog', reset: true });
    await expect(client.getCatalog()).resolves.toHaveLength(sb.catalog.length);
    expect(sb.count('catalog')).toBe(2);
    expect(lines.find((line) => line.level === 'warn')?.meta).toMatchObject({
      reason: 'ECONNRESET',
    });
    expect(lines.find((line) => line.level === 'debug')?.meta).toEqual({
      endpoint: 'catalog',
      reason: 'ECONNRESET',
      attempt: 1,
      durationMs: expect.any(Number),
    });
  });

  it('a refused connection is retried, then UPSTREAM_UNAVAILABLE', async () => {
    const gone = await startSandbox();
    await gone.sb.close();
    const { client } = makeClient(gone.url);
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { endpoint: 'login', attempts: 3 },
    });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a body that is not JSON: UPSTREAM_INVALID_RESPONSE, not retried', async () => {
    const { client } = await loggedIn();
    sb.inject({ endpoint: 'catalog', body: '<html>Gateway page</html>' });
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      status: 502,
      details: { endpoint: 'catalog', upstreamStatus: 200 },
    });
    expect(error.message).toBe('Osteocom answered the catalog call with a body that is not JSON.');
    expect(sb.count('catalog')).toBe(1);
  });

  it('JSON of the wrong shape: UPSTREAM_INVALID_RESPONSE naming the field, never its value', async () => {
    const { client } = await loggedIn();
    const catalog = structuredClone(sb.catalog) as unknown as Record<string, unknown>[];
    (catalog[3].video as Record<string, unknown>[])[0].duration = 'forty-five minutes';
    sb.inject({ endpoint: 'catalog', json: { catalog } });
    const error = await rejectionOf(client.getCatalog());
    expect(error.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(error.message).toContain('catalog.3.video.0.duration: expected number');
    expect(error.details.fields).toEqual(['catalog.3.video.0.duration']);
    expect(JSON.stringify(error)).not.toContain('forty-five');
  });

  it('validates every reply: a price as a string, a missing token, a date that is not one', async () => {
    const { client } = await loggedIn();
    const channel = sb.catalog[0];
    sb.inject({
      endpoint: 'catalog',
      json: { catalog: [{ idChannel: 'x', title: 'T', price: '100' }] },
    });
    expect((await rejectionOf(client.getCatalog())).message).toContain(
      'catalog.0.price: expected number'
    );
    sb.inject({ endpoint: 'contentAccessAuthorization', json: { accessToken: 'renamed' } });
    const products = [{ productId: channel.idChannel, price: 1 }];
    expect(
      (await rejectionOf(client.authorizeContentAccess({ userId: 'u', products }))).message
    ).toContain('HTTP 200 but without token');
    sb.inject({
      endpoint: 'revocateActivation',
      json: { userId: 'u', cancellationDate: 'someday' },
    });
    expect(
      (await rejectionOf(client.revokeActivation({ userId: 'u', channelId: channel.idChannel })))
        .message
    ).toContain('cancellationDate: must be a date');
  });

  it('normalises nulls and fills defaults in an otherwise valid catalog', async () => {
    const { client } = await loggedIn();
    sb.inject({
      endpoint: 'catalog',
      json: {
        catalog: [
          {
            idChannel: 'c1',
            title: 'T',
            price: 0,
            cover: null,
            subtitle: '',
            authors: null,
            extra: 'dropped',
            video: [{ videoId: 'v1', title: 'V', duration: 60, videoQuality: null }],
          },
        ],
      },
    });
    await expect(client.getCatalog()).resolves.toEqual([
      {
        idChannel: 'c1',
        title: 'T',
        price: 0,
        authors: [],
        video: [{ videoId: 'v1', title: 'V', duration: 60 }],
      },
    ]);
  });

  it('destroy() aborts a hung call at once; later calls reject without HTTP', async () => {
    const { client } = await loggedIn({ http: { timeoutMs: 10_000 } });
    sb.inject({ endpoint: 'catalog', hang: true });
    const started = Date.now();
    const pending = rejectionOf(client.getCatalog());
    await waitFor(() => sb.count('catalog') === 1);
    client.destroy();
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { endpoint: 'catalog' } });
    expect(error.message).toContain('client is shut down');
    const later = await rejectionOf(client.getCatalog());
    expect(later.message).toContain('client is shut down');
    expect(sb.count()).toBe(1);
  });

  it('destroy() cuts a backoff short', async () => {
    const { client } = await loggedIn({ http: { backoffMaxMs: 10_000 } });
    sb.inject({ endpoint: 'catalog', status: 503, retryAfter: 10 });
    const started = Date.now();
    const pending = rejectionOf(client.getCatalog());
    await waitFor(() => sb.count('catalog') === 1);
    client.destroy();
    expect((await pending).message).toContain('client is shut down');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sb.count('catalog')).toBe(1);
  });
});
