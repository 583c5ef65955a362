import fs from 'node:fs';
import { createTestDatabase, SCHEMA_RECORD_TABLES as SCHEMA_RECORDS, type TemplateKind, type TestDatabase, type TestDatabaseKind, TEMPLATE_ENV } from './database';
import { startTestApp } from './test-app';

/**
 * Two template databases per run (tests/helpers/integration-setup.ts), made from one real boot of
 * the playground, that a test file's fresh database copies (createTestDatabase):
 * - `booted`: what the first start wrote (Strapi's admin roles and permissions, users-permissions
 *   roles and the plugin's default grants, Content Manager configurations) with the plugin's own
 *   tables and stored state emptied. A boot on a copy is a restart — Strapi finds its schema and
 *   first-start data and writes nothing — and the plugin still starts from no data of its own.
 *   This is the default: a restart costs 5–7 s here, a first start 15–33 s (docs/TESTING.md).
 * - `empty`: every row removed except Strapi's schema and migration records, for a file about
 *   what a first start writes (`startTestApp({ firstStart: true })`, e.g. defaults.test.ts).
 * Strapi compares the stored schema hash with its models at every boot and syncs the schema when
 * they differ, so a template made from an older build is still correct, only not faster.
 */

/**
 * The plugin's rows: its tables, and its entries in Strapi's core store (settings, key rotation
 * pass) except the record of its default grants, which stays with the grants it describes.
 */
const PLUGIN_TABLE = /^osteocom_/;
const CORE_STORE = 'strapi_core_store_settings';
const PLUGIN_STORE_KEY = 'plugin_osteocom_%';
const GRANTS_KEY = 'plugin_osteocom_default-permissions-granted';

/** The part of better-sqlite3 used here (the package ships no types). */
interface SqliteFile {
  prepare(sql: string): { all(): unknown[]; get(): unknown; run(...params: unknown[]): unknown };
  pragma(statement: string): unknown;
  exec(sql: string): unknown;
  close(): unknown;
}

const emptySqlite = async (file: string, only: TemplateKind) => {
  const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => SqliteFile };
  const db = new Database(file);
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
      .map((row) => row.name)
      .filter((name) => (only === 'booted' ? PLUGIN_TABLE.test(name) : !SCHEMA_RECORDS.includes(name)));
    db.pragma('foreign_keys = OFF');
    for (const table of tables) db.prepare(`DELETE FROM "${table}"`).run();
    if (only === 'booted') {
      db.prepare(`DELETE FROM "${CORE_STORE}" WHERE "key" LIKE ? AND "key" <> ?`).run(PLUGIN_STORE_KEY, GRANTS_KEY);
      db.exec('VACUUM');
      return;
    }
    const sequences = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'").get() as { n: number };
    if (sequences.n) db.prepare(`DELETE FROM sqlite_sequence WHERE name NOT IN (${SCHEMA_RECORDS.map(() => '?').join(', ')})`).run(...SCHEMA_RECORDS);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
};

const emptyPostgres = async (name: string, only: TemplateKind) => {
  const { Client } = await import('pg');
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: name });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    const tables = rows.map((row) => row.tablename).filter((table) => (only === 'booted' ? PLUGIN_TABLE.test(table) : !SCHEMA_RECORDS.includes(table)));
    if (tables.length) await client.query(`TRUNCATE ${tables.map((table) => `"${table}"`).join(', ')} RESTART IDENTITY CASCADE`);
    if (only === 'booted') await client.query(`DELETE FROM "${CORE_STORE}" WHERE "key" LIKE $1 AND "key" <> $2`, [PLUGIN_STORE_KEY, GRANTS_KEY]);
  } finally {
    await client.end();
  }
};

const emptyMysql = async (name: string, only: TemplateKind) => {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: name });
  try {
    const [rows] = await connection.query('SHOW TABLES');
    const tables = (rows as Record<string, string>[])
      .map((row) => Object.values(row)[0])
      .filter((table) => (only === 'booted' ? PLUGIN_TABLE.test(table) : !SCHEMA_RECORDS.includes(table)));
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of tables) await connection.query(`TRUNCATE TABLE \`${table}\``);
    if (only === 'booted') await connection.query(`DELETE FROM \`${CORE_STORE}\` WHERE \`key\` LIKE ? AND \`key\` <> ?`, [PLUGIN_STORE_KEY, GRANTS_KEY]);
  } finally {
    await connection.end();
  }
};

const nameOf = (database: TestDatabase) => (database.kind === 'sqlite' ? database.env.DATABASE_FILENAME : database.env.DATABASE_NAME);

const empty = (kind: TestDatabaseKind, name: string, only: TemplateKind) =>
  kind === 'sqlite' ? emptySqlite(name, only) : kind === 'postgres' ? emptyPostgres(name, only) : emptyMysql(name, only);

/** A second database holding the first's rows (the booted one, copied before it is emptied). */
const copyOf = async (kind: TestDatabaseKind, source: TestDatabase): Promise<TestDatabase> => {
  if (kind !== 'sqlite') {
    process.env[TEMPLATE_ENV.booted[kind]] = nameOf(source);
    try {
      return await createTestDatabase(kind);
    } finally {
      delete process.env[TEMPLATE_ENV.booted[kind]];
    }
  }
  const copy = await createTestDatabase(kind, { firstStart: true });
  fs.copyFileSync(nameOf(source), nameOf(copy));
  return copy;
};

/**
 * Boots the playground once on a new database, copies it, empties the copy's plugin rows (booted)
 * and the original's every row (empty), and names both in the environment for createTestDatabase.
 */
export const makeTemplates = async (kind: TestDatabaseKind): Promise<TestDatabase[]> => {
  const database = await createTestDatabase(kind, { firstStart: true });
  const env = { ...process.env };
  try {
    const app = await startTestApp({ database });
    await app.close();
  } catch (error) {
    await database.drop();
    throw error;
  } finally {
    // startTestApp sets the app's environment: the test workers set their own.
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
  }
  const booted = await copyOf(kind, database);
  await empty(kind, nameOf(booted), 'booted');
  await empty(kind, nameOf(database), 'empty');
  process.env[TEMPLATE_ENV.empty[kind]] = nameOf(database);
  process.env[TEMPLATE_ENV.booted[kind]] = nameOf(booted);
  return [database, booted];
};
