/**
 * `npm run bench:scale`: the hot routes, the sales report and the outbox on tables of a grown site
 * (100,000 videos, 200,000 customers, 1,000,000 entitlements and their report ledger; filled with
 * direct inserts) beside the same on empty tables, in one run, with the large / small ratio of
 * each; then the members export of every entitlement, timed, with the server's resident memory
 * sampled while it streams. SQLite by default, `BENCH_DATABASE=postgres` for PostgreSQL on
 * 127.0.0.1:5432; `BENCH_SCALE=0.1` for a tenth of the customers (a quicker run).
 */
import { compileStrapi } from '@strapi/strapi';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/src';
import { benchDatabase, type BenchDatabase } from './database';
import { APP_DIR, buildPlugin, stopProcess } from './lib';
import type { FillRequest, OutboxRequest } from './scale-server';

/** Seconds of requests per figure; the two sides take turns request by request. */
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 20);
const VIDEOS_PER_CHANNEL = 50;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const LARGE = { channels: 2_000, customers: Math.round(200_000 * SCALE), entitlementsPerCustomer: 5 };
/** The same channel size on both sides, so a channel's reply is the same size. */
const SMALL = { channels: 4, customers: 0, entitlementsPerCustomer: 0 };
const RATE_LIMIT = { max: 10_000_000, windowSeconds: 60 };

type Size = typeof LARGE;

interface Figures {
  tokenHit: number;
  tokenMiss: number;
  me: number;
  channel: number;
  report: number;
  reportChannels: number;
  reportAfterSale: number;
  reportFirstView: number;
  outbox: number;
}

/** One members export, timed, with the server's resident memory before it and at its peak. */
interface ExportFigures {
  ms: number;
  rows: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

/** One timed operation: an HTTP request, or an outbox pass asked of the server over IPC. */
type Probe = () => Promise<number>;

/** A bench server that answers IPC requests (fill, outbox passes). */
const startServer = (port: number, database: BenchDatabase, sandboxUrl: string, pluginConfig: object) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'scale-server.ts')], {
      env: {
        ...process.env,
        ...database.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        OSTEOCOM_BASE_URL: sandboxUrl,
        OSTEOCOM_CLIENT_ID: 'sandbox-client',
        OSTEOCOM_CLIENT_SECRET: 'sandbox-secret',
        PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify({
          sync: { onStartup: false, enabled: false },
          // The bench times outbox passes itself; the cron stays out of the way.
          outbox: { cron: '0 0 1 1 *' },
          http: { timeoutMs: 120_000 },
          videoToken: { rateLimit: RATE_LIMIT },
          ...pluginConfig,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    let ready = false;
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready || !/BENCH SERVER READY/.test(output)) return;
      ready = true;
      // The report's backfill at boot logs what it wrote.
      for (const line of output.split('\n').filter((text) => /\[osteocom\] report/.test(text))) progress(line.trim());
      resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}:\n${output.slice(-2000)}`)));
  });

const ask = (child: ChildProcess, request: FillRequest | OutboxRequest) =>
  new Promise<number>((resolve, reject) => {
    child.once('message', (reply: { ok: boolean; value?: number; error?: string }) =>
      reply.ok ? resolve(reply.value ?? 0) : reject(new Error(reply.error))
    );
    child.send(request);
  });

const json = async (res: Response) => {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ data: { token: string }; jwt: string; user: { documentId: string } }>;
};

const post = (url: string, body: object, token?: string) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

const progress = (message: string) => process.stderr.write(`[bench:scale] ${message}\n`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The latency of one request. */
const timed =
  ({ url, method = 'GET', headers, body }: { url: string; method?: string; headers?: Record<string, string>; body?: string }): Probe =>
  async () => {
    const started = performance.now();
    const res = await fetch(url, { method, headers, body });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now() - started;
  };

type Probes = Record<keyof Figures, Probe>;

/** One side of the comparison: a database filled to `size`, served, and a probe per figure. */
/** A process's resident memory now, in MB (Linux). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** The members export of every entitlement, read to its end, while the server's RSS is sampled every 50 ms. */
const exportOnce = async (url: string, token: string, pid: number): Promise<ExportFigures> => {
  const rssBeforeMb = rssMb(pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb(pid))), 50);
  const started = performance.now();
  try {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    let rows = -1;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (const byte of chunk) if (byte === 10) rows += 1;
    }
    return { ms: performance.now() - started, rows, rssBeforeMb, rssPeakMb };
  } finally {
    clearInterval(sampler);
  }
};

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
/** More periods than a server keeps rankings of (RANKINGS_KEPT, 32), taken in turn: each is ranked afresh. */
const FRESH_PERIODS = 64;

const prepare = async (
  label: string,
  size: Size,
  port: number
): Promise<{ probes: Probes; exportAll(): Promise<ExportFigures>; close(): Promise<void> }> => {
  const sandbox: Sandbox = createSandbox({ catalog: { channels: size.channels, videosPerChannel: VIDEOS_PER_CHANNEL } });
  const { url } = await sandbox.listen(0, '127.0.0.1');
  const database = await benchDatabase(label);
  const servers: ChildProcess[] = [];
  const close = async () => {
    for (const server of servers) await stopProcess(server);
    await sandbox.close();
    await database.drop();
  };
  try {
    // A first server syncs and fills, then stops: the servers measured start afresh on the
    // grown database, as a site's would, without the bench's own fill in their heap.
    const setup = await startServer(port, database, url, {});
    servers.push(setup);
    const base = `http://127.0.0.1:${port}`;
    const login = async () => (await json(await post(`${base}/admin/login`, { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' }))).data.token;
    progress(`${label}: syncing ${size.channels * VIDEOS_PER_CHANNEL} videos`);
    await json(await post(`${base}/osteocom/sync?wait=true`, {}, await login()));
    const channels = sandbox.catalog.map((channel) => channel.idChannel);
    if (size.customers) {
      progress(`${label}: filling ${size.customers} customers, ${size.customers * size.entitlementsPerCustomer} entitlements`);
      const filling = performance.now();
      await ask(setup, { type: 'fill', customers: size.customers, entitlementsPerCustomer: size.entitlementsPerCustomer, channels });
      progress(`${label}: filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
    }
    await stopProcess(setup);

    // Its bootstrap fills the report's ledger and tallies from the rows filled, as an upgraded site's does.
    const booting = performance.now();
    const hits = await startServer(port, database, url, {});
    progress(`${label}: server started (with the report's backfill) in ${((performance.now() - booting) / 1000).toFixed(1)} s`);
    servers.push(hits);
    // The customer measured is the last one added, holding one channel.
    const stamp = `${label}${Date.now()}`;
    const user = await json(await post(`${base}/api/auth/local/register`, { username: stamp, email: `${stamp}@example.com`, password: 'Bench-Password-1' }));
    const channel = sandbox.catalog[sandbox.catalog.length - 1];
    await json(await post(`${base}/osteocom/authorizations`, { userId: user.user.documentId, products: [{ productId: channel.idChannel }] }, await login()));
    const auth = { Authorization: `Bearer ${user.jwt}`, 'Content-Type': 'application/json' };
    const token = { url: `${base}/api/osteocom/video-token`, method: 'POST', headers: auth, body: JSON.stringify({ videoId: channel.video[0].videoId }) };

    // A second server on the same database whose cache margin outlives every token: all misses.
    const misses = await startServer(port + 1, database, url, { videoToken: { rateLimit: RATE_LIMIT, cacheMarginSeconds: 100_000 } });
    servers.push(misses);
    await json(await fetch(token.url, token));
    const adminToken = await login();
    const adminAuth = { Authorization: `Bearer ${adminToken}` };
    const report = timed({ url: `${base}/osteocom/reports?from=${daysAgo(29)}&to=${today()}&interval=day`, headers: adminAuth });
    const access = { userId: user.user.documentId, channelId: channel.idChannel };
    let periods = 0;
    return {
      close,
      exportAll: () => exportOnce(`${base}/osteocom/entitlements/export`, adminToken, hits.pid!),
      probes: {
        tokenHit: timed(token),
        tokenMiss: timed({ ...token, url: `http://127.0.0.1:${port + 1}/api/osteocom/video-token` }),
        me: timed({ url: `${base}/api/osteocom/me`, headers: auth }),
        channel: timed({ url: `${base}/api/osteocom/channels/${encodeURIComponent(channel.idChannel)}` }),
        // The Reports tab's default: the last 30 days by day, viewed again (its ranking kept).
        report,
        // Its channels table's first page (every channel is ranked to page them).
        reportChannels: timed({ url: `${base}/osteocom/reports/channels?from=${daysAgo(29)}&to=${today()}`, headers: adminAuth }),
        // The same after a refund and a purchase (untimed): the ledger before the period's end has
        // changed, so the channels are ranked afresh; the customer ends as they began.
        reportAfterSale: async () => {
          await json(await post(`${base}/osteocom/revocations`, access, adminToken));
          await json(await post(`${base}/osteocom/authorizations`, { userId: access.userId, products: [{ productId: access.channelId }] }, adminToken));
          return report();
        },
        // The same 30 days to a later end each time (the days after today hold nothing): a period
        // this server has no ranking of, read whole, as the first view of the tab each day is.
        reportFirstView: () =>
          timed({ url: `${base}/osteocom/reports?from=${daysAgo(29)}&to=${daysAgo(-1 - (periods++ % FRESH_PERIODS))}&interval=month`, headers: adminAuth })(),
        outbox: () => ask(hits, { type: 'outbox' }),
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
};

const KEYS: (keyof Figures)[] = ['tokenHit', 'tokenMiss', 'me', 'channel', 'report', 'reportChannels', 'reportAfterSale', 'reportFirstView', 'outbox'];

/**
 * Each figure: the two sides take turns, one operation each, for DURATION seconds, so a change in
 * the machine's load weighs on both alike; the median of each side's operations.
 */
const measure = async (small: Probes, large: Probes) => {
  const figures = { small: {} as Figures, large: {} as Figures };
  for (const key of KEYS) {
    progress(`measuring ${key}`);
    const times = { small: [] as number[], large: [] as number[] };
    const end = performance.now() + DURATION * 1000;
    while (performance.now() < end) {
      times.small.push(await small[key]());
      times.large.push(await large[key]());
    }
    figures.small[key] = median(times.small);
    figures.large[key] = median(times.large);
  }
  return figures;
};

const TARGET = 1.3;

const main = async () => {
  buildPlugin();
  await compileStrapi({ appDir: APP_DIR });
  // Clear of PostgreSQL (5432) and MySQL (3306): a server of a side takes port + 1 too.
  const port = 6200 + Math.floor(Math.random() * 300);
  const smallSide = await prepare('small', SMALL, port);
  const largeSide = await prepare('large', LARGE, port + 10).catch(async (error) => {
    await smallSide.close();
    throw error;
  });
  const { small, large, exports } = await (async () => {
    const figures = await measure(smallSide.probes, largeSide.probes);
    progress('exporting every entitlement, small then large');
    return { ...figures, exports: { small: await smallSide.exportAll(), large: await largeSide.exportAll() } };
  })().finally(async () => {
    await smallSide.close();
    await largeSide.close();
  });
  const videos = LARGE.channels * VIDEOS_PER_CHANNEL;
  const entitlements = LARGE.customers * LARGE.entitlementsPerCustomer;
  console.log(
    `\nScale benchmark — ${process.env.BENCH_DATABASE ?? 'sqlite'}, the two sides taking turns one operation at a time for ${DURATION} s per figure; the median latency of each (outbox: a pass with nothing due)`
  );
  console.log(`large: ${videos} videos, ${LARGE.customers} customers, ${entitlements} entitlements; small: ${SMALL.channels * VIDEOS_PER_CHANNEL} videos, 1 customer\n`);
  const rows: Record<string, { small: string; large: string; 'large / small': string; verdict: string }> = {};
  const names: Record<keyof Figures, string> = {
    tokenHit: 'POST /api/osteocom/video-token, cache hit',
    tokenMiss: 'POST /api/osteocom/video-token, cache miss',
    me: 'GET /api/osteocom/me',
    channel: 'GET /api/osteocom/channels/:idChannel',
    report: 'GET /osteocom/reports, 30 days by day, viewed again',
    reportChannels: 'GET /osteocom/reports/channels, 30 days, first page',
    reportAfterSale: 'GET /osteocom/reports, 30 days by day, first view after a sale',
    reportFirstView: 'GET /osteocom/reports, 30 days by month, a period not viewed before',
    outbox: 'one outbox pass',
  };
  for (const key of Object.keys(names) as (keyof Figures)[]) {
    const ratio = large[key] / small[key];
    rows[names[key]] = {
      small: `${small[key].toFixed(2)} ms`,
      large: `${large[key].toFixed(2)} ms`,
      'large / small': `${ratio.toFixed(2)}x`,
      verdict: ratio <= TARGET ? `<= ${TARGET}x` : `above ${TARGET}x`,
    };
  }
  console.table(rows);
  console.log('\nMembers export (GET /osteocom/entitlements/export, every entitlement, streamed), the server\'s resident memory sampled every 50 ms:');
  console.table(
    Object.fromEntries(
      (['small', 'large'] as const).map((side) => [
        side,
        {
          rows: exports[side].rows,
          time: `${(exports[side].ms / 1000).toFixed(1)} s`,
          'RSS before': `${exports[side].rssBeforeMb.toFixed(0)} MB`,
          'RSS peak': `${exports[side].rssPeakMb.toFixed(0)} MB`,
          'peak - before': `${(exports[side].rssPeakMb - exports[side].rssBeforeMb).toFixed(0)} MB`,
        },
      ])
    )
  );
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
