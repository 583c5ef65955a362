import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, generateCatalog, loadCatalogFile, type Sandbox } from '../../../sandbox/src';

const login = (sb: Sandbox, signal?: AbortSignal) =>
  fetch(`${sb.url}/contentLicensing_login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }),
    signal,
  });

describe('sandbox: fault injection and control', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = createSandbox();
    await sb.listen();
  });
  afterEach(() => sb.close());

  it('fails N times with a status, then answers normally', async () => {
    sb.inject({ endpoint: 'login', status: 503, times: 2, retryAfter: 7 });
    const first = await login(sb);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await login(sb)).status).toBe(503);
    expect((await login(sb)).status).toBe(200);
  });

  it('sends a non-JSON body or a wrong shape', async () => {
    sb.inject({ endpoint: 'login', body: '<html>oops</html>' });
    sb.inject({ endpoint: 'login', json: { nope: true } });
    expect(await (await login(sb)).text()).toBe('<html>oops</html>');
    expect(await (await login(sb)).json()).toEqual({ nope: true });
  });

  it('adds latency', async () => {
    sb.inject({ endpoint: 'login', latencyMs: 300 });
    const started = Date.now();
    expect((await login(sb)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('hangs until the client gives up, and still closes at once', async () => {
    sb.inject({ endpoint: 'login', hang: true });
    await expect(login(sb, AbortSignal.timeout(200))).rejects.toThrow();
    sb.inject({ endpoint: 'login', hang: true });
    const pending = login(sb).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await sb.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('closed');
    sb = createSandbox();
    await sb.listen();
  });

  it('resets the connection', async () => {
    sb.inject({ endpoint: 'login', reset: true });
    await expect(login(sb)).rejects.toThrow();
    expect((await login(sb)).status).toBe(200);
  });

  it('is driven over HTTP by other processes', async () => {
    const control = (p: string, method = 'GET', body?: unknown) =>
      fetch(`http://127.0.0.1:${sb.port}/__sandbox${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await control('/faults', 'POST', { endpoint: 'login', status: 500, times: null })).status).toBe(200);
    expect((await login(sb)).status).toBe(500);
    expect((await login(sb)).status).toBe(500);
    await control('/faults', 'DELETE');
    expect((await login(sb)).status).toBe(200);
    const recorded = (await (await control('/requests?endpoint=login')).json()) as unknown[];
    expect(recorded).toHaveLength(3);
    await control('/catalog', 'PUT', generateCatalog({ channels: 1, videosPerChannel: 1 }));
    expect(sb.catalog).toHaveLength(1);
    await control('/reset', 'POST');
    expect(sb.count()).toBe(0);
    expect(sb.catalog).toHaveLength(12);
  });
});

describe('sandbox catalog', () => {
  it('is deterministic and generates 100,000 videos quickly', () => {
    expect(generateCatalog({ channels: 5, videosPerChannel: 3 })).toEqual(generateCatalog({ channels: 5, videosPerChannel: 3 }));
    expect(generateCatalog({ channels: 2, videosPerChannel: 1, seed: 'a' })[0].idChannel).not.toBe(generateCatalog({ channels: 2, videosPerChannel: 1, seed: 'b' })[0].idChannel);
    const big = generateCatalog({ channels: 2000, videosPerChannel: 50 });
    expect(big).toHaveLength(2000);
    expect(new Set(big.flatMap((c) => c.video.map((v) => v.videoId))).size).toBe(100_000);
    expect(big[7].idChannel).toMatch(/^[0-9a-f]{24}$/);
  });

  it('loads a catalog file, wrapped or bare', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-'));
    const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
    fs.writeFileSync(path.join(dir, 'wrapped.json'), JSON.stringify({ catalog }));
    fs.writeFileSync(path.join(dir, 'bare.json'), JSON.stringify(catalog));
    expect(loadCatalogFile(path.join(dir, 'wrapped.json'))).toEqual(catalog);
    expect(loadCatalogFile(path.join(dir, 'bare.json'))).toEqual(catalog);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"nope":1}');
    expect(() => loadCatalogFile(path.join(dir, 'bad.json'))).toThrow(/expected/);
    fs.rmSync(dir, { recursive: true });
  });
});
