/**
 * `npm run bench:public`: the largest response and the slowest request an anonymous visitor can
 * cause on the mirrored catalog — 2,000 channels × 50 videos (BENCH_CHANNELS, BENCH_VIDEOS), the
 * playground with GraphQL on, SQLite — on a site that grants Public the mirrored types' read
 * actions (as earlier versions did by default). Each of the worst requests known is sent once, in
 * turn, and its status, size and time printed. The server runs with a capped heap
 * (BENCH_SERVER_HEAP_MB, 1024) so an unbounded request fails there rather than taking the machine;
 * a request that does not answer within BENCH_REQUEST_TIMEOUT_SECONDS (60) ends the run.
 */
import path from 'node:path';
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR, buildPlugin, ms, removeDatabase, startProcess, stopProcess, tempDatabase } from './lib';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2000);
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 50);
const HEAP_MB = Number(process.env.BENCH_SERVER_HEAP_MB ?? 1024);
const TIMEOUT_MS = Number(process.env.BENCH_REQUEST_TIMEOUT_SECONDS ?? 60) * 1000;
const SANDBOX_PORT = 4900 + Math.floor(Math.random() * 100);
const PORT = 5200 + Math.floor(Math.random() * 100);
const ENTRY_ACTIONS = { channel: ['find', 'findOne'], video: ['find', 'findOne'] };

interface Probe {
  name: string;
  /** A GET path, or a GraphQL query. */
  rest?: string;
  graphql?: string;
}

const DEEP = (levels: number) => {
  const chain = Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? 'videos' : 'channel'));
  return `${chain.map((key) => `[${key}][populate]`).join('').replace(/\[populate\]$/, '')}=true`;
};

const PROBES: Probe[] = [
  { name: 'REST plugin catalog, largest page', rest: '/api/osteocom/channels?pageSize=100' },
  { name: 'REST entries, 100 channels with their videos', rest: '/api/osteocom/entries/channels?populate=videos&pagination[pageSize]=100' },
  { name: 'REST entries, pageSize=-1 populate=*', rest: '/api/osteocom/entries/channels?populate=*&pagination[pageSize]=-1' },
  { name: 'REST entries, videos limit=-1', rest: '/api/osteocom/entries/videos?pagination[limit]=-1' },
  { name: 'REST entries, filter on videos (1 relation), LIKE', rest: '/api/osteocom/entries/channels?filters[videos][title][$containsi]=a&populate=videos&pagination[pageSize]=100' },
  { name: 'REST entries, sort by videos.title (1 relation)', rest: '/api/osteocom/entries/channels?sort=videos.title:desc&populate=videos&pagination[pageSize]=100' },
  { name: 'REST entries, filter across 3 relations', rest: '/api/osteocom/entries/channels?filters[videos][channel][videos][title][$contains]=a' },
  { name: 'REST entries, populate 3 levels', rest: `/api/osteocom/entries/channels?populate${DEEP(3)}` },
  { name: 'GraphQL channels limit:-1 with videos limit:-1', graphql: '{ osteocomChannels(pagination: { limit: -1 }) { title videos(pagination: { limit: -1 }) { videoId title duration } } }' },
  { name: 'GraphQL videos limit:-1', graphql: '{ osteocomVideos(pagination: { limit: -1 }) { videoId title duration } }' },
  { name: 'GraphQL channels filtered on videos (1 relation)', graphql: '{ osteocomChannels(filters: { videos: { title: { containsi: "a" } } }, pagination: { limit: -1 }) { title videos(pagination: { limit: -1 }) { title } } }' },
  { name: 'GraphQL 4 levels (channel back-link)', graphql: '{ osteocomChannels(pagination: { limit: -1 }) { videos(pagination: { limit: -1 }) { channel { videos(pagination: { limit: -1 }) { title } } } } }' },
  { name: 'REST entries, populate 7 levels', rest: `/api/osteocom/entries/channels?populate${DEEP(7)}` },
];

const call = async (base: string, url: string, init: RequestInit = {}, token?: string) => {
  const res = await fetch(`${base}${url}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
};

type PermissionTree = Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }>;

/** Admin login, a sync, and Public granted the entry routes through the Users & Permissions admin API. */
const seed = async (base: string) => {
  const login = await call(base, '/admin/login', { method: 'POST', body: JSON.stringify({ email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' }) });
  const admin = (login.data as { token: string }).token;
  const run = (await call(base, '/osteocom/sync?wait=true', { method: 'POST' }, admin)) as { data: { status: string; errorCode?: string } };
  if (run.data.status !== 'succeeded') throw new Error(`sync ${run.data.status}: ${run.data.errorCode ?? ''}`);
  const { roles } = (await call(base, '/users-permissions/roles', {}, admin)) as { roles: { id: number; type: string }[] };
  const publicRole = roles.find((r) => r.type === 'public')!;
  const { role } = (await call(base, `/users-permissions/roles/${publicRole.id}`, {}, admin)) as { role: { name: string; description: string; type: string; permissions: PermissionTree } };
  for (const [controller, actions] of Object.entries(ENTRY_ACTIONS)) {
    for (const action of actions) role.permissions['plugin::osteocom'].controllers[controller][action].enabled = true;
  }
  await call(base, `/users-permissions/roles/${publicRole.id}`, { method: 'PUT', body: JSON.stringify(role) }, admin);
  return run.data as { status: string; created?: number };
};

interface Measured {
  probe: string;
  status: number | string;
  bytes: number;
  ms: number;
  code?: string;
}

const measure = async (base: string, probe: Probe): Promise<Measured> => {
  const init: RequestInit = probe.graphql
    ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: probe.graphql }) }
    : { method: 'GET' };
  const started = performance.now();
  try {
    const res = await fetch(`${base}${probe.graphql ? '/graphql' : probe.rest}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    const elapsed = performance.now() - started;
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
    return { probe: probe.name, status: res.status, bytes: Buffer.byteLength(text), ms: elapsed, code };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return { probe: probe.name, status: timedOut ? `no answer in ${TIMEOUT_MS / 1000} s` : `failed: ${(error as Error).message}`, bytes: 0, ms: performance.now() - started };
  }
};

const main = async () => {
  buildPlugin();
  await compileStrapi({ appDir: APP_DIR });
  const sandbox = await startProcess(
    'node',
    [path.join('dist', 'sandbox', 'cli.js')],
    { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_CHANNELS: String(CHANNELS), SANDBOX_VIDEOS: String(VIDEOS) },
    /Osteocom sandbox at/
  );
  const database = tempDatabase();
  const results: Measured[] = [];
  let server;
  try {
    server = await startProcess(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, '-r', '@swc-node/register', path.join(__dirname, 'serve.ts')],
      {
        NODE_ENV: 'production', PORT: String(PORT), HOST: '127.0.0.1', DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: database, PLAYGROUND_GRAPHQL: 'true',
        OSTEOCOM_BASE_URL: `http://127.0.0.1:${SANDBOX_PORT}/sv6`, OSTEOCOM_CLIENT_ID: 'sandbox-client', OSTEOCOM_CLIENT_SECRET: 'sandbox-secret',
        // The catalog reply of 100,000 videos takes longer than the default timeout to stream on a busy machine.
        PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify({ sync: { onStartup: false, enabled: false }, http: { timeoutMs: 120_000 } }),
      },
      /BENCH SERVER READY/
    );
    const base = `http://127.0.0.1:${PORT}`;
    const run = await seed(base);
    console.log(`synced: ${run.status}, ${run.created ?? '?'} rows created`);
    for (const probe of PROBES) {
      const measured = await measure(base, probe);
      results.push(measured);
      console.log(`${measured.probe}: ${measured.status} ${measured.bytes} B ${ms(measured.ms)}`);
      if (typeof measured.status === 'string') break;
    }
  } finally {
    if (server) await stopProcess(server);
    await stopProcess(sandbox);
    removeDatabase(database);
  }
  console.log(`\nPublic reads — ${CHANNELS} channels × ${VIDEOS} videos, SQLite, anonymous, one request at a time\n`);
  console.table(results.map((r) => ({ request: r.probe, status: r.status, code: r.code ?? '', bytes: r.bytes, ms: Math.round(r.ms) })));
  const answered = results.filter((r) => typeof r.status === 'number');
  const largest = answered.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slowest = answered.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(`largest response: ${largest.bytes} B (${largest.probe}); slowest answered request: ${ms(slowest.ms)} (${slowest.probe})`);
  const unanswered = results.filter((r) => typeof r.status === 'string');
  if (unanswered.length) console.log(`unanswered: ${unanswered.map((r) => `${r.probe} (${r.status})`).join('; ')}`);
  if (results.length < PROBES.length) console.log(`not sent (server busy): ${PROBES.slice(results.length).map((p) => p.name).join('; ')}`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
