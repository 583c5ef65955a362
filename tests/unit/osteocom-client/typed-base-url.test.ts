import { createTransport } from '../../../server/src/services/osteocom-client/transport';
import { FAST_HTTP, destroyClients, makeClient, recordingLogger, rejectionOf, startSandbox, type Sandbox } from './harness';

/** A base URL typed in the admin is called only when it names a public https host. */
describe('an admin-typed base URL at call time', () => {
  let sb: Sandbox;
  let url: string;
  let port: string;

  beforeAll(async () => {
    ({ sb, url } = await startSandbox());
    port = new URL(url).port;
  });
  afterAll(() => sb.close());
  afterEach(() => {
    destroyClients();
    sb.clearRequests();
  });

  it('calls the local sandbox when the operator configured it (the control)', async () => {
    const { client } = makeClient(url);
    await expect(client.testConnection()).resolves.toMatchObject({ ok: true });
    expect(sb.count('login')).toBe(1);
  });

  it.each([
    ['the same http:// loopback URL', () => url],
    ['https:// on a name that resolves to loopback', () => `https://localhost:${port}/sv6`],
    ['https:// on a loopback address', () => `https://127.0.0.1:${port}/sv6`],
  ])('refuses %s with 503 BASE_URL_NOT_ALLOWED, before any request', async (_what, typed) => {
    const { client } = makeClient(url, { connection: { baseUrl: typed(), baseUrlTyped: true } });
    for (const call of [() => client.testConnection(), () => client.getCatalog()]) {
      const error = await rejectionOf(call());
      expect([error.code, error.status]).toEqual(['BASE_URL_NOT_ALLOWED', 503]);
    }
    expect(sb.count()).toBe(0);
  });

  it('has the socket check every address it connects to, so a name rebound after the checks gets no connection', async () => {
    const transport = createTransport(() => ({ ...FAST_HTTP, maxAttempts: 1 }), recordingLogger().log);
    try {
      // A name (IP literals skip DNS), as a rebound name would arrive at connect time.
      const login = `http://localhost:${port}/sv6/contentLicensing_login`;
      const body = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
      const refused = await rejectionOf(transport.post('login', login, body, { guarded: true }));
      expect(refused).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { endpoint: 'login', attempts: 1 } });
      expect(refused.message).toContain('(BASE_URL_NOT_ALLOWED)');
      expect(sb.count()).toBe(0);
      // The operator's path: the same request is made.
      await expect(transport.post('login', login, body)).resolves.toMatchObject({ status: 200 });
      expect(sb.count('login')).toBe(1);
    } finally {
      transport.destroy();
    }
  });
});
