import type { Knex } from 'knex';

interface NativeStatement {
  run(...values: unknown[]): { lastInsertRowid: number | bigint };
}

interface NativeConnection {
  prepare(sql: string): NativeStatement;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Values as knex's better-sqlite3 client binds them: dates as epoch milliseconds, booleans as 0/1. */
const bindable = (value: unknown) => {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value ?? null;
};

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes at SQLite's own pace on the transaction's better-sqlite3 connection: one statement
 * prepared per table and run row by row, ids from `lastInsertRowid`. Through knex every chunk is a
 * new multi-row statement to compile, which costs more than the rows themselves. Every `size`
 * rows it yields to the event loop, so requests are parsed meanwhile (their queries wait for
 * the transaction, as on any SQLite write).
 */
export const createSqliteWriter = async (trx: Knex.Transaction, size: number) => {
  const connection = await (trx.client as { acquireConnection(): Promise<NativeConnection> }).acquireConnection();

  const each = async <T>(items: T[], run: (item: T) => void) => {
    for (let i = 0; i < items.length; i += 1) {
      run(items[i]);
      if ((i + 1) % size === 0) await nextTick();
    }
  };

  return {
    /** Inserts a row per item (each with the columns of the first) and returns their ids, in order. */
    async insert<T>(table: string, items: T[], toRow: (item: T) => Record<string, unknown>): Promise<number[]> {
      if (!items.length) return [];
      const columns = Object.keys(toRow(items[0]));
      const statement = connection.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const ids: number[] = [];
      await each(items, (item) => {
        const row = toRow(item);
        ids.push(Number(statement.run(...columns.map((column) => bindable(row[column]))).lastInsertRowid));
      });
      return ids;
    },

    /** Updates each item's row by id with the same columns. */
    async update<T extends { id: number }>(table: string, idColumn: string, items: T[], toRow: (item: T) => Record<string, unknown>) {
      if (!items.length) return;
      const columns = Object.keys(toRow(items[0]));
      const statement = connection.prepare(`UPDATE ${quote(table)} SET ${columns.map((column) => `${quote(column)} = ?`).join(', ')} WHERE ${quote(idColumn)} = ?`);
      await each(items, (item) => {
        const row = toRow(item);
        statement.run(...columns.map((column) => bindable(row[column])), item.id);
      });
    },
  };
};
