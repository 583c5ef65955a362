/**
 * Issue 18 part 1: the write-only client secret never follows a base URL to another host, and a
 * base URL typed in the admin names a public https host — at save time, before each call and at
 * connect. The operator's config/env may still point at a local http:// endpoint (every other
 * suite runs that way against the sandbox; security-internal.test.ts asserts it).
 */
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { getService } from '../../server/src/utils/get-service';

const SECRET = 'real-secret-2f6c1d9e8a7b';
const CLIENT_ID = 'real-client';
/** Public addresses: accepted without DNS (this machine has none for outside names). */
const PUBLIC_V4 = 'https://93.184.215.14/sv6';
const PUBLIC_V6 = 'https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/sv6';

/** A plain HTTP server on loopback that keeps every request it gets (what an attacker would read). */
const startTrap = async () => {
  const received: { url: string; body: string }[] = [];
  const server = http.createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"x"}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

describe('security: a base URL typed in the admin', () => {
  let app: TestApp;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let token: string;
  const put = (body: object) => app.http.put('/osteocom/settings').set('Authorization', `Bearer ${token}`).send(body);
  const get = () => app.http.get('/osteocom/settings').set('Authorization', `Bearer ${token}`);
  const testConnection = () => app.http.post('/osteocom/settings/test-connection').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    trap = await startTrap();
    // Nothing from the environment: the admin types every connection setting.
    app = await startTestApp({ env: { OSTEOCOM_BASE_URL: undefined, OSTEOCOM_CLIENT_ID: undefined, OSTEOCOM_CLIENT_SECRET: undefined } });
    token = (await createAdmin(app, 'super')).token;
  });

  afterAll(async () => {
    await app?.close();
    await trap?.close();
  });

  afterEach(() => {
    // No test here may make the server talk to the trap or the sandbox.
    expect(trap.received).toEqual([]);
    expect(app.sandbox.count()).toBe(0);
  });

  it('the trap records what reaches it (so the checks on it can fail)', async () => {
    const res = await fetch(`http://127.0.0.1:${trap.port}/sv6/contentLicensing_login`, { method: 'POST', body: '{"probe":true}' });
    expect(res.status).toBe(200);
    expect(trap.received).toEqual([{ url: '/sv6/contentLicensing_login', body: '{"probe":true}' }]);
    trap.received.splice(0);
  });

  it('never sends the stored secret to a host typed after it (the three steps of the issue)', async () => {
    const saved = await put({ clientId: CLIENT_ID, clientSecret: SECRET, baseUrl: 'https://test.osteocom.me/sv6' });
    expect(saved.status).toBe(200);
    expect(saved.body.data.values).toMatchObject({ baseUrl: 'https://test.osteocom.me/sv6', clientSecretSet: true });

    const moved = await put({ baseUrl: `http://127.0.0.1:${trap.port}/sv6` });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details.code).toBe('BASE_URL_NOT_ALLOWED');
    expect(moved.body.error.message).toMatch(/https:\/\/.*config\/plugins\.ts/);
    expect((await get()).body.data.values).toMatchObject({ baseUrl: 'https://test.osteocom.me/sv6', clientSecretSet: true });

    // An allowed host: accepted, and the secret stays behind.
    const elsewhere = await put({ baseUrl: PUBLIC_V4 });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.data.values).toMatchObject({ baseUrl: PUBLIC_V4, clientSecretSet: false });
    expect(elsewhere.body.meta).toEqual({ secretCleared: true });
    const stored = await app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' }).get({});
    expect(stored).toMatchObject({ baseUrl: PUBLIC_V4, clientSecretEncrypted: null });

    const test = await testConnection();
    expect(test.status).toBe(503);
    expect(test.body.error.details.code).toBe('NOT_CONFIGURED');
  });

  it('keeps the secret when the same request sets a new one, or when the host does not change', async () => {
    const both = await put({ baseUrl: null, clientSecret: SECRET });
    expect(both.body.data.values).toMatchObject({ baseUrl: null, clientSecretSet: true });
    expect(both.body.meta).toEqual({ secretCleared: false });
    for (const body of [{ syncTz: 'Europe/Rome' }, { clientId: 'another-client' }, { environment: 'test' }, { baseUrl: null }]) {
      const res = await put(body);
      expect([res.status, res.body.data?.values.clientSecretSet]).toEqual([200, true]);
    }
  });

  it('drops the secret when the environment changes, unless a new one comes along', async () => {
    const production = await put({ environment: 'production' });
    expect(production.body.data.values).toMatchObject({ environment: 'production', clientSecretSet: false });
    const back = await put({ environment: 'test', clientSecret: SECRET });
    expect(back.body.data.values).toMatchObject({ environment: 'test', clientSecretSet: true });
    const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findMany({ where: { action: 'settings.update' }, orderBy: { id: 'asc' } });
    expect(audit.some((row: { details: { secretCleared?: boolean } }) => row.details.secretCleared === true)).toBe(true);
  });

  it.each([
    ['http:// (even to a public address)', 'http://93.184.215.14/sv6'],
    ['loopback', `https://127.0.0.1:${4999}/sv6`],
    ['loopback, written in decimal', 'https://2130706433/sv6'],
    ['a name resolving to loopback', 'https://localhost/sv6'],
    ['IPv6 loopback', 'https://[::1]/sv6'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/sv6'],
    ['unspecified', 'https://0.0.0.0/sv6'],
    ['private 10/8', 'https://10.1.2.3/sv6'],
    ['private 172.16/12', 'https://172.20.0.1/sv6'],
    ['private 192.168/16', 'https://192.168.1.10/sv6'],
    ['carrier-grade NAT', 'https://100.64.0.1/sv6'],
    ['link-local / cloud metadata', 'https://169.254.169.254/latest/meta-data'],
    ['AWS IPv6 metadata', 'https://[fd00:ec2::254]/latest'],
    ['IPv6 link-local', 'https://[fe80::1]/sv6'],
    ['a user name and password', 'https://user:pass@93.184.215.14/sv6'],
    ['a name that does not resolve', 'https://no-such-host.invalid/sv6'],
  ])('refuses %s with 400 BASE_URL_NOT_ALLOWED', async (_what, baseUrl) => {
    const before = (await get()).body.data.values;
    const res = await put({ baseUrl });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ data: null, error: { status: 400, details: { code: 'BASE_URL_NOT_ALLOWED' } } });
    expect(res.body.error.message).toMatch(/^This base URL is not allowed: /);
    expect((await get()).body.data.values).toEqual(before);
  });

  it.each([
    ['a public IPv4 address', PUBLIC_V4],
    ['a public IPv6 address', PUBLIC_V6],
    ["Osteocom's production host", 'https://www.osteocom.me/sv6'],
  ])('accepts %s', async (_what, baseUrl) => {
    const res = await put({ baseUrl, clientSecret: SECRET });
    expect([res.status, res.body.data?.values.baseUrl]).toEqual([200, baseUrl]);
  });

  describe('the player URL template (every viewer’s token goes there)', () => {
    it.each([
      ['http:// (even to a public address)', 'http://93.184.215.14/{videoId}?t={token}'],
      ['loopback', 'https://127.0.0.1/{videoId}?t={token}'],
      ['a name resolving to loopback', 'https://localhost/{videoId}?t={token}'],
      ['a private address', 'https://10.1.2.3/{videoId}?t={token}'],
      ['link-local / cloud metadata', 'https://169.254.169.254/{videoId}?t={token}'],
      ['a user name and password', 'https://user:pass@93.184.215.14/{videoId}?t={token}'],
      ['a name that does not resolve', 'https://no-such-host.invalid/{videoId}?t={token}'],
    ])('refuses %s from the admin with 400 PLAYER_URL_NOT_ALLOWED', async (_what, playerUrlTemplate) => {
      const before = (await get()).body.data.values;
      const res = await put({ playerUrlTemplate });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ data: null, error: { status: 400, details: { code: 'PLAYER_URL_NOT_ALLOWED' } } });
      expect(res.body.error.message).toMatch(/^This player URL is not allowed: .*config\/plugins\.ts/);
      expect((await get()).body.data.values).toEqual(before);
    });

    it('accepts a public https host from the admin, and says the admin set it', async () => {
      const playerUrlTemplate = 'https://93.184.215.14/play/{videoId}?t={token}';
      const res = await put({ playerUrlTemplate });
      expect([res.status, res.body.data?.values.playerUrlTemplate, res.body.data?.sources.playerUrlTemplate]).toEqual([200, playerUrlTemplate, 'admin']);
      expect((await put({ playerUrlTemplate: null })).body.data.sources.playerUrlTemplate).toBe('default');
    });

    it('drops one saved before the rule (http://) on its next use, so no token is pointed there', async () => {
      const store = app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' });
      await store.set({ value: { ...((await store.get({})) as object), playerUrlTemplate: 'http://93.184.215.14/{videoId}?t={token}' } });
      expect((await get()).body.data.values.playerUrlTemplate).toBeNull();
      expect(await store.get({})).toMatchObject({ playerUrlTemplate: null });
    });
  });

  describe('a stored URL that is no longer allowed (saved before this rule, or its name now points inside)', () => {
    const storeSettings = async (baseUrl: string) => {
      const crypto = getService(app.strapi, 'crypto');
      await app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' }).set({
        value: { clientId: CLIENT_ID, clientSecretEncrypted: crypto.encrypt(SECRET), baseUrl },
      });
      await getService(app.strapi, 'settings').get({ fresh: true });
    };

    it.each([
      ['an http:// loopback URL', () => `http://127.0.0.1:${trap.port}/sv6`],
      ['a name that resolves to loopback', () => `https://localhost:${trap.port}/sv6`],
      ['a private address', () => `https://10.0.0.7:${trap.port}/sv6`],
    ])('is refused before any request: %s', async (_what, url) => {
      await storeSettings(url());
      const test = await testConnection();
      expect(test.status).toBe(503);
      expect(test.body.error.details.code).toBe('BASE_URL_NOT_ALLOWED');
      const sync = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${token}`);
      expect(sync.body.data).toMatchObject({ status: 'failed', errorCode: 'BASE_URL_NOT_ALLOWED' });
      expect(JSON.stringify([test.body, sync.body])).not.toContain(SECRET);
    });
  });
});
