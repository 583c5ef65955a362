import { createTestDatabase, SCHEMA_RECORD_TABLES as SCHEMA_RECORDS, type TestDatabase, type TestDatabaseKind, TEMPLATE_ENV } from './database';
import { startTestApp } from './test-app';

/**
 * A template database per run (tests/helpers/integration-setup.ts): the playground's schema made
 * once by a real boot, then every row removed except Strapi's own schema and migration records.
 * A test file's fresh database is a copy of it (createTestDatabase), so its boot skips creating
 * the schema but still starts from no data, as a first start does. Strapi compares the stored
 * schema hash with its models at every boot and syncs the schema when they differ, so a template
 * made from an older build is still correct, only not faster.
 */

/** The part of better-sqlite3 used here (the package ships no types). */
interface SqliteFile {
  prepare(sql: string): { all(): unknown[]; get(): unknown; run(...params: unknown[]): unknown };
  pragma(statement: string): unknown;
  exec(sql: string): unknown;
  close(): unknown;
}

const emptySqlite = async (file: string) => {
  const { default: Database } = (await import('better-sqlite3')) as unknown as { default: new (file: string) => SqliteFile };
  const db = new Database(file);
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
      .map((row) => row.name)
      .filter((name) => !SCHEMA_RECORDS.includes(name));
    db.pragma('foreign_keys = OFF');
    for (const table of tables) db.prepare(`DELETE FROM "${table}"`).run();
    const sequences = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'").get() as { n: number };
    if (sequences.n) db.prepare(`DELETE FROM sqlite_sequence WHERE name NOT IN (${SCHEMA_RECORDS.map(() => '?').join(', ')})`).run(...SCHEMA_RECORDS);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
};

const emptyPostgres = async (name: string) => {
  const { Client } = await import('pg');
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: name });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    const tables = rows.map((row) => row.tablename).filter((table) => !SCHEMA_RECORDS.includes(table));
    if (tables.length) await client.query(`TRUNCATE ${tables.map((table) => `"${table}"`).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
};

const emptyMysql = async (name: string) => {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: name });
  try {
    const [rows] = await connection.query('SHOW TABLES');
    const tables = (rows as Record<string, string>[]).map((row) => Object.values(row)[0]).filter((table) => !SCHEMA_RECORDS.includes(table));
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of tables) await connection.query(`TRUNCATE TABLE \`${table}\``);
  } finally {
    await connection.end();
  }
};

/** Boots the playground once on a new database, empties it, and names it in the environment for createTestDatabase. */
export const makeTemplate = async (kind: TestDatabaseKind): Promise<TestDatabase> => {
  const database = await createTestDatabase(kind);
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
  const name = database.kind === 'sqlite' ? database.env.DATABASE_FILENAME : database.env.DATABASE_NAME;
  if (kind === 'sqlite') await emptySqlite(name);
  else if (kind === 'postgres') await emptyPostgres(name);
  else await emptyMysql(name);
  process.env[TEMPLATE_ENV[kind]] = name;
  return database;
};
