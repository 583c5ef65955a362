import { createSandbox, type Sandbox } from '../../../sandbox/src';
import { call, clientId, clientSecret, delay, login, type Answer } from './client';

const credentials = { clientId, clientSecret };
const attemptLogin = (sb: Sandbox, signal?: AbortSignal) =>
  call(sb, 'login', credentials, undefined, signal ? { signal } : {});

/** How long `run` takes, in ms. */
const timed = async (run: () => Promise<unknown>) => {
  const started = Date.now();
  await run();
  return Date.now() - started;
};

describe('sandbox fault injection', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = createSandbox({ catalog: { channels: 2, videosPerChannel: 1 } });
    await sb.listen();
  });
  afterEach(() => sb.close());

  it('fails N times with a status, then answers normally', async () => {
    sb.inject({ endpoint: 'login', status: 503, times: 2 });
    const first = await attemptLogin(sb);
    expect(first).toMatchObject({ status: 503, body: { error: 'Injected fault' } });
    expect((await attemptLogin(sb)).status).toBe(503);
    const third = await attemptLogin(sb);
    expect(third.status).toBe(200);
    expect(third.body.token).toEqual(expect.any(String));
    expect(sb.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('consumes rules in order, per endpoint; "*" matches any endpoint', async () => {
    const token = await login(sb);
    sb.inject({ endpoint: 'catalog', status: 500 });
    sb.inject({ endpoint: '*', status: 502 });
    sb.inject({ endpoint: 'catalog', status: 504 });
    expect((await attemptLogin(sb)).status).toBe(502);
    expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(500);
    expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(504);
    expect((await call(sb, 'catalog', { clientId }, token)).status).toBe(200);
    expect((await attemptLogin(sb)).status).toBe(200);
  });

  it('repeats an Infinity rule until clearFaults()', async () => {
    sb.inject({ endpoint: 'login', status: 500, times: Infinity });
    for (let i = 0; i < 5; i += 1) expect((await attemptLogin(sb)).status).toBe(500);
    sb.clearFaults();
    expect((await attemptLogin(sb)).status).toBe(200);
  });

  it('sends a non-JSON body, or a JSON body of the wrong shape', async () => {
    sb.inject({ endpoint: 'login', status: 502, body: '<html>oops</html>' });
    sb.inject({ endpoint: 'login', json: { nope: true } });
    const html = await attemptLogin(sb);
    expect(html).toMatchObject({ status: 502, text: '<html>oops</html>' });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await attemptLogin(sb)).toMatchObject({ status: 200, body: { nope: true } });
  });

  it('adds a Retry-After header', async () => {
    sb.inject({ endpoint: 'login', status: 429, retryAfter: 7 });
    const limited = await attemptLogin(sb);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await attemptLogin(sb)).headers.get('retry-after')).toBeNull();
  });

  it('delays, then answers normally (or with the fault status)', async () => {
    sb.inject({ endpoint: 'login', latencyMs: 300 });
    let res: Answer | undefined;
    expect(await timed(async () => (res = await attemptLogin(sb)))).toBeGreaterThanOrEqual(290);
    expect(res?.status).toBe(200);
    expect(sb.requests[0].durationMs).toBeGreaterThanOrEqual(290);
    expect(await timed(() => attemptLogin(sb))).toBeLessThan(250);
    sb.inject({ endpoint: 'login', latencyMs: 300, status: 503 });
    expect(await timed(async () => (res = await attemptLogin(sb)))).toBeGreaterThanOrEqual(290);
    expect(res?.status).toBe(503);
  });

  it('adds the latencyMs option to every answer', async () => {
    const slow = createSandbox({ latencyMs: 200 });
    await slow.listen();
    try {
      expect(await timed(() => attemptLogin(slow))).toBeGreaterThanOrEqual(190);
      expect(await timed(() => call(slow, 'catalog', { clientId }))).toBeGreaterThanOrEqual(190);
    } finally {
      await slow.close();
    }
  });

  it('hangs until the client gives up, then answers the next request', async () => {
    sb.inject({ endpoint: 'login', hang: true });
    await expect(attemptLogin(sb, AbortSignal.timeout(200))).rejects.toThrow();
    expect(sb.requests[0]).toMatchObject({ endpoint: 'login', status: 0 });
    expect((await attemptLogin(sb)).status).toBe(200);
  });

  it('resets the connection without answering', async () => {
    sb.inject({ endpoint: 'login', reset: true });
    await expect(attemptLogin(sb)).rejects.toThrow();
    expect(sb.requests[0].status).toBe(0);
    expect((await attemptLogin(sb)).status).toBe(200);
  });
});

describe('sandbox close()', () => {
  it('resolves at once with hung requests, pending delays and idle keep-alive connections', async () => {
    const sb = createSandbox({ catalog: { channels: 1, videosPerChannel: 1 } });
    await sb.listen();
    // An idle keep-alive connection (fetch keeps it for reuse), a hung request and a 10 s delay.
    await attemptLogin(sb);
    sb.inject({ endpoint: 'login', hang: true });
    sb.inject({ endpoint: 'catalog', latencyMs: 10_000 });
    const hung = attemptLogin(sb).then(
      () => 'answered',
      () => 'dropped'
    );
    const delayed = call(sb, 'catalog', { clientId }).then(
      () => 'answered',
      () => 'dropped'
    );
    await delay(100);
    expect(sb.requests.map((r) => r.status)).toEqual([200, 0]);
    // Raced against a timer, so a close() that waits for the connections fails fast instead of timing out.
    expect(
      await Promise.race([sb.close().then(() => 'closed'), delay(500).then(() => 'still open')])
    ).toBe('closed');
    expect(await Promise.all([hung, delayed])).toEqual(['dropped', 'dropped']);
    await expect(attemptLogin(sb)).rejects.toThrow();
  });

  it('resolves when the sandbox never listened, and when called twice', async () => {
    const sb = createSandbox();
    await sb.close();
    await sb.listen();
    await sb.close();
    await sb.close();
  });
});
