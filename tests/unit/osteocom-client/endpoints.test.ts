import { DEFAULT_BASE_URLS, resolveBaseUrl } from '../../../server/src/services/osteocom-client/transport';
import {
  destroyClients,
  makeClient,
  rejectionOf,
  startSandbox,
  statuses,
  type Sandbox,
} from './harness';

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

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const BEARER = /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/;

const requestsTo = (endpoint: Parameters<Sandbox['count']>[0]) =>
  sb.requests.filter((request) => request.endpoint === endpoint);

describe('base URL', () => {
  it('maps the environment to the documented base URL, and an explicit one wins', () => {
    expect(resolveBaseUrl('test')).toBe('https://test.osteocom.me/sv6');
    expect(resolveBaseUrl('production')).toBe('https://www.osteocom.me/sv6');
    expect(DEFAULT_BASE_URLS).toEqual({
      test: 'https://test.osteocom.me/sv6',
      production: 'https://www.osteocom.me/sv6',
    });
    expect(resolveBaseUrl('production', 'http://localhost:4010/sv6/')).toBe(
      'http://localhost:4010/sv6'
    );
    expect(resolveBaseUrl('test', '  ')).toBe('https://test.osteocom.me/sv6');
  });
});

describe('login', () => {
  it('200: sends exactly the credentials, without a bearer, and caches the token', async () => {
    const { client } = makeClient(url);
    await client.testConnection();
    await client.getCatalog();
    expect(sb.count('login')).toBe(1);
    const [login] = requestsTo('login');
    expect(login.path).toBe('/sv6/contentLicensing_login');
    expect(login.body).toEqual({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' });
    expect(login.headers).toMatchObject(JSON_HEADERS);
    expect(login.headers.authorization).toBeUndefined();
  });

  it('401: UPSTREAM_UNAUTHORIZED, not retried, without the secret in the error', async () => {
    const { client } = makeClient(url, { connection: { clientSecret: 'wrong-secret-value' } });
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAUTHORIZED',
      status: 502,
      details: { endpoint: 'login', upstreamStatus: 401 },
    });
    expect(error.message).toMatch(/rejected the client credentials/);
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect(sb.count('login')).toBe(1);
    expect(sb.count('catalog')).toBe(0);
  });

  it('testConnection logs in afresh every time and reports the environment and latency', async () => {
    const { client } = makeClient(url);
    const result = await client.testConnection();
    expect(result).toEqual({
      ok: true,
      environment: 'test',
      baseUrl: url,
      latencyMs: expect.any(Number),
    });
    await client.testConnection();
    expect(sb.count('login')).toBe(2);
  });

  it('NOT_CONFIGURED without a client ID or secret, before any HTTP call', async () => {
    const noSecret = makeClient(url, { connection: { clientSecret: undefined } }).client;
    const blankId = makeClient(url, { connection: { clientId: '  ' } }).client;
    for (const error of [
      await rejectionOf(noSecret.getCatalog()),
      await rejectionOf(noSecret.testConnection()),
      await rejectionOf(blankId.revokeActivation({ userId: 'u', channelId: 'c' })),
    ]) {
      expect(error).toMatchObject({ code: 'NOT_CONFIGURED', status: 503 });
    }
    expect(sb.count()).toBe(0);
  });

  it('drops the cached bearer when the base URL or credentials change', async () => {
    const other = await startSandbox();
    try {
      const connection = {
        environment: 'test' as const,
        baseUrl: url,
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
      };
      const { client } = makeClient(url, { getConnection: () => ({ ...connection }) });
      await client.getCatalog();
      await client.getCatalog();
      expect(sb.count('login')).toBe(1);
      connection.baseUrl = other.url;
      await client.getCatalog();
      expect(other.sb.count('login')).toBe(1);
      expect(other.sb.count('catalog')).toBe(1);
      connection.clientSecret = 'rotated-secret';
      await expect(client.getCatalog()).rejects.toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED' });
      expect(other.sb.count('catalog')).toBe(1);
    } finally {
      await other.sb.close();
    }
  });
});

describe('catalog', () => {
  it('200: returns the validated channels, sending clientId and the bearer', async () => {
    const { client } = makeClient(url);
    const catalog = await client.getCatalog();
    expect(catalog).toHaveLength(sb.catalog.length);
    expect(catalog[0]).toEqual(sb.catalog[0]);
    const [request] = requestsTo('catalog');
    expect(request.path).toBe('/sv6/contentLicensing_catalog');
    expect(request.body).toEqual({ clientId: 'sandbox-client' });
    expect(request.headers).toMatchObject(JSON_HEADERS);
    expect(request.headers.authorization).toMatch(BEARER);
  });

  it('reuses one bearer across calls', async () => {
    const { client } = makeClient(url);
    await client.getCatalog();
    await client.getCatalog();
    expect(sb.count('login')).toBe(1);
    const [a, b] = requestsTo('catalog');
    expect(a.headers.authorization).toBe(b.headers.authorization);
  });

  it('401 (expired bearer): one re-login and one retry, then success', async () => {
    const { client } = makeClient(url);
    await client.testConnection();
    sb.expireAllTokens();
    await expect(client.getCatalog()).resolves.toHaveLength(sb.catalog.length);
    expect(statuses(sb, 'catalog')).toEqual([401, 200]);
    expect(sb.count('login')).toBe(2);
    const [refused, accepted] = requestsTo('catalog');
    expect(accepted.headers.authorization).not.toBe(refused.headers.authorization);
  });

  it('401 after the re-login: UPSTREAM_UNAUTHORIZED, with exactly one re-login', async () => {
    const { client } = makeClient(url);
    await client.testConnection();
    sb.inject({ endpoint: 'catalog', status: 401, times: 2 });
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAUTHORIZED',
      details: { endpoint: 'catalog', upstreamStatus: 401 },
    });
    expect(sb.count('catalog')).toBe(2);
    expect(sb.count('login')).toBe(2);
  });

  it('another 4xx: UPSTREAM_REJECTED with the status and the short upstream message', async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'catalog', status: 422, json: { error: 'Account\nsuspended' } });
    const error = await rejectionOf(client.getCatalog());
    expect(error).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      status: 502,
      details: { endpoint: 'catalog', upstreamStatus: 422, upstreamMessage: 'Account suspended' },
    });
    expect(error.message).toBe('Osteocom refused the catalog call (HTTP 422): Account suspended.');
    expect(sb.count('catalog')).toBe(1);
  });

  it('leaves out an upstream message that is long or not a string', async () => {
    const { client } = makeClient(url);
    sb.inject({ endpoint: 'catalog', status: 409, json: { message: 'x'.repeat(201) } });
    sb.inject({ endpoint: 'catalog', status: 409, json: { error: { nested: true } } });
    for (let i = 0; i < 2; i += 1) {
      const error = await rejectionOf(client.getCatalog());
      expect(error.details).toEqual({ endpoint: 'catalog', upstreamStatus: 409, code: 'UPSTREAM_REJECTED' });
    }
  });
});

describe('content access authorization', () => {
  const channel = () => sb.catalog[0];

  it('200: returns the access key and sends exactly the documented body', async () => {
    const { client } = makeClient(url);
    const params = {
      userId: 'user-a',
      email: 'a@example.com',
      marketingConsent: true,
      name: 'Ada',
      surname: 'Lovelace',
      products: [{ productId: channel().idChannel, price: channel().price }],
    };
    const { accessKey } = await client.authorizeContentAccess(params);
    expect(accessKey).toBe(sb.customer('user-a')?.accessKey);
    const [request] = requestsTo('contentAccessAuthorization');
    expect(request.path).toBe('/sv6/contentLicensing_contentAccessAuthorization');
    expect(request.body).toEqual({ clientId: 'sandbox-client', ...params });
    expect(request.headers).toMatchObject(JSON_HEADERS);
    expect(request.headers.authorization).toMatch(BEARER);
  });

  it('sends no undefined optional fields and no unknown keys', async () => {
    const { client } = makeClient(url);
    const params = {
      userId: 'user-b',
      email: undefined,
      name: undefined,
      products: [{ productId: channel().idChannel, price: 0 }],
      extra: 'x',
    };
    await client.authorizeContentAccess(params);
    expect(requestsTo('contentAccessAuthorization')[0].body).toEqual({
      clientId: 'sandbox-client',
      userId: 'user-b',
      products: [{ productId: channel().idChannel, price: 0 }],
    });
  });

  const refusalOf = (params: { userId: string; email?: string; productId?: string }) => {
    const { client } = makeClient(url);
    const { productId = channel().idChannel, ...customer } = params;
    return rejectionOf(
      client.authorizeContentAccess({ ...customer, products: [{ productId, price: 10 }] })
    );
  };

  it('400 "Email field required" (an account with marketing consent): EMAIL_REQUIRED', async () => {
    sb.setAccount({ marketingConsentEnabled: true });
    try {
      const error = await refusalOf({ userId: 'user-c' });
      expect(error).toMatchObject({
        code: 'EMAIL_REQUIRED',
        status: 400,
        details: {
          endpoint: 'contentAccessAuthorization',
          upstreamStatus: 400,
          upstreamMessage: 'Email field required',
        },
      });
    } finally {
      sb.setAccount({ marketingConsentEnabled: false });
    }
  });

  it('403 "Malformed email": INVALID_EMAIL', async () => {
    const error = await refusalOf({ userId: 'user-d', email: 'not-an-email' });
    expect(error).toMatchObject({
      code: 'INVALID_EMAIL',
      status: 400,
      details: { upstreamStatus: 403, upstreamMessage: 'Malformed email' },
    });
  });

  it('the documented messages are recognised without regard to case or a final full stop', async () => {
    sb.inject({
      endpoint: 'contentAccessAuthorization',
      status: 400,
      json: { error: 'EMAIL FIELD REQUIRED.' },
    });
    sb.inject({
      endpoint: 'contentAccessAuthorization',
      status: 403,
      json: { message: 'Malformed email.' },
    });
    expect((await refusalOf({ userId: 'user-e' })).code).toBe('EMAIL_REQUIRED');
    expect((await refusalOf({ userId: 'user-e' })).code).toBe('INVALID_EMAIL');
  });

  it.each([
    [400, 'Unknown product nope', 'nope'],
    [403, 'Product not enabled for this client', undefined],
    [400, 'Customer blocked', undefined],
    [409, 'Purchase already being processed', undefined],
  ])(
    'any other refusal (%i "%s") is UPSTREAM_REJECTED: 502, quoting Osteocom, sent once',
    async (status, said, productId) => {
      if (!productId)
        sb.inject({ endpoint: 'contentAccessAuthorization', status, json: { error: said } });
      const error = await refusalOf({ userId: 'user-f', email: 'f@example.com', productId });
      expect(error).toMatchObject({
        code: 'UPSTREAM_REJECTED',
        status: 502,
        message: `Osteocom refused the purchase (HTTP ${status}): "${said}".`,
        details: {
          endpoint: 'contentAccessAuthorization',
          upstreamStatus: status,
          upstreamMessage: said,
        },
      });
      expect(statuses(sb, 'contentAccessAuthorization')).toEqual([status]);
    }
  );

  it('a refusal without a readable message is UPSTREAM_REJECTED with the status alone, never an email error', async () => {
    sb.inject({
      endpoint: 'contentAccessAuthorization',
      status: 400,
      json: { detail: 'Bad Request' },
    });
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 403 });
    const html = await refusalOf({ userId: 'user-g' });
    expect(html).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      status: 502,
      message: 'Osteocom refused the purchase (HTTP 400), without saying why.',
      details: { endpoint: 'contentAccessAuthorization', upstreamStatus: 400 },
    });
    expect(html.details).not.toHaveProperty('upstreamMessage');
    const injected = await refusalOf({ userId: 'user-g' });
    expect(injected).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      details: { upstreamStatus: 403, upstreamMessage: 'Injected fault' },
    });
  });
});

describe('video access', () => {
  let accessKey: string;
  const videoOf = (channelIndex: number) => sb.catalog[channelIndex].video[0].videoId;

  beforeEach(async () => {
    const { client } = makeClient(url);
    ({ accessKey } = await client.authorizeContentAccess({
      userId: 'viewer',
      products: [{ productId: sb.catalog[0].idChannel, price: 100 }],
    }));
    sb.clearRequests();
  });

  it('200: returns a token the player accepts, sending exactly the documented body', async () => {
    const { client } = makeClient(url);
    const videoId = videoOf(0);
    const result = await client.getVideoAccess({
      userId: 'viewer',
      videoId,
      userAccessKey: accessKey,
    });
    expect(result).toEqual({ token: expect.any(String), expiresIn: 900 });
    expect(sb.verifyVideoToken(result.token)).toMatchObject({ userId: 'viewer', videoId });
    const [request] = requestsTo('videoAccess');
    expect(request.path).toBe('/sv6/contentLicensing_videoAccess');
    expect(request.body).toEqual({
      clientId: 'sandbox-client',
      userId: 'viewer',
      videoId,
      userAccessKey: accessKey,
    });
    expect(request.headers).toMatchObject(JSON_HEADERS);
    expect(request.headers.authorization).toMatch(BEARER);
  });

  it('401: NOT_AUTHORIZED_UPSTREAM after exactly one re-login and retry', async () => {
    const { client } = makeClient(url);
    const error = await rejectionOf(
      client.getVideoAccess({ userId: 'viewer', videoId: videoOf(1), userAccessKey: accessKey })
    );
    expect(error).toMatchObject({
      code: 'NOT_AUTHORIZED_UPSTREAM',
      status: 403,
      details: { endpoint: 'videoAccess', upstreamStatus: 401 },
    });
    expect(statuses(sb, 'videoAccess')).toEqual([401, 401]);
    expect(sb.count('login')).toBe(2);
  });

  it('404: VIDEO_NOT_FOUND, without a re-login', async () => {
    const { client } = makeClient(url);
    const error = await rejectionOf(
      client.getVideoAccess({
        userId: 'viewer',
        videoId: 'no-such-video',
        userAccessKey: accessKey,
      })
    );
    expect(error).toMatchObject({
      code: 'VIDEO_NOT_FOUND',
      status: 404,
      details: { upstreamStatus: 404 },
    });
    expect(sb.count('videoAccess')).toBe(1);
    expect(sb.count('login')).toBe(1);
  });
});

describe('revocation', () => {
  it('200: returns the cancellation date, sends the documented body, and ends video access', async () => {
    const { client } = makeClient(url);
    const channel = sb.catalog[1];
    const { accessKey } = await client.authorizeContentAccess({
      userId: 'refunded',
      products: [{ productId: channel.idChannel, price: channel.price }],
    });
    const result = await client.revokeActivation({
      userId: 'refunded',
      channelId: channel.idChannel,
    });
    expect(result).toEqual({ userId: 'refunded', cancellationDate: expect.any(String) });
    expect(Number.isNaN(Date.parse(result.cancellationDate))).toBe(false);
    const [request] = requestsTo('revocateActivation');
    expect(request.path).toBe('/sv6/contentLicensing_revocateActivation');
    expect(request.body).toEqual({
      clientId: 'sandbox-client',
      channelId: channel.idChannel,
      userId: 'refunded',
    });
    expect(request.headers).toMatchObject(JSON_HEADERS);
    expect(request.headers.authorization).toMatch(BEARER);
    const refused = await rejectionOf(
      client.getVideoAccess({
        userId: 'refunded',
        videoId: channel.video[0].videoId,
        userAccessKey: accessKey,
      })
    );
    expect(refused.code).toBe('NOT_AUTHORIZED_UPSTREAM');
  });
});
