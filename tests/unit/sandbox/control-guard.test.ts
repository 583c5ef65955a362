import http from 'node:http';
import { CONTROL_TOKEN_HEADER, createSandbox, type Sandbox } from '../../../sandbox/src';
import { call, clientId, clientSecret, control, login } from './client';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request with headers fetch() would not let us forge (Host), as a browser or a rebinding page sends them. */
const raw = (
  sb: Sandbox,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  setHost = true
) =>
  new Promise<Raw>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: sb.port, method, path: `/__sandbox${path}`, headers, setHost },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });

describe("sandbox control API: only the project's own tools drive it", () => {
  let sb: Sandbox;
  let host: string;
  let token: string;
  let bearer: string;
  const json = () => ({ 'Content-Type': 'application/json', [CONTROL_TOKEN_HEADER]: token });

  beforeEach(async () => {
    sb = createSandbox({ catalog: { channels: 2, videosPerChannel: 1 } });
    await sb.listen();
    host = `127.0.0.1:${sb.port}`;
    token = sb.controlToken!;
    // Something worth stealing or wiping: a customer, a bearer and an email in the request log.
    bearer = await login(sb);
    await call(
      sb,
      'contentAccessAuthorization',
      {
        clientId,
        userId: 'victim',
        email: 'victim@example.com',
        products: [{ productId: sb.catalog[0].idChannel, price: 1 }],
      },
      bearer
    );
  });
  afterEach(() => sb.close());

  /** Nothing a refused request could have changed has changed. */
  const unchanged = async () => {
    expect(sb.customer('victim')).toBeDefined();
    expect(sb.count()).toBe(2);
    expect(sb.account).toEqual({ marketingConsentEnabled: false });
    expect((await call(sb, 'catalog', { clientId }, bearer)).status).toBe(200);
    sb.clearRequests();
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);
  };

  it('has a random token per instance, of at least 16 characters', () => {
    const other = createSandbox();
    expect(token).toMatch(/^[\w-]{16,}$/);
    expect(other.controlToken).not.toBe(token);
    expect(createSandbox({ controlToken: 'a-token-of-my-own-choosing' }).controlToken).toBe(
      'a-token-of-my-own-choosing'
    );
    expect(() => createSandbox({ controlToken: 'short' })).toThrow(/at least 16 characters/);
  });

  it('refuses a cross-origin text/plain POST (what any web page can send) and changes nothing', async () => {
    const page = {
      Host: host,
      Origin: 'https://evil.example',
      'Content-Type': 'text/plain;charset=UTF-8',
    };
    for (const [path, body] of [
      ['/reset', ''],
      ['/faults', JSON.stringify({ endpoint: '*', status: 500, times: null })],
      ['/expire-tokens', ''],
      ['/account', JSON.stringify({ marketingConsentEnabled: true })],
    ]) {
      const res = await raw(sb, 'POST', path, page, body);
      expect(res.status).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    // Even with the token, a body that is not declared JSON is refused.
    const typed = await raw(sb, 'POST', '/reset', { ...page, [CONTROL_TOKEN_HEADER]: token });
    expect(typed.status).toBe(415);
    const put = await raw(sb, 'PUT', '/catalog', { ...page, [CONTROL_TOKEN_HEADER]: token }, '[]');
    expect(put.status).toBe(415);
    expect(sb.catalog).toHaveLength(2);
    await unchanged();
  });

  it('grants no CORS preflight, so a page cannot send the token header or a JSON body', async () => {
    const preflight = await raw(sb, 'OPTIONS', '/reset', {
      Host: host,
      Origin: 'https://evil.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': `content-type,${CONTROL_TOKEN_HEADER}`,
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('refuses a foreign Host (DNS rebinding) even with the right token: no log read, nothing reset', async () => {
    for (const foreign of [
      'evil.example',
      `evil.example:${sb.port}`,
      '127.0.0.1.evil.example',
      'localhost.evil.example:80',
      '10.0.0.1',
      '[::2]',
    ]) {
      const read = await raw(sb, 'GET', '/requests', { ...json(), Host: foreign });
      expect(read.status).toBe(403);
      expect(read.text).not.toContain(bearer);
      expect(read.text).not.toContain('victim');
      expect((await raw(sb, 'POST', '/reset', { ...json(), Host: foreign })).status).toBe(403);
    }
    // No Host at all: Node itself refuses an HTTP/1.1 request without one.
    const hostless = await raw(sb, 'GET', '/requests', json(), undefined, false);
    expect(hostless.status).toBe(400);
    expect(hostless.text).not.toContain(bearer);
    await unchanged();
  });

  it('accepts the loopback names, with or without a port', async () => {
    for (const loopback of [
      'localhost',
      `localhost:${sb.port}`,
      host,
      '127.0.0.1',
      `[::1]:${sb.port}`,
      '[::1]',
      `LOCALHOST:${sb.port}`,
    ]) {
      expect((await raw(sb, 'GET', '/health', { ...json(), Host: loopback })).status).toBe(200);
    }
  });

  it('refuses a missing or wrong token with 401 and changes nothing; the request log is not readable without it', async () => {
    const tokenless = await raw(sb, 'GET', '/requests', { Host: host });
    expect(tokenless.status).toBe(401);
    expect(tokenless.text).not.toContain(bearer);
    expect(
      (await raw(sb, 'POST', '/reset', { Host: host, 'Content-Type': 'application/json' })).status
    ).toBe(401);
    for (const headers of [
      { [CONTROL_TOKEN_HEADER]: '' },
      { [CONTROL_TOKEN_HEADER]: `${token}x` },
      { [CONTROL_TOKEN_HEADER]: token.slice(0, -1) },
    ]) {
      const read = await control(sb, '/requests', 'GET', undefined, headers);
      expect(read.status).toBe(401);
      expect(read.text).not.toContain(bearer);
      expect(read.text).not.toContain('victim');
      expect(read.text).not.toContain(clientSecret);
      expect((await control(sb, '/reset', 'POST', undefined, headers)).status).toBe(401);
      expect(
        (await control(sb, '/faults', 'POST', { endpoint: '*', status: 500 }, headers)).status
      ).toBe(401);
      expect(
        (await control(sb, '/account', 'PUT', { marketingConsentEnabled: true }, headers)).status
      ).toBe(401);
      expect((await control(sb, '/requests', 'DELETE', undefined, headers)).status).toBe(401);
    }
    await unchanged();
    // With the token, the log is readable — and holds what the refused callers did not get.
    const read = await control(sb, '/requests');
    expect(read.status).toBe(200);
    expect(read.text).toContain(clientSecret);
  });

  it('does not tell a caller without the token which control paths exist', async () => {
    const nothing = await control(sb, '/nothing', 'GET', undefined, {
      [CONTROL_TOKEN_HEADER]: 'wrong-token-0123456789',
    });
    const real = await control(sb, '/health', 'GET', undefined, {
      [CONTROL_TOKEN_HEADER]: 'wrong-token-0123456789',
    });
    expect([nothing.status, real.status]).toEqual([401, 401]);
  });

  it('serves no control API at all with control: false; the stand-in player is still served', async () => {
    const quiet = createSandbox({ control: false, catalog: { channels: 1, videosPerChannel: 1 } });
    await quiet.listen();
    try {
      expect(quiet.controlToken).toBeUndefined();
      for (const [method, path] of [
        ['GET', '/health'],
        ['GET', '/requests'],
        ['POST', '/reset'],
        ['POST', '/faults'],
      ]) {
        expect(
          (await control(quiet, path, method, method === 'POST' ? {} : undefined)).status
        ).toBe(404);
      }
      const player = await fetch(
        `http://127.0.0.1:${quiet.port}/__sandbox/player/${quiet.catalog[0].video[0].videoId}?token=x`
      );
      expect(player.status).toBe(401);
    } finally {
      await quiet.close();
    }
  });
});
