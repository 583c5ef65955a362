import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { removeDatabase, tempDatabase } from './lib';

export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  /** The playground's DATABASE_* variables for it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

const postgres = () => new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });

/** A fresh database for one benchmark side: a temp SQLite file, or `BENCH_DATABASE=postgres` on 127.0.0.1:5432. */
export const benchDatabase = async (label: string): Promise<BenchDatabase> => {
  if ((process.env.BENCH_DATABASE ?? 'sqlite') === 'sqlite') {
    const file = tempDatabase();
    return { kind: 'sqlite', env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file }, drop: async () => removeDatabase(file) };
  }
  if (process.env.BENCH_DATABASE !== 'postgres') throw new Error('BENCH_DATABASE must be sqlite or postgres');
  const name = `osteocom_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = postgres();
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    kind: 'postgres',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '5432', DATABASE_USERNAME: 'postgres', DATABASE_PASSWORD: '', DATABASE_NAME: name },
    async drop() {
      const again = postgres();
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
};
