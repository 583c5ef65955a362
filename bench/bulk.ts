/**
 * `npm run bench:bulk`: a bulk purchase of BENCH_BULK_CUSTOMERS (default 1,000) distinct customers
 * in one request (`POST /osteocom/authorizations/bulk`, 1,000 rows) against the sandbox, on SQLite,
 * with `bulk.concurrency` 1 (one customer after another, as before) and 16 (the default) side by
 * side in one run, each on a fresh database. Prints the times, the rows per second, the time per
 * customer, the ratio and the machine's load average (the figures move with it).
 * `BENCH_SQLITE_JOURNAL_MODE=wal` runs on a database in WAL mode (default: SQLite's rollback journal).
 * Target: 1,000 customers in <= 15 s at the default concurrency.
 */
import { compileStrapi } from '@strapi/strapi';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { APP_DIR, buildPlugin, ms, removeDatabase, startProcess, stopProcess, tempDatabase } from './lib';

const SANDBOX_PORT = 4900 + Math.floor(Math.random() * 100);
const SANDBOX_LATENCY_MS = Number(process.env.BENCH_SANDBOX_LATENCY_MS ?? 20);
const CUSTOMERS = Number(process.env.BENCH_BULK_CUSTOMERS ?? 1_000);
const CONCURRENCIES = (process.env.BENCH_BULK_CONCURRENCY ?? '1,16').split(',').map(Number);
const JOURNAL_MODE = process.env.BENCH_SQLITE_JOURNAL_MODE ?? '';
const load = () => os.loadavg().map((each) => each.toFixed(1)).join(' ');

/** A JSON request with no client timeout (fetch gives up on headers after 300 s; a sequential run of 1,000 customers on a loaded machine may take longer). */
const request = (method: string, url: string, body?: object, token?: string) =>
  new Promise<{ data?: unknown }>((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = http.request(url, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${url}: ${res.statusCode} ${text.slice(0, 500)}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });

const startServer = (port: number, database: string, concurrency: number) =>
  startProcess(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'serve.ts')],
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: database,
      DATABASE_SQLITE_JOURNAL_MODE: JOURNAL_MODE,
      OSTEOCOM_BASE_URL: `http://127.0.0.1:${SANDBOX_PORT}/sv6`,
      OSTEOCOM_CLIENT_ID: 'sandbox-client',
      OSTEOCOM_CLIENT_SECRET: 'sandbox-secret',
      PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify({ sync: { onStartup: false, enabled: false }, bulk: { concurrency } }),
    },
    /BENCH SERVER READY/
  );

/** One run: a fresh database, a sync, then the rows in one request; the time of that request. */
const run = async (concurrency: number, run: number) => {
  const database = tempDatabase();
  const port = 5200 + Math.floor(Math.random() * 100);
  const server = await startServer(port, database, concurrency);
  try {
    const base = `http://127.0.0.1:${port}`;
    const login = (await request('POST', `${base}/admin/login`, { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' })).data as { token: string };
    await request('POST', `${base}/osteocom/sync?wait=true`, {}, login.token);
    const channels = (await request('GET', `${base}/api/osteocom/channels?pageSize=2`)).data as { idChannel: string }[];
    const rows = Array.from({ length: CUSTOMERS }, (_, index) => ({
      userId: `bench-${concurrency}-${run}-${index}`,
      email: `customer${index}@example.com`,
      productId: channels[index % channels.length].idChannel,
    }));
    const started = performance.now();
    const reply = (await request('POST', `${base}/osteocom/authorizations/bulk`, { rows }, login.token)).data as { results: { outcome: string }[] };
    const elapsed = performance.now() - started;
    const active = reply.results.filter((result) => result.outcome === 'active').length;
    if (active !== CUSTOMERS) throw new Error(`concurrency ${concurrency}: ${active} of ${CUSTOMERS} rows active`);
    return elapsed;
  } finally {
    await stopProcess(server);
    removeDatabase(database);
  }
};

const main = async () => {
  buildPlugin();
  await compileStrapi({ appDir: APP_DIR });
  const sandbox = await startProcess('node', [path.join('dist', 'sandbox', 'cli.js')], { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_LATENCY_MS: String(SANDBOX_LATENCY_MS) }, /Osteocom sandbox at/);
  const results: { concurrency: number; ms: number; load: string }[] = [];
  try {
    for (const [index, concurrency] of CONCURRENCIES.entries()) {
      const before = load();
      const elapsed = await run(concurrency, index);
      results.push({ concurrency, ms: elapsed, load: `${before} → ${load()}` });
      // Each figure as soon as it is measured: a sequential run on a loaded machine takes minutes.
      console.log(`bulk.concurrency ${concurrency}: ${ms(elapsed)} for ${CUSTOMERS} customers (load average ${results.at(-1)!.load})`);
    }
  } finally {
    await stopProcess(sandbox);
  }
  const journal = JOURNAL_MODE ? `journal_mode ${JOURNAL_MODE}` : 'default rollback journal';
  console.log(`\nBulk purchase benchmark — ${CUSTOMERS} distinct customers in one request, sandbox latency ${SANDBOX_LATENCY_MS} ms, SQLite (${journal}), ${os.cpus().length} cores\n`);
  console.table(
    results.map((r) => ({
      'bulk.concurrency': r.concurrency,
      time: ms(r.ms),
      'customers/s': Math.round((CUSTOMERS * 1000) / r.ms),
      'ms/customer': (r.ms / CUSTOMERS).toFixed(1),
      'load average (1, 5, 15 min) before → after': r.load,
    }))
  );
  const sequential = results.find((r) => r.concurrency === 1);
  for (const r of results.filter((each) => each.concurrency !== 1)) {
    if (sequential) console.log(`concurrency ${r.concurrency} vs 1: ${(sequential.ms / r.ms).toFixed(2)}x faster`);
    console.log(`concurrency ${r.concurrency}: ${(r.ms / 1000).toFixed(1)} s for ${CUSTOMERS} customers (target <= ${((15 * CUSTOMERS) / 1000).toFixed(1)} s)`);
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
