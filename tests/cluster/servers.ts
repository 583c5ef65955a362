import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Sandbox } from '../../sandbox/src';
import type { TestDatabase } from '../helpers/database';
import { freePort } from '../helpers/net';
import { ROOT_DIR } from '../helpers/paths';
import { waitFor } from '../helpers/wait';

const SERVER_ENTRY = path.join(__dirname, 'server.ts');

export interface Server {
  name: string;
  base: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

/** Environment of a server process: this one's, minus anything that would pick another database or upstream. */
const baseEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DATABASE_|OSTEOCOM_|PLAYGROUND_|TEST_DATABASE|PORT$|HOST$)/.test(key)));

export interface ServerOptions {
  database: TestDatabase;
  sandbox: Sandbox;
  pluginConfig: Record<string, unknown>;
  /** Every spawned server is added here at once, so a test can stop it even if it never became ready. */
  started: Server[];
  /** More environment for this server, e.g. its TZ. */
  env?: Record<string, string>;
}

/** Spawns one playground server (tests/cluster/server.ts) on `database` against `sandbox`, and waits until it serves. */
export const startServer = async (name: string, { database, sandbox, pluginConfig, started, env }: ServerOptions): Promise<Server> => {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', SERVER_ENTRY], {
    cwd: ROOT_DIR,
    env: {
      ...baseEnv(),
      ...database.env,
      NODE_ENV: 'test',
      STRAPI_LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      OSTEOCOM_BASE_URL: sandbox.url,
      OSTEOCOM_CLIENT_ID: sandbox.clientId,
      OSTEOCOM_CLIENT_SECRET: sandbox.clientSecret,
      OSTEOCOM_ENCRYPTION_KEY: 'cluster-encryption-key-0123456789',
      PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify(pluginConfig),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (data: Buffer) => {
    output.push(...data.toString().split('\n').filter(Boolean).map((line) => `[${name}] ${line}`));
    if (output.length > 2_000) output.splice(0, output.length - 2_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // 'close', not 'exit': the output pipes are drained and closed too.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const server = { name, base: `http://127.0.0.1:${port}`, child, output, exited };
  started.push(server);
  await waitFor(`server ${name} to start`, () => {
    if (child.exitCode !== null) throw new Error(`server ${name} exited:\n${output.join('\n')}`);
    return output.some((line) => line.includes('CLUSTER SERVER READY'));
  }, { timeoutMs: 90_000, intervalMs: 100 });
  return server;
};

export const stopServer = async (server: Server) => {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(killer);
};
