/**
 * `npm run bench:sync`: a generated catalog of 2,000 channels × 50 videos (100,000 videos) —
 * first sync, no-op re-sync, 1%-changed re-sync, peak RSS with Node's default heap and with a
 * capped one — beside the raw limit, in one run: the same rows inserted in one transaction of
 * prepared statements with better-sqlite3 (PostgreSQL, `BENCH_DATABASE=postgres`: multi-row
 * inserts with pg), into the same tables.
 */
import { compileStrapi, createStrapi, type Core } from '@strapi/strapi';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CONTROL_TOKEN_HEADER, generateCatalog } from '../sandbox/src';
import { APP_DIR, buildPlugin, ms, startProcess, stopProcess } from './lib';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { newDocumentId, chunk } from '../server/src/utils/db';
import { benchDatabase } from './database';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2000);
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 50);
const PORT = 4300 + Math.floor(Math.random() * 500);
/** The sandbox's control token, handed to the worker process in its environment. */
const CONTROL_TOKEN = randomBytes(24).toString('base64url');
const controlHeaders = (token: string) => ({ 'Content-Type': 'application/json', [CONTROL_TOKEN_HEADER]: token });

/** The kernel's record of this process's peak resident memory (VmHWM), in bytes. */
const peakRss = () => {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) * 1024 : process.memoryUsage().rss;
};

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};

interface ReferenceRows {
  channels: unknown[][];
  videos: { values: unknown[]; channel: number; position: number }[];
}

const CHANNEL_COLUMNS = ['document_id', 'id_channel', 'title', 'subtitle', 'html_description', 'price', 'cover', 'background', 'trailer', 'authors', 'availability', 'content_hash', 'created_at', 'updated_at', 'published_at', 'last_synced_at'];
const VIDEO_COLUMNS = ['document_id', 'video_id', 'title', 'duration', 'video_quality', 'channel_key', 'position', 'availability', 'content_hash', 'created_at', 'updated_at', 'published_at'];
const LINK_COLUMNS = ['video_id', 'channel_id', 'video_ord'];

/** The rows the sync writes, made before the clock starts: the reference times the database alone. */
const referenceRows = (): ReferenceRows => {
  const catalog = generateCatalog({ channels: CHANNELS, videosPerChannel: VIDEOS });
  const now = Date.now();
  const hash = 'x'.repeat(40);
  return {
    channels: catalog.map((c) => [newDocumentId(), c.idChannel, c.title, c.subtitle ?? null, c.htmlDescription ?? null, c.price, c.cover ?? null, c.background ?? null, c.trailer ?? null, JSON.stringify(c.authors), 'available', hash, now, now, now, now]),
    videos: catalog.flatMap((c, channel) =>
      c.video.map((v, position) => ({ channel, position, values: [newDocumentId(), v.videoId, v.title, v.duration ?? null, v.videoQuality ?? null, c.idChannel, position, 'available', hash, now, now, now] }))
    ),
  };
};

const emptyCatalogTables = (strapi: Core.Strapi) =>
  strapi.db.connection.transaction(async (trx) => {
    await trx('osteocom_videos_channel_lnk').delete();
    await trx('osteocom_videos').delete();
    await trx('osteocom_channels').delete();
  });

/** The raw limit on SQLite: one transaction of prepared inserts with better-sqlite3, ids from lastInsertRowid. */
const sqliteReference = (file: string, rows: ReferenceRows) => {
  const db = new Database(file);
  try {
    const insert = (table: string, columns: string[]) => db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const [channel, video, link] = [insert('osteocom_channels', CHANNEL_COLUMNS), insert('osteocom_videos', VIDEO_COLUMNS), insert('osteocom_videos_channel_lnk', LINK_COLUMNS)];
    const started = performance.now();
    db.transaction(() => {
      const channelIds = rows.channels.map((values) => channel.run(...values).lastInsertRowid);
      for (const v of rows.videos) link.run(video.run(...v.values).lastInsertRowid, channelIds[v.channel], v.position + 1);
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
};

/** The raw limit on PostgreSQL: one transaction of 1,000-row inserts with pg, ids from RETURNING. */
const postgresReference = async (database: string, rows: ReferenceRows) => {
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
  await client.connect();
  const insert = async (table: string, columns: string[], values: unknown[][], returning = '') => {
    const placeholders = values.map((row, r) => `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(', ')})`).join(', ');
    return client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}${returning}`, values.flat());
  };
  const timestamps = (values: unknown[]) => values.map((value) => (typeof value === 'number' && value > 1e12 ? new Date(value) : value));
  try {
    const started = performance.now();
    await client.query('BEGIN');
    const channelIds: number[] = [];
    for (const part of chunk(rows.channels, 1000)) channelIds.push(...(await insert('osteocom_channels', CHANNEL_COLUMNS, part.map(timestamps), ' RETURNING id')).rows.map((r) => r.id));
    for (const part of chunk(rows.videos, 1000)) {
      const ids = (await insert('osteocom_videos', VIDEO_COLUMNS, part.map((v) => timestamps(v.values)), ' RETURNING id')).rows.map((r) => r.id);
      await insert('osteocom_videos_channel_lnk', LINK_COLUMNS, part.map((v, i) => [ids[i], channelIds[v.channel], v.position + 1]));
    }
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    await client.end();
  }
};

const rawReference = async (strapi: Core.Strapi) => {
  const rows = referenceRows();
  await emptyCatalogTables(strapi);
  const connection = strapi.db.config.connection.connection as { filename?: string; database?: string };
  return strapi.db.dialect.client === 'sqlite' ? sqliteReference(connection.filename!, rows) : postgresReference(connection.database!, rows);
};

/** The parent revises 1% of the sandbox's catalog: made here, 100,000 videos would count in the worker's peak. */
const reviseCatalog = async () => {
  const changed = generateCatalog({ channels: CHANNELS, videosPerChannel: VIDEOS }).map((channel, i) =>
    i % 100 === 0 ? { ...channel, title: `${channel.title} (revised)`, video: channel.video.map((v) => ({ ...v, duration: v.duration + 1 })) } : channel
  );
  const put = await fetch(`http://127.0.0.1:${PORT}/__sandbox/catalog`, { method: 'PUT', headers: controlHeaders(CONTROL_TOKEN), body: JSON.stringify(changed) });
  if (!put.ok) throw new Error(`sandbox refused the changed catalog: ${put.status}`);
};

const askParent = (request: string) =>
  new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send!(request);
  });

/** Runs in its own process, so its peak memory is Strapi's and the plugin's alone. */
const worker = async () => {
  const strapi = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  const sync = strapi.plugin('osteocom').service('catalog-sync') as {
    start(trigger: string, options: { wait: boolean }): Promise<{ status: string; error?: string; created: number; unchanged: number; updated: number; stats: { fetchMs: number; indexMs: number; writeMs: number } }>;
  };
  const run = async () => {
    const outcome = await timed(() => sync.start('manual', { wait: true }));
    if (outcome.result.status !== 'succeeded') throw new Error(`sync ${outcome.result.status}: ${outcome.result.error}`);
    return outcome;
  };
  try {
    const bootRss = process.memoryUsage().rss;
    const first = await run();
    // The median of three: the first no-op also pays for collecting the first sync's garbage.
    const noops = [await run(), await run(), await run()].sort((a, b) => a.ms - b.ms);
    const noop = noops[1];
    await askParent('revise-catalog');
    const onePercent = await run();
    const syncPeak = peakRss();
    const reference = await rawReference(strapi);
    const figures = {
      noopFetch: noop.result.stats.fetchMs, noopIndex: noop.result.stats.indexMs, firstFetch: first.result.stats.fetchMs, firstWrite: first.result.stats.writeMs,
      first: first.ms, noop: noop.ms, onePercent: onePercent.ms, created: first.result.created, unchanged: noop.result.unchanged, updated: onePercent.result.updated, reference, syncPeak, bootRss,
    };
    process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
  } finally {
    await strapi.destroy();
  }
};

const runWorker = (env: Record<string, string>, maxOldSpaceMb?: number) =>
  new Promise<Record<string, number>>((resolve, reject) => {
    const heap = maxOldSpaceMb ? [`--max-old-space-size=${maxOldSpaceMb}`] : [];
    const child = spawn(process.execPath, [...heap, '-r', '@swc-node/register', __filename, '--worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.on('message', () => reviseCatalog().then(() => child.send('done'), reject));
    let output = '';
    child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`benchmark worker exited with ${code}:\n${output.slice(-2000)}`));
    });
  });

type Figures = Record<string, number>;

const main = async () => {
  buildPlugin();
  await compileStrapi({ appDir: APP_DIR });
  const sandbox = await startProcess('node', [path.join('dist', 'sandbox', 'cli.js')], {
    SANDBOX_PORT: String(PORT), SANDBOX_CHANNELS: String(CHANNELS), SANDBOX_VIDEOS: String(VIDEOS), SANDBOX_CONTROL_TOKEN: CONTROL_TOKEN,
  }, /Osteocom sandbox at/);
  try {
    // Node's default heap lets garbage pile up before collecting; a capped heap shows what the sync really needs.
    const byDefault = await measure();
    const capped = await measure(CAPPED_HEAP_MB);
    report(byDefault, capped);
  } finally {
    await stopProcess(sandbox);
  }
};

const CAPPED_HEAP_MB = 256;

const measure = async (maxOldSpaceMb?: number) => {
  const database = await benchDatabase('sync');
  try {
    return await runWorker({
      ...database.env, NODE_ENV: 'test',
      OSTEOCOM_BASE_URL: `http://127.0.0.1:${PORT}/sv6`, OSTEOCOM_CLIENT_ID: 'sandbox-client', OSTEOCOM_CLIENT_SECRET: 'sandbox-secret',
      PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify({ sync: { onStartup: false, enabled: false }, http: { timeoutMs: 60000 } }),
    }, maxOldSpaceMb);
  } finally {
    await fetch(`http://127.0.0.1:${PORT}/__sandbox/reset`, { method: 'POST', headers: controlHeaders(CONTROL_TOKEN) });
    await database.drop();
  }
};

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

const report = (d: Figures, c: Figures) => {
  const kind = process.env.BENCH_DATABASE ?? 'sqlite';
  const raw = kind === 'sqlite' ? 'better-sqlite3 prepared inserts, one transaction' : 'pg 1,000-row inserts, one transaction';
  console.log(`\nCatalog sync benchmark — ${CHANNELS} channels × ${VIDEOS} videos = ${CHANNELS * VIDEOS} videos, ${kind}\n`);
  const row = (time: (f: Figures) => number, rows: string) => ({ 'default heap': ms(time(d)), [`--max-old-space-size=${CAPPED_HEAP_MB}`]: ms(time(c)), rows });
  console.table({
    'first sync (creates all)': row((f) => f.first, `${d.created} created`),
    'no-op re-sync (median of 3)': row((f) => f.noop, `${d.unchanged} unchanged, 0 written`),
    '1% changed re-sync': row((f) => f.onePercent, `${d.updated} updated`),
    [`raw limit (${raw})`]: row((f) => f.reference, `${CHANNELS} channels, ${CHANNELS * VIDEOS} videos, ${CHANNELS * VIDEOS} links`),
    'peak RSS through the syncs': { 'default heap': mb(d.syncPeak), [`--max-old-space-size=${CAPPED_HEAP_MB}`]: mb(c.syncPeak), rows: `after boot ${mb(d.bootRss)} / ${mb(c.bootRss)}` },
  });
  console.log(`first sync: ${ms(d.firstFetch)} fetching, validating and planning (streamed), ${ms(d.firstWrite)} writing; no-op: ${ms(d.noopIndex)} reading the index, ${ms(d.noopFetch)} fetching, validating and diffing`);
  console.log(`first sync / raw limit: ${(d.first / d.reference).toFixed(2)}x (target <= 2.5x)`);
  console.log(`no-op re-sync / raw limit: ${(d.noop / d.reference).toFixed(2)}x (target <= 1x)`);
  console.log(`peak RSS with the default heap: ${mb(d.syncPeak)} (target < 512 MB); capped heap: ${mb(c.syncPeak)}`);
};

const entry = process.argv.includes('--worker') ? worker : main;

entry().catch((error) => {
  console.error(error);
  process.exit(1);
});
