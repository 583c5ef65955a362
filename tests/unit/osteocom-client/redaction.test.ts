import { inspect } from 'node:util';
import { isAxiosError } from 'axios';
import { OsteocomError } from '../../../server/src/errors';
import { sanitizeText } from '../../../server/src/services/osteocom-client/errors';
import { destroyClients, makeClient, recordingLogger, startSandbox, type Sandbox } from './harness';

const CLIENT_ID = 'acme-client';
const CLIENT_SECRET = 'S3cr3t-9f8e7d6c5b4a';
const WRONG_SECRET = 'Wr0ng-s3cret-112233';

describe('upstream text sanitising', () => {
  it('removes known secrets, token-like strings and control characters', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(
      sanitizeText(`bad ${CLIENT_SECRET} and ${jwt}\r\n${'a'.repeat(40)} end`, [CLIENT_SECRET])
    ).toBe('bad [redacted] and [redacted] [redacted] end');
    expect(sanitizeText('Unknown product 66d579675f2a0b1cf15e4d3', [])).toBe(
      'Unknown product 66d579675f2a0b1cf15e4d3'
    );
  });
});

describe('no secret in any log line or error', () => {
  let sb: Sandbox;
  let url: string;

  beforeAll(async () => {
    ({ sb, url } = await startSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  });
  afterAll(() => sb.close());
  afterEach(destroyClients);

  it('holds across every kind of call, success and failure', async () => {
    const { log, lines } = recordingLogger();
    const connection = {
      environment: 'test' as const,
      baseUrl: url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    };
    const setup = {
      getConnection: () => connection,
      log,
      http: { timeoutMs: 200, maxAttempts: 2 },
    };
    const { client } = makeClient(url, setup);
    const errors: unknown[] = [];
    const issued: string[] = [];
    const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await call();
      } catch (error) {
        errors.push(error);
        return undefined;
      }
    };
    const lastBearer = () =>
      String(
        sb.requests.filter((r) => r.headers.authorization).at(-1)?.headers.authorization
      ).slice('Bearer '.length);
    const [first, second] = sb.catalog;
    const products = [{ productId: first.idChannel, price: first.price }];

    await attempt(() => client.testConnection());
    await attempt(() => client.getCatalog());
    const granted = await attempt(() =>
      client.authorizeContentAccess({ userId: 'buyer', email: 'buyer@example.com', products })
    );
    const accessKey = granted!.accessKey;
    issued.push(accessKey);
    sb.setAccount({ marketingConsentEnabled: true });
    await attempt(() =>
      client.authorizeContentAccess({ userId: 'nomail', marketingConsent: true, products })
    );
    sb.setAccount({ marketingConsentEnabled: false });
    await attempt(() => client.authorizeContentAccess({ userId: 'bad', email: 'nope', products }));
    const video = await attempt(() =>
      client.getVideoAccess({
        userId: 'buyer',
        videoId: first.video[0].videoId,
        userAccessKey: accessKey,
      })
    );
    issued.push(video!.token);
    await attempt(() =>
      client.getVideoAccess({
        userId: 'buyer',
        videoId: second.video[0].videoId,
        userAccessKey: accessKey,
      })
    );
    await attempt(() =>
      client.getVideoAccess({ userId: 'buyer', videoId: 'missing', userAccessKey: accessKey })
    );
    await attempt(() =>
      client.getVideoAccess({
        userId: 'buyer',
        videoId: first.video[0].videoId,
        userAccessKey: 'forged-access-key-0123456789',
      })
    );
    sb.inject({
      endpoint: 'videoAccess',
      status: 422,
      json: { error: `bad userAccessKey ${accessKey}` },
    });
    await attempt(() =>
      client.getVideoAccess({
        userId: 'buyer',
        videoId: first.video[0].videoId,
        userAccessKey: accessKey,
      })
    );
    sb.inject({
      endpoint: 'catalog',
      status: 409,
      json: { message: `token ${lastBearer()} revoked` },
    });
    await attempt(() => client.getCatalog());
    sb.expireAllTokens();
    await attempt(() => client.getCatalog());
    sb.inject({ endpoint: 'catalog', status: 503, times: 2 });
    await attempt(() => client.getCatalog());
    sb.inject({ endpoint: 'catalog', hang: true, times: 2 });
    await attempt(() => client.getCatalog());
    sb.inject({ endpoint: 'catalog', reset: true });
    await attempt(() => client.getCatalog());
    sb.inject({ endpoint: 'catalog', body: `<html>${CLIENT_SECRET}</html>` });
    await attempt(() => client.getCatalog());
    sb.inject({ endpoint: 'videoAccess', json: { tokenAuthVideo: 42, expiresIn: `${accessKey}` } });
    await attempt(() =>
      client.getVideoAccess({
        userId: 'buyer',
        videoId: first.video[0].videoId,
        userAccessKey: accessKey,
      })
    );
    await attempt(() => client.revokeActivation({ userId: 'buyer', channelId: first.idChannel }));
    sb.inject({
      endpoint: 'login',
      status: 400,
      json: { error: `unknown secret ${CLIENT_SECRET}` },
    });
    await attempt(() => client.testConnection());
    connection.clientSecret = WRONG_SECRET;
    await attempt(() => client.testConnection());
    connection.clientSecret = '';
    await attempt(() => client.getCatalog());
    client.destroy();
    await attempt(() => client.getCatalog());

    for (const request of sb.requests) {
      const authorization = request.headers.authorization;
      if (typeof authorization === 'string') issued.push(authorization.slice('Bearer '.length));
      const body = request.body as { userAccessKey?: string };
      if (body.userAccessKey) issued.push(body.userAccessKey);
    }
    const secrets = [...new Set([CLIENT_SECRET, WRONG_SECRET, ...issued])];
    expect(secrets.length).toBeGreaterThan(6);

    const codes = errors.map((error) => (error as OsteocomError).code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'EMAIL_REQUIRED',
        'INVALID_EMAIL',
        'NOT_AUTHORIZED_UPSTREAM',
        'VIDEO_NOT_FOUND',
        'UPSTREAM_REJECTED',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_INVALID_RESPONSE',
        'UPSTREAM_UNAUTHORIZED',
        'NOT_CONFIGURED',
      ])
    );
    const texts = [
      ...lines.map((line) => `${line.message} ${JSON.stringify(line.meta)}`),
      ...errors.flatMap((error) => {
        expect(error).toBeInstanceOf(OsteocomError);
        expect(isAxiosError(error)).toBe(false);
        expect((error as Error).cause).toBeUndefined();
        const osteocom = error as OsteocomError;
        return [
          osteocom.message,
          String(osteocom.stack),
          JSON.stringify(osteocom),
          inspect(osteocom, { depth: null }),
        ];
      }),
    ];
    expect(lines.length).toBeGreaterThan(20);
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
