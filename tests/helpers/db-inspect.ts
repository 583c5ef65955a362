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
