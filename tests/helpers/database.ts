import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestDatabaseKind = 'sqlite' | 'postgres' | 'mysql';

/** Strapi's records of the schema it synced and the migrations it ran (a template keeps them, so a boot finds "unchanged"). */
export const SCHEMA_RECORD_TABLES = ['strapi_database_schema', 'strapi_migrations', 'strapi_migrations_internal'];

export interface TestDatabase {
  kind: TestDatabaseKind;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testDatabaseKind = (): TestDatabaseKind => {
  const kind = process.env.TEST_DATABASE ?? 'sqlite';
  if (kind === 'sqlite' || kind === 'postgres' || kind === 'mysql') return kind;
  throw new Error(`TEST_DATABASE must be sqlite, postgres or mysql, not "${kind}"`);
};

/**
 * Set by the integration project's globalSetup (tests/helpers/template.ts), a SQLite file or a
 * database name on the server: `empty` holds the playground's schema and no rows (a first start),
 * `booted` what a first start wrote (Strapi's roles, permissions, configurations) but none of the
 * plugin's rows (a restart of a site that never used the plugin's data).
 */
export type TemplateKind = 'empty' | 'booted';
export const TEMPLATE_ENV: Record<TemplateKind, Record<TestDatabaseKind, string>> = {
  empty: { sqlite: 'OSTEOCOM_TEST_TEMPLATE_SQLITE', postgres: 'OSTEOCOM_TEST_TEMPLATE_POSTGRES', mysql: 'OSTEOCOM_TEST_TEMPLATE_MYSQL' },
  booted: { sqlite: 'OSTEOCOM_TEST_BOOTED_SQLITE', postgres: 'OSTEOCOM_TEST_BOOTED_POSTGRES', mysql: 'OSTEOCOM_TEST_BOOTED_MYSQL' },
};

/** A booted copy unless the file asked for a first start; the empty template without a booted one. */
const templateOf = (kind: TestDatabaseKind, firstStart: boolean) =>
  (!firstStart && process.env[TEMPLATE_ENV.booted[kind]]) || process.env[TEMPLATE_ENV.empty[kind]] || undefined;

const sqlite = (firstStart: boolean): TestDatabase => {
  const file = path.join(os.tmpdir(), `osteocom-test-${process.pid}-${randomBytes(4).toString('hex')}.db`);
  const template = templateOf('sqlite', firstStart);
  if (template) fs.copyFileSync(template, file);
  return {
    kind: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    },
  };
};

/** A fresh database on the local server, created for one test file and dropped after it. */
const server = async (kind: 'postgres' | 'mysql', firstStart: boolean): Promise<TestDatabase> => {
  const name = `osteocom_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = templateOf(kind, firstStart);
  const admin = await adminConnection(kind);
  if (kind === 'postgres' && template) await createFromPostgresTemplate(admin, name, template);
  else await admin.run(`CREATE DATABASE ${name}`);
  await admin.close();
  if (kind === 'mysql' && template) await copyMysqlSchema(template, name);
  const env =
    kind === 'postgres'
      ? { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '5432', DATABASE_USERNAME: 'postgres', DATABASE_PASSWORD: '' }
      : { DATABASE_CLIENT: 'mysql', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '3306', DATABASE_USERNAME: 'root', DATABASE_PASSWORD: '' };
  return {
    kind,
    env: { ...env, DATABASE_NAME: name, DATABASE_POOL_MIN: '0' },
    async drop() {
      const again = await adminConnection(kind);
      await again.run(kind === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
      await again.close();
    },
  };
};

interface AdminConnection {
  run(sql: string): Promise<void>;
  close(): Promise<void>;
}

const adminConnection = async (kind: 'postgres' | 'mysql'): Promise<AdminConnection> => {
  if (kind === 'postgres') {
    const { Client } = await import('pg');
    const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    await client.connect();
    return { run: async (sql) => void (await client.query(sql)), close: () => client.end() };
  }
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  return { run: async (sql) => void (await connection.query(sql)), close: () => connection.end() };
};

/** PostgreSQL copies a template only while nobody else is connected to it: another file's copy may be under way. */
const createFromPostgresTemplate = async (admin: AdminConnection, name: string, template: string) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.run(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

/** MySQL has no template databases: the template's tables as SHOW CREATE TABLE gives them, and their rows (an empty template has only Strapi's schema records). */
const copyMysqlSchema = async (template: string, name: string) => {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: name });
  try {
    const [tables] = await connection.query('SHOW TABLES FROM ??', [template]);
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of (tables as Record<string, string>[]).map((row) => Object.values(row)[0])) {
      const [[created]] = (await connection.query('SHOW CREATE TABLE ??.??', [template, table])) as unknown as [Record<string, string>[]];
      await connection.query(created['Create Table']);
      await connection.query('INSERT INTO ?? SELECT * FROM ??.??', [table, template, table]);
    }
  } finally {
    await connection.end();
  }
};

/** `firstStart`: a copy of the empty template (no rows), for files about what a first start writes. */
export const createTestDatabase = (kind: TestDatabaseKind = testDatabaseKind(), options: { firstStart?: boolean } = {}): Promise<TestDatabase> =>
  kind === 'sqlite' ? Promise.resolve(sqlite(options.firstStart ?? false)) : server(kind, options.firstStart ?? false);
