import type { Knex } from 'knex';

interface NativeConnection {
  prepare(sql: string): { iterate(...bindings: unknown[]): IterableIterator<unknown> };
}

/** Rows a page on PostgreSQL and MySQL: 100,000 row objects at once added ~100 MB to a sync's peak. */
const PAGE = 5_000;

/**
 * Hands a table's rows to `visit` one at a time without holding them all: on SQLite by stepping
 * better-sqlite3's statement on a pooled connection, elsewhere a page at a time by `idColumn`
 * (keyset paging over the primary key). `select` must alias `idColumn` as `id`.
 */
export const eachRow = async <T extends { id: number | string }>(knex: Knex, select: () => Knex.QueryBuilder, idColumn: string, visit: (row: T) => void, pageSize = PAGE) => {
  if (knex.client.driverName === 'better-sqlite3') {
    const { sql, bindings } = select().toSQL().toNative();
    const connection = (await knex.client.acquireConnection()) as NativeConnection;
    try {
      for (const row of connection.prepare(sql).iterate(...bindings)) visit(row as T);
    } finally {
      await knex.client.releaseConnection(connection);
    }
    return;
  }
  let [after, page] = [0, [] as T[]];
  do {
    page = (await select().where(idColumn, '>', after).orderBy(idColumn).limit(pageSize)) as T[];
    page.forEach(visit);
    after = Number(page.at(-1)?.id ?? after);
  } while (page.length === pageSize);
};
