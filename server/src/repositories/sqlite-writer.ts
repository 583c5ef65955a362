import type { Knex } from 'knex';

interface NativeStatement {
  run(...values: unknown[]): { lastInsertRowid: number | bigint };
}

interface NativeConnection {
  prepare(sql: string): NativeStatement;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An insert's or update's columns, named once, and each item's values in their order. */
export interface RowShape<T> {
  columns: string[];
  values(item: T): unknown[];
}

/** Values as knex's better-sqlite3 client binds them (dates as epoch milliseconds, booleans as 0/1), in place. */
const bindable = (values: unknown[]) => {
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value instanceof Date) values[i] = value.valueOf();
    else if (typeof value === 'boolean') values[i] = Number(value);
    else if (value === undefined) values[i] = null;
  }
  return values;
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
    /** Inserts a row per item and returns their ids, in order. */
    async insert<T>(table: string, { columns, values }: RowShape<T>, items: T[]): Promise<number[]> {
      if (!items.length) return [];
      const statement = connection.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const ids: number[] = [];
      await each(items, (item) => {
        ids.push(Number(statement.run(...bindable(values(item))).lastInsertRowid));
      });
      return ids;
    },

    /** Updates each item's row by id with the shape's columns. */
    async update<T extends { id: number }>(table: string, idColumn: string, { columns, values }: RowShape<T>, items: T[]) {
      if (!items.length) return;
      const statement = connection.prepare(`UPDATE ${quote(table)} SET ${columns.map((column) => `${quote(column)} = ?`).join(', ')} WHERE ${quote(idColumn)} = ?`);
      await each(items, (item) => {
        statement.run(...bindable(values(item)), item.id);
      });
    },
  };
};
