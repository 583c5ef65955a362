import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableOf } from '../utils/db';
import { EPOCH_INSTANTS } from './epoch-instants';

/** Rows converted per UPDATE. */
const BATCH = 500;
/** Column types Strapi gave `datetime` attributes: PostgreSQL `timestamp without time zone`, MySQL and SQLite `datetime`. */
const DATETIME_TYPE = /timestamp|datetime/i;

/** TZ first: Node applies a TZ set at run time to Dates, while Intl keeps the zone it started with. */
const zoneName = () => process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;

const staged = (column: string) => `${column}_epoch_ms`;

export interface ConvertedTable {
  table: string;
  columns: string[];
  rows: number;
}

/** What the driver read as epoch ms, the way this process read the column so far (null: not an instant). */
const epochMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  // PostgreSQL and MySQL: a Date the driver made from the wall time in this process's zone;
  // SQLite: the number better-sqlite3 stored for a Date (already epoch ms), or a string written raw.
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
  return Number.isSafeInteger(ms) ? ms : Number.isFinite(ms) ? Math.round(ms) : null;
};

/** `CASE id WHEN … THEN … END` of integers only (ids and epoch ms), written as literals to stay clear of bound-parameter limits and type guesses. */
const caseOf = (knex: Knex, rows: Record<string, unknown>[], column: string) =>
  knex.raw(`CASE ?? ${rows.map((row) => `WHEN ${Number(row.id)} THEN ${epochMs(row[column]) ?? 'NULL'}`).join(' ')} END`, ['id']);

/**
 * Turns the `datetime` columns of an earlier version into the epoch-ms `biginteger` columns of
 * EPOCH_INSTANTS, keeping every value: run in `beforeSync`, before Strapi's schema sync would alter
 * the type itself (PostgreSQL refuses timestamp → bigint, MySQL would keep 20261206142000-style
 * numbers). Per table: a staged column is filled from the old one as this process reads it, the
 * indexes on the old column are dropped (schema sync recreates them), then the old column is
 * dropped and the staged one takes its name. Idempotent: a column already `biginteger` is left; a
 * staged column left by a crash after the drop is renamed. Servers starting together are serialised
 * by the startup lock (register.ts) and, on SQLite, by the transaction (PostgreSQL: one too, so a
 * table converts all or nothing).
 */
export const migrateInstants = async (strapi: Core.Strapi): Promise<ConvertedTable[]> => {
  const converted: ConvertedTable[] = [];
  for (const [uid, attributes] of Object.entries(EPOCH_INSTANTS)) {
    const { name: table, column } = tableOf(strapi, uid);
    const columns = attributes.map(column);
    if (!(await strapi.db.getSchemaConnection().hasTable(table))) continue;
    // Read before the transaction: SQLite's single connection is the transaction's.
    const indexes = (await strapi.db.dialect.schemaInspector.getIndexes(table)) as { name: string; columns: string[] }[];
    // MySQL commits at every DDL statement, so no transaction could hold the steps together: they resume after a crash instead.
    const result =
      strapi.db.dialect.client === 'mysql'
        ? await migrateTable(strapi, strapi.db.connection, table, columns, indexes)
        : await strapi.db.transaction(({ trx }) => migrateTable(strapi, trx as Knex.Transaction, table, columns, indexes));
    if (!result) continue;
    converted.push(result);
    strapi.log.info(
      `[osteocom] converted ${result.rows} rows of table ${table} to epoch milliseconds (${result.columns.join(', ')}; values read in this server's time zone ${zoneName()})`
    );
  }
  return converted;
};

const migrateTable = async (strapi: Core.Strapi, trx: Knex, table: string, columns: string[], indexes: { name: string; columns: string[] }[]) => {
  const schemaName = strapi.db.getSchemaName();
  const qualified = schemaName ? `${schemaName}.${table}` : table;
  const rowsOf = (): Knex.QueryBuilder => (schemaName ? trx.withSchema(schemaName).from(table) : trx(table));
  const info = await rowsOf().columnInfo();
  const old = columns.filter((name) => info[name] && DATETIME_TYPE.test(info[name].type));
  const orphaned = columns.filter((name) => !info[name] && info[staged(name)]);
  if (!old.length && !orphaned.length) return null;

  const schema = () => strapi.db.getSchemaConnection(trx);
  const missing = old.filter((name) => !info[staged(name)]);
  if (missing.length) await schema().alterTable(table, (builder) => missing.forEach((name) => builder.bigInteger(staged(name))));

  let rows = 0;
  for (let lastId = 0; ; ) {
    const batch = (await rowsOf()
      .select(['id', ...old])
      .where('id', '>', lastId)
      .andWhere((where) => old.forEach((name) => where.orWhereNotNull(name)))
      .orderBy('id')
      .limit(BATCH)) as Record<string, unknown>[];
    if (!batch.length) break;
    const ids = batch.map((row) => Number(row.id));
    await rowsOf()
      .whereIn('id', ids)
      .update(Object.fromEntries(old.map((name) => [staged(name), caseOf(trx, batch, name)])));
    rows += batch.length;
    lastId = ids[ids.length - 1];
  }

  for (const index of indexes.filter((candidate) => candidate.columns.some((name) => old.includes(name)))) {
    await schema().alterTable(table, (builder) => builder.dropIndex([], index.name));
  }
  for (const name of old) await trx.raw('ALTER TABLE ?? DROP COLUMN ??', [qualified, name]);
  for (const name of [...old, ...orphaned]) await trx.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', [qualified, staged(name), name]);
  return { table, columns: [...old, ...orphaned], rows };
};
