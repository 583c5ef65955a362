import type { Knex } from 'knex';

interface NativeConnection {
  prepare(sql: string): { iterate(...bindings: unknown[]): IterableIterator<unknown> };
}

/**
 * Hands a query's rows to `visit` one at a time. On SQLite it steps better-sqlite3's statement
 * on a pooled connection, so 100,000 rows never sit in one array (knex builds it whole); other
 * databases answer through knex.
 */
export const eachRow = async <T>(knex: Knex, query: Knex.QueryBuilder, visit: (row: T) => void) => {
  if (knex.client.driverName !== 'better-sqlite3') {
    for (const row of (await query) as T[]) visit(row);
    return;
  }
  const { sql, bindings } = query.toSQL().toNative();
  const connection = (await knex.client.acquireConnection()) as NativeConnection;
  try {
    for (const row of connection.prepare(sql).iterate(...bindings)) visit(row as T);
  } finally {
    await knex.client.releaseConnection(connection);
  }
};
