import knexFactory, { type Knex } from 'knex';
import type { TestDatabase } from './database';

/**
 * A separate connection to a test database, for reading rows behind Strapi's back: after
 * `strapi.destroy()` (shutdown tests) or from outside the Strapi processes (cluster tests).
 */
export const connectTo = (database: Pick<TestDatabase, 'kind' | 'env'>): Knex => {
  const env = database.env;
  if (database.kind === 'sqlite') {
    return knexFactory({ client: 'better-sqlite3', connection: { filename: env.DATABASE_FILENAME }, useNullAsDefault: true });
  }
  return knexFactory({
    client: database.kind === 'postgres' ? 'pg' : 'mysql2',
    connection: {
      host: env.DATABASE_HOST,
      port: Number(env.DATABASE_PORT),
      user: env.DATABASE_USERNAME,
      password: env.DATABASE_PASSWORD,
      database: env.DATABASE_NAME,
    },
    pool: { min: 0, max: 2 },
  });
};

/** The plugin's tables (`osteocom_*`, join tables included) as the database lists them. */
export const pluginTables = async (knex: Knex): Promise<string[]> => {
  const client = knex.client.config.client as string;
  const names =
    client === 'better-sqlite3'
      ? ((await knex('sqlite_master').select('name').where({ type: 'table' })) as { name: string }[]).map((row) => row.name)
      : client === 'pg'
        ? ((await knex('pg_tables').select('tablename').where({ schemaname: 'public' })) as { tablename: string }[]).map((row) => row.tablename)
        : ((await knex('information_schema.tables').select('table_name as name').whereRaw('table_schema = database()')) as { name: string }[]).map((row) => row.name);
  return names.filter((name) => name.startsWith('osteocom_')).sort();
};

/** Every row of every plugin table, raw as the database holds it (JSON columns as stored). */
export const pluginRows = async (knex: Knex): Promise<Record<string, Record<string, unknown>[]>> => {
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const table of await pluginTables(knex)) rows[table] = await knex(table).select('*');
  return rows;
};
