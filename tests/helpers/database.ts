import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestDatabaseKind = 'sqlite' | 'postgres' | 'mysql';

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

const sqlite = (): TestDatabase => {
  const file = path.join(os.tmpdir(), `osteocom-test-${process.pid}-${randomBytes(4).toString('hex')}.db`);
  return {
    kind: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    },
  };
};

/** A fresh database on the local server, created for one test file and dropped after it. */
const server = async (kind: 'postgres' | 'mysql'): Promise<TestDatabase> => {
  const name = `osteocom_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await adminConnection(kind);
  await admin.run(`CREATE DATABASE ${name}`);
  await admin.close();
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

export const createTestDatabase = (kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> =>
  kind === 'sqlite' ? Promise.resolve(sqlite()) : server(kind);
