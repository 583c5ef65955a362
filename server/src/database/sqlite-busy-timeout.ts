import type { Core } from '@strapi/strapi';

/** knex's default wait for a pooled connection, and Strapi's template's `acquireConnectionTimeout`. */
const KNEX_ACQUIRE_TIMEOUT_MS = 60_000;

interface NativeSqlite {
  pragma(source: string): unknown;
}

interface KnexClient {
  config: { acquireConnectionTimeout?: number };
  pool?: { on(event: 'createSuccess', listener: (eventId: number, connection: NativeSqlite) => void): void };
  acquireConnection(): Promise<NativeSqlite>;
  releaseConnection(connection: NativeSqlite): Promise<unknown>;
}

const clientOf = (strapi: Core.Strapi) => strapi.db.connection.client as unknown as KnexClient;

/**
 * How long a write waits for SQLite's one write lock. In this process a query waits for a
 * transaction in knex's pool (one connection), up to `acquireConnectionTimeout`; a second process
 * on the same file (another server, `strapi console`) waits in SQLite itself, up to the busy
 * timeout — better-sqlite3's 5 s unless set, less than a large catalog's first sync holds the lock
 * (4,000 channels × 50 videos: 18 s measured on a loaded 2-core machine). One bound for both waits:
 * `sync.sqliteBusyTimeoutMs`, or else the pool's.
 */
export const sqliteWaitMs = (strapi: Core.Strapi) =>
  (strapi.plugin('osteocom').config('sync') as { sqliteBusyTimeoutMs?: number }).sqliteBusyTimeoutMs ??
  clientOf(strapi).config.acquireConnectionTimeout ??
  KNEX_ACQUIRE_TIMEOUT_MS;

/** Sets the busy timeout on the pool's connection and on every connection it opens later. */
export const applySqliteBusyTimeout = async (strapi: Core.Strapi) => {
  if (strapi.db.dialect.client !== 'sqlite') return;
  const ms = sqliteWaitMs(strapi);
  const set = (connection: NativeSqlite) => connection.pragma(`busy_timeout = ${Math.floor(ms)}`);
  const client = clientOf(strapi);
  client.pool?.on('createSuccess', (_eventId, connection) => set(connection));
  const connection = await client.acquireConnection();
  try {
    set(connection);
  } finally {
    await client.releaseConnection(connection);
  }
};
