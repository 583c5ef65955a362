import { createSandbox, type Sandbox } from '../../../sandbox/src';
import { call, clientId, clientSecret, control, delay, login, type Answer } from './client';

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

  it('adds a Retry-After header as an HTTP date', async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    sb.inject({ endpoint: 'login', status: 503, retryAfter: date });
    const limited = await attemptLogin(sb);
    expect(limited.status).toBe(503);
    expect(limited.headers.get('retry-after')).toBe(date);
  });

  it('omits optional fields from the real answer, which is still applied', async () => {
    const token = await login(sb);
    const purchase = { clientId, userId: 'omitted', products: [{ productId: sb.catalog[0].idChannel, price: 1 }] };
    sb.inject({ endpoint: 'contentAccessAuthorization', omit: ['*'] });
    expect(await call(sb, 'contentAccessAuthorization', purchase, token)).toMatchObject({ status: 200, text: '{}' });
    expect(sb.customer('omitted')?.activations[sb.catalog[0].idChannel]).toBeDefined();
    const accessKey = (await call(sb, 'contentAccessAuthorization', purchase, token)).body.token;
    const video = { clientId, userId: 'omitted', videoId: sb.catalog[0].video[0].videoId, userAccessKey: accessKey };
    sb.inject({ endpoint: 'videoAccess', omit: ['expiresIn'] });
    const played = await call(sb, 'videoAccess', video, token);
    expect(played.status).toBe(200);
    expect(Object.keys(played.body)).toEqual(['tokenAuthVideo']);
    expect(Object.keys((await call(sb, 'videoAccess', video, token)).body).sort()).toEqual(['expiresIn', 'tokenAuthVideo']);
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

describe('sandbox faults for crossing answers: latencyPhase and match', () => {
  let sb: Sandbox;
  let token: string;
  const channelId = () => sb.catalog[0].idChannel;
  const authorize = (userId: string) =>
    call(
      sb,
      'contentAccessAuthorization',
      { clientId, userId, products: [{ productId: channelId(), price: 1 }] },
      token
    );
  const revoke = (userId: string) =>
    call(sb, 'revocateActivation', { clientId, userId, channelId: channelId() }, token);
  const active = (userId: string) => {
    const activation = sb.customer(userId)?.activations[channelId()];
    return activation !== undefined && activation.cancellationDate === undefined;
  };
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 2_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await delay(5);
    }
  };
  /** Resolves with `label` when `answer` arrives, to see the order answers come in. */
  const arrival = (order: string[], label: string, answer: Promise<Answer>) =>
    answer.then((res) => (order.push(label), res));

  beforeEach(async () => {
    sb = createSandbox({ catalog: { channels: 1, videosPerChannel: 1 } });
    await sb.listen();
    token = await login(sb);
  });
  afterEach(() => sb.close());

  it("'before' (the default): the request reaches Osteocom late — nothing is applied until the delay is over", async () => {
    for (const rule of [{}, { latencyPhase: 'before' as const }]) {
      const userId = `late-${Object.keys(rule).length}`;
      sb.inject({ endpoint: 'contentAccessAuthorization', latencyMs: 300, ...rule });
      const answer = authorize(userId);
      await delay(150);
      expect(sb.customer(userId)).toBeUndefined();
      expect((await answer).status).toBe(200);
      expect(active(userId)).toBe(true);
    }
    // With a status, a 'before' fault is never applied.
    sb.inject({ endpoint: 'contentAccessAuthorization', status: 503 });
    expect((await authorize('refused')).status).toBe(503);
    expect(sb.customer('refused')).toBeUndefined();
  });

  it("'after': Osteocom applies the request at once and the answer arrives late", async () => {
    sb.inject({ endpoint: 'contentAccessAuthorization', latencyMs: 500, latencyPhase: 'after' });
    let answered = false;
    const answer = authorize('applied').finally(() => (answered = true));
    await until(() => active('applied'));
    expect(answered).toBe(false);
    expect((await answer).status).toBe(200);
    expect(sb.requests.at(-1)!.durationMs).toBeGreaterThanOrEqual(490);
  });

  it("'after' with a status or a hang: applied, but the caller is told it failed or hears nothing", async () => {
    sb.inject({ endpoint: 'contentAccessAuthorization', latencyPhase: 'after', status: 503 });
    expect((await authorize('applied-503')).status).toBe(503);
    expect(active('applied-503')).toBe(true);

    await authorize('refunded');
    sb.inject({ endpoint: 'revocateActivation', latencyPhase: 'after', hang: true });
    await expect(
      call(
        sb,
        'revocateActivation',
        { clientId, userId: 'refunded', channelId: channelId() },
        token,
        {
          signal: AbortSignal.timeout(200),
        }
      )
    ).rejects.toThrow();
    expect(active('refunded')).toBe(false);
    expect(sb.requests.at(-1)).toMatchObject({ endpoint: 'revocateActivation', status: 0 });
  });

  it('answers cross: a late purchase lands after a refund sent later, and a late answer after a later one', async () => {
    await authorize('crossing');
    // The re-purchase reaches Osteocom after the refund sent after it: Osteocom ends active.
    sb.inject({
      endpoint: 'contentAccessAuthorization',
      latencyMs: 300,
      match: { userId: 'crossing' },
    });
    let order: string[] = [];
    const purchase = arrival(order, 'authorize', authorize('crossing'));
    await delay(50);
    await arrival(order, 'revoke', revoke('crossing'));
    await purchase;
    expect(order).toEqual(['revoke', 'authorize']);
    expect(active('crossing')).toBe(true);

    // The refund is applied first but its answer arrives after the re-purchase's: Osteocom ends active too,
    // though the last answer the caller sees is the refund's.
    sb.inject({ endpoint: 'revocateActivation', latencyMs: 300, latencyPhase: 'after' });
    order = [];
    const refund = arrival(order, 'revoke', revoke('crossing'));
    await until(() => !active('crossing'));
    await arrival(order, 'authorize', authorize('crossing'));
    await refund;
    expect(order).toEqual(['authorize', 'revoke']);
    expect(active('crossing')).toBe(true);
  });

  it("match { userId } spoils only that customer's calls, and never a call without a userId", async () => {
    sb.inject({ endpoint: '*', status: 503, match: { userId: 'bob' }, times: 2 });
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);
    expect((await authorize('alice')).status).toBe(200);
    expect((await authorize('bob')).status).toBe(503);
    expect((await revoke('alice')).status).toBe(200);
    expect((await revoke('bob')).status).toBe(503);
    expect((await authorize('bob')).status).toBe(200);
  });

  it('match keeps concurrent customers apart: each delay hits its own customer', async () => {
    sb.inject({
      endpoint: 'contentAccessAuthorization',
      latencyMs: 300,
      match: { userId: 'slow' },
    });
    const order: string[] = [];
    const slow = arrival(order, 'slow', authorize('slow'));
    await delay(20);
    await arrival(order, 'fast', authorize('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  it('the control API takes and checks latencyPhase and match', async () => {
    expect(
      (
        await control(sb, '/faults', 'POST', {
          endpoint: 'revocateActivation',
          latencyPhase: 'after',
          status: 500,
          match: { userId: 'carol' },
        })
      ).status
    ).toBe(200);
    await authorize('carol');
    expect((await revoke('carol')).status).toBe(500);
    expect(active('carol')).toBe(false);
    for (const bad of [
      { latencyPhase: 'during' },
      { match: { userId: 1 } },
      { match: { userId: '' } },
      { match: {} },
      { match: { userId: 'a', videoId: 'v' } },
      { match: 'carol' },
    ]) {
      const res = await control(sb, '/faults', 'POST', { endpoint: 'login', status: 500, ...bad });
      expect(res.status).toBe(400);
    }
    expect((await call(sb, 'login', { clientId, clientSecret })).status).toBe(200);
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
