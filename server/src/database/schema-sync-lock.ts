import type { Core } from '@strapi/strapi';

/** Any fixed key: it names this lock among the database's advisory locks. */
const PG_KEY = 725_104_113;
/** MySQL's named locks are server-wide: the database's name keeps two sites on one server apart. */
const mysqlLockName = (database: string) => `osteocom_startup:${database}`.slice(0, 64);
/** A server that holds the lock this long is stuck: the next one fails to start with a clear error. */
const TIMEOUT_SECONDS = 300;

type Connection = unknown;

interface KnexClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<void>;
}

/**
 * Servers of a cluster starting at once would each run Strapi's schema sync (and the merge of
 * duplicates before it) on the same database: their CREATE TABLE / CREATE INDEX race and one
 * server crashes. Strapi takes no lock of its own, so the plugin holds a database advisory lock
 * from `beforeSync` until the server listens (see register.ts): the next server waits, then finds
 * the schema up to date and Strapi's default rows in place.
 * The lock lives on one pooled connection; it dies with the process if a server dies holding it.
 * SQLite needs none (one file, one writer).
 */
/** Each Strapi instance's lock, so destroy can release one its server never listened with. */
const locks = new WeakMap<Core.Strapi, { release(): Promise<void> }>();

/** Releases the instance's startup lock if it still holds it (a server stopped before it listened). */
export const releaseStartupLock = (strapi: Core.Strapi) => locks.get(strapi)?.release();

export const createSchemaSyncLock = (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const client = knex.client as unknown as KnexClient;
  const dialect = strapi.db.dialect.client;
  let held: Connection | null = null;
  const database = () => String((strapi.db.config.connection as { connection?: { database?: string } }).connection?.database ?? '');

  const run = (sql: string, bindings: (string | number)[], connection: Connection) =>
    knex.raw(sql, bindings).connection(connection as never);

  const lock = {
    async acquire() {
      if (dialect !== 'postgres' && dialect !== 'mysql') return;
      const connection = await client.acquireConnection();
      try {
        if (dialect === 'postgres') {
          await run(`SET lock_timeout = '${TIMEOUT_SECONDS}s'`, [], connection);
          await run('SELECT pg_advisory_lock(?)', [PG_KEY], connection);
          await run('RESET lock_timeout', [], connection);
        } else {
          const [rows] = (await run('SELECT GET_LOCK(?, ?) AS got', [mysqlLockName(database()), TIMEOUT_SECONDS], connection)) as unknown as [{ got: number }[]];
          if (Number(rows[0]?.got) !== 1) throw new Error('timed out');
        }
      } catch (error) {
        await client.releaseConnection(connection);
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`[osteocom] another server has been syncing the database schema for ${TIMEOUT_SECONDS} s; not starting (${reason})`);
      }
      held = connection;
    },

    async release() {
      if (!held) return;
      const connection = held;
      held = null;
      try {
        if (dialect === 'postgres') await run('SELECT pg_advisory_unlock(?)', [PG_KEY], connection);
        else await run('SELECT RELEASE_LOCK(?)', [mysqlLockName(database())], connection);
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
  locks.set(strapi, lock);
  return lock;
};
