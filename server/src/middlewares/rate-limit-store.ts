import type { Core } from '@strapi/strapi';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterPostgres, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Counters shared by every server of the site, in its own database. */
export const RATE_LIMIT_TABLE = 'osteocom_rate_limits';

/** Counters that ended this long ago are deleted by the outbox's pass. */
const KEEP_EXPIRED_MS = 3_600_000;

export interface RateLimitConfig {
  max: number;
  windowSeconds: number;
  store: 'database' | 'memory';
}

/**
 * The table rate-limiter-flexible's SQL stores expect (key, points, expire in ms), made with knex
 * so it is the same on the three databases; not a content type, as nobody edits or reads it.
 * Two servers starting together may both try: the loser finds the table there.
 */
const ensureTable = async (strapi: Core.Strapi) => {
  const schema = strapi.db.getSchemaConnection();
  if (await schema.hasTable(RATE_LIMIT_TABLE)) return;
  try {
    await schema.createTable(RATE_LIMIT_TABLE, (table) => {
      table.string('key', 255).primary();
      table.integer('points').notNullable().defaultTo(0);
      table.bigInteger('expire');
    });
  } catch (error) {
    if (!(await strapi.db.getSchemaConnection().hasTable(RATE_LIMIT_TABLE))) throw error;
  }
};

/**
 * The database's own limiter on Strapi's knex, each an atomic upsert per request (SQLite:
 * INSERT … ON CONFLICT … RETURNING in a transaction; PostgreSQL and MySQL likewise). A database
 * error falls back to this server's memory rather than refusing or failing the request.
 */
const databaseLimiter = (strapi: Core.Strapi, options: { points: number; duration: number; keyPrefix: string }): RateLimiterAbstract => {
  const common = {
    ...options,
    storeClient: strapi.db.connection,
    storeType: 'knex',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: false,
    insuranceLimiter: new RateLimiterMemory(options),
  };
  const client = strapi.db.dialect.client;
  if (client === 'postgres') return new RateLimiterPostgres({ ...common, schemaName: strapi.db.getSchemaName() });
  if (client === 'mysql') return new RateLimiterMySQL({ ...common, dbName: strapi.db.connection.client.connectionSettings.database });
  return new RateLimiterSQLite(common);
};

/** A limiter with its own counters per limit, so a limit changed at run time starts fresh ones. */
export const createLimiter = async (strapi: Core.Strapi, name: string, config: RateLimitConfig): Promise<RateLimiterAbstract> => {
  const options = { points: config.max, duration: config.windowSeconds, keyPrefix: `${name}:${config.max}/${config.windowSeconds}` };
  if (config.store === 'memory') return new RateLimiterMemory(options);
  try {
    await ensureTable(strapi);
  } catch (error) {
    // No table, no shared count: each server counts on its own rather than refusing every token with a 500.
    strapi.log.warn(`[osteocom] the video-token rate limit counts per server: its table ${RATE_LIMIT_TABLE} could not be created (${(error as Error).message})`);
    return new RateLimiterMemory(options);
  }
  return databaseLimiter(strapi, options);
};

/** Deletes counters whose window ended over an hour ago (the outbox's pass, one server at a time). */
export const clearExpiredCounters = async (strapi: Core.Strapi) => {
  const schema = strapi.db.getSchemaConnection();
  if (!(await schema.hasTable(RATE_LIMIT_TABLE))) return;
  await strapi.db.getConnection(RATE_LIMIT_TABLE).where('expire', '<', Date.now() - KEEP_EXPIRED_MS).delete();
};
