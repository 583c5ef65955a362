import type { Knex } from 'knex';
import type { TestDatabaseKind } from './database';

export interface IndexInfo {
  name: string;
  unique: boolean;
}

/** The indexes of a table as the database's own catalog lists them. */
export const listIndexes = async (knex: Knex, kind: TestDatabaseKind, table: string): Promise<IndexInfo[]> => {
  if (kind === 'sqlite') {
    const rows = (await knex.raw('PRAGMA index_list(??)', [table])) as { name: string; unique: number }[];
    return rows.map((row) => ({ name: row.name, unique: row.unique === 1 }));
  }
  if (kind === 'postgres') {
    const { rows } = (await knex.raw('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?', [table])) as {
      rows: { indexname: string; indexdef: string }[];
    };
    return rows.map((row) => ({ name: row.indexname, unique: row.indexdef.startsWith('CREATE UNIQUE INDEX') }));
  }
  const [rows] = (await knex.raw(
    'SELECT DISTINCT index_name AS name, non_unique AS nonUnique FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?',
    [table]
  )) as [{ name: string; nonUnique: number | string }[]];
  return rows.map((row) => ({ name: row.name, unique: Number(row.nonUnique) === 0 }));
};

/** A step of a query plan that reads a whole table, or null. */
export interface FullScan {
  table: string;
  plan: string;
}

/**
 * Runs the database's own EXPLAIN on a statement and returns the tables it reads in full:
 * SQLite `SCAN <table>` (with or without an index: both visit every row), PostgreSQL
 * `Seq Scan`, MySQL/MariaDB access type `ALL` or `index` (a full index scan).
 */
export const fullScans = async (knex: Knex, kind: TestDatabaseKind, sql: string, bindings: readonly unknown[]): Promise<FullScan[]> => {
  if (kind === 'sqlite') {
    const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[])) as { detail: string }[];
    return rows
      .map((row) => /^SCAN (\S+)/.exec(row.detail))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ table: match[1], plan: rows.map((row) => row.detail).join(' | ') }));
  }
  if (kind === 'postgres') {
    const { rows } = (await knex.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': unknown }[] };
    const plan = rows[0]['QUERY PLAN'] as { Plan: PgNode }[];
    const scans: FullScan[] = [];
    const walk = (node: PgNode) => {
      if (node['Node Type'] === 'Seq Scan') scans.push({ table: node['Relation Name']!, plan: JSON.stringify(plan) });
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan[0].Plan);
    return scans;
  }
  const [rows] = (await knex.raw(`EXPLAIN ${sql}`, bindings as Knex.RawBinding[])) as [{ table: string; type: string | null }[]];
  return rows.filter((row) => row.type === 'ALL' || row.type === 'index').map((row) => ({ table: row.table, plan: JSON.stringify(rows) }));
};

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PgNode[];
}
