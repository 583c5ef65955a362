/**
 * `npm run bench:token`: throughput and latency of the video-token route on cache hits, of a
 * trivial authenticated Strapi route (GET /api/users/me, the baseline), and of cache misses
 * against the sandbox — the same server build, loopback only, bounded in time, one run.
 */
import autocannon from 'autocannon';
import { compileStrapi } from '@strapi/strapi';
import path from 'node:path';
import { APP_DIR, buildPlugin, removeDatabase, startProcess, stopProcess, tempDatabase } from './lib';

const SANDBOX_PORT = 4800 + Math.floor(Math.random() * 100);
const SANDBOX_LATENCY_MS = Number(process.env.BENCH_SANDBOX_LATENCY_MS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 8);

interface Seeded {
  jwt: string;
  videoId: string;
}

const json = async (res: Response) => {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ data?: Record<string, unknown>; jwt?: string; user?: { documentId: string } }>;
};

/** Admin login, a sync, an end user who bought the first channel. */
const seed = async (base: string): Promise<Seeded> => {
  const post = (url: string, body: object, token?: string) =>
    fetch(`${base}${url}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const login = await json(await post('/admin/login', { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' }));
  const admin = (login.data as { token: string }).token;
  await json(await post('/osteocom/sync?wait=true', {}, admin));
  const user = await json(await post('/api/auth/local/register', { username: `bench${Date.now()}`, email: `bench${Date.now()}@example.com`, password: 'Bench-Password-1' }));
  const channels = await json(await fetch(`${base}/api/osteocom/channels?pageSize=1`));
  const channel = (channels.data as unknown as { idChannel: string; videos: { videoId: string }[] }[])[0];
  await json(await post('/osteocom/authorizations', { userId: user.user!.documentId, products: [{ productId: channel.idChannel }] }, admin));
  return { jwt: user.jwt!, videoId: channel.videos[0].videoId };
};

const load = (title: string, options: autocannon.Options) =>
  new Promise<{ title: string; rps: number; p50: number; p99: number; errors: number }>((resolve, reject) => {
    autocannon({ duration: DURATION, connections: 10, ...options }, (error, result) => {
      if (error) return reject(error);
      resolve({ title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors });
    });
  });

const startServer = async (port: number, database: string, pluginConfig: object) =>
  startProcess(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'serve.ts')], {
    NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: database,
    OSTEOCOM_BASE_URL: `http://127.0.0.1:${SANDBOX_PORT}/sv6`, OSTEOCOM_CLIENT_ID: 'sandbox-client', OSTEOCOM_CLIENT_SECRET: 'sandbox-secret',
    PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify({ sync: { onStartup: false, enabled: false }, ...pluginConfig }),
  }, /BENCH SERVER READY/);

const main = async () => {
  buildPlugin();
  await compileStrapi({ appDir: APP_DIR });
  const sandbox = await startProcess('node', [path.join('dist', 'sandbox', 'cli.js')], { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_LATENCY_MS: String(SANDBOX_LATENCY_MS) }, /Osteocom sandbox at/);
  const database = tempDatabase();
  const rateLimit = { max: 10_000_000, windowSeconds: 60 };
  const results = [];
  try {
    const port = 5100 + Math.floor(Math.random() * 100);
    const cached = await startServer(port, database, { videoToken: { rateLimit } });
    const base = `http://127.0.0.1:${port}`;
    const { jwt, videoId } = await seed(base);
    const auth = { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' };
    const tokenRequest = { url: `${base}/api/osteocom/video-token`, method: 'POST' as const, headers: auth, body: JSON.stringify({ videoId }) };
    await fetch(tokenRequest.url, tokenRequest);
    results.push(await load('baseline: GET /api/users/me', { url: `${base}/api/users/me`, headers: auth }));
    results.push(await load('video-token, cache hit', tokenRequest));
    results.push(await load('baseline, 1 connection', { url: `${base}/api/users/me`, headers: auth, connections: 1 }));
    await stopProcess(cached);

    // Same database, a margin longer than the token's life: every request misses the cache.
    const missing = await startServer(port, database, { videoToken: { rateLimit, cacheMarginSeconds: 100_000 } });
    results.push(await load('video-token, cache miss (1 connection)', { ...tokenRequest, connections: 1 }));
    await stopProcess(missing);
  } finally {
    await stopProcess(sandbox);
    removeDatabase(database);
  }
  console.log(`\nVideo-token benchmark — ${DURATION} s per scenario, 10 connections (misses: 1), sandbox latency ${SANDBOX_LATENCY_MS} ms, SQLite\n`);
  console.table(results.map((r) => ({ scenario: r.title, 'req/s': Math.round(r.rps), 'p50 ms': r.p50, 'p99 ms': r.p99, 'non-2xx/errors': r.errors })));
  const [baseline, hit, single, miss] = results;
  console.log(`cache-hit throughput / baseline: ${(hit.rps / baseline.rps).toFixed(2)}x (target >= 0.8x)`);
  console.log(`cache-miss p50: ${miss.p50} ms vs sandbox latency + 5 ms = ${SANDBOX_LATENCY_MS + 5} ms`);
  console.log(`cache-miss p50 beyond the sandbox and Strapi's own authenticated-route latency (1 connection): ${miss.p50 - SANDBOX_LATENCY_MS - single.p50} ms`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
