import {
  refreshDueAt,
  jwtExpiry,
  BearerTokenCache,
} from '../../../server/src/services/osteocom-client/bearer-token';
import {
  delay,
  destroyClients,
  makeClient,
  rejectionOf,
  startSandbox,
  statuses,
  type Sandbox,
} from './harness';

const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const POLICY = { refreshMarginSeconds: 60, fallbackTtlSeconds: 300 };

describe('bearer expiry', () => {
  const now = 1_700_000_000_000;

  it('reads exp without verifying, and nothing from a token that is not a JWT', () => {
    expect(jwtExpiry(jwt({ exp: 1_700_000_600 }))).toBe(1_700_000_600);
    expect(jwtExpiry(jwt({ exp: 'soon' }))).toBeUndefined();
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.%%%.c')).toBeUndefined();
  });

  it('refreshes refreshMarginSeconds before exp', () => {
    expect(refreshDueAt(jwt({ exp: now / 1000 + 3600 }), now, POLICY)).toBe(now + 3540_000);
  });

  it('keeps a token without a readable or future exp for fallbackTtlSeconds', () => {
    expect(refreshDueAt('opaque-token', now, POLICY)).toBe(now + 240_000);
    expect(refreshDueAt(jwt({ exp: now / 1000 - 10 }), now, POLICY)).toBe(now + 240_000);
    expect(
      refreshDueAt('opaque-token', now, { refreshMarginSeconds: 0, fallbackTtlSeconds: 300 })
    ).toBe(now + 300_000);
  });

  it('uses a token shorter-lived than the margin for half its life', () => {
    expect(refreshDueAt(jwt({ exp: now / 1000 + 30 }), now, POLICY)).toBe(now + 15_000);
  });

  it('does not let a login superseded by clear() repopulate the cache', async () => {
    const cache = new BearerTokenCache(() => POLICY, Date.now);
    let finish!: (token: string) => void;
    const pending = cache.get('identity', () => new Promise((resolve) => (finish = resolve)));
    cache.clear();
    finish('stale');
    await expect(pending).resolves.toBe('stale');
    await expect(cache.get('identity', async () => 'fresh')).resolves.toBe('fresh');
  });
});

describe('bearer token against the sandbox', () => {
  let sb: Sandbox;
  let url: string;

  beforeAll(async () => {
    ({ sb, url } = await startSandbox({ catalog: { channels: 2, videosPerChannel: 1 } }));
  });
  afterAll(() => sb.close());
  beforeEach(() => {
    sb.clearRequests();
    sb.clearFaults();
  });
  afterEach(destroyClients);

  /** Counts of logins and calls assume no attempt times out: on a loaded machine 2 s is not enough for 200 at once. */
  const PATIENT = { http: { timeoutMs: 30_000 } };

  it('200 concurrent calls with a cold cache share exactly one login', async () => {
    const { client } = makeClient(url, PATIENT);
    const results = await Promise.all(Array.from({ length: 200 }, () => client.getCatalog()));
    expect(results.every((catalog) => catalog.length === 2)).toBe(true);
    expect(sb.count('login')).toBe(1);
    expect(sb.count('catalog')).toBe(200);
    expect(
      new Set(
        sb.requests.filter((r) => r.endpoint === 'catalog').map((r) => r.headers.authorization)
      ).size
    ).toBe(1);
  });

  it('after the upstream expires every token, one call re-logs in once and succeeds', async () => {
    const { client } = makeClient(url, PATIENT);
    await client.getCatalog();
    sb.expireAllTokens();
    await expect(client.getCatalog()).resolves.toHaveLength(2);
    expect(sb.count('login')).toBe(2);
    expect(statuses(sb, 'catalog')).toEqual([200, 401, 200]);
  });

  it('after the upstream expires every token, 50 concurrent calls still cause a single re-login', async () => {
    const { client } = makeClient(url, PATIENT);
    await client.testConnection();
    sb.expireAllTokens();
    await Promise.all(Array.from({ length: 50 }, () => client.getCatalog()));
    expect(sb.count('login')).toBe(2);
  });

  it('refreshes a short-lived bearer before it expires, so Osteocom never answers 401', async () => {
    const short = await startSandbox({
      catalog: { channels: 1, videosPerChannel: 1 },
      bearerTtlSeconds: 2,
    });
    try {
      const { client } = makeClient(short.url, { token: { refreshMarginSeconds: 1 } });
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        await client.getCatalog();
        await delay(100);
      }
      expect(statuses(short.sb, 'catalog').every((status) => status === 200)).toBe(true);
      expect(short.sb.count('login')).toBeGreaterThanOrEqual(2);
      expect(short.sb.count('login')).toBeLessThan(short.sb.count('catalog'));
    } finally {
      await short.sb.close();
    }
  });

  it('a failed login fails every waiter, and the next call logs in again', async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'login', status: 401 });
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => rejectionOf(client.getCatalog()))
    );
    expect(errors.every((error) => error.code === 'UPSTREAM_UNAUTHORIZED')).toBe(true);
    expect(sb.count('login')).toBe(1);
    await expect(client.getCatalog()).resolves.toHaveLength(2);
    expect(sb.count('login')).toBe(2);
  });

  it('testConnection() forces a fresh bearer, which later calls then use', async () => {
    const { client } = makeClient(url);
    await client.getCatalog();
    await client.testConnection();
    await client.getCatalog();
    expect(sb.count('login')).toBe(2);
    const [before, after] = sb.requests.filter((r) => r.endpoint === 'catalog').map((r) => r.headers.authorization);
    expect(after).not.toBe(before);
  });
});
