/**
 * `npm start`: builds what is missing, starts the bundled sandbox unless OSTEOCOM_BASE_URL
 * points elsewhere, and serves the playground at http://localhost:1337 on SQLite.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CONTROL_TOKEN_HEADER, createSandbox } from '../sandbox/src';
import { buildIfNeeded } from './build-if-needed';

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'playground');

const startSandbox = async () => {
  if (process.env.OSTEOCOM_BASE_URL) return undefined;
  const sandbox = createSandbox();
  const { url } = await sandbox.listen(Number(process.env.SANDBOX_PORT ?? 4010), '127.0.0.1');
  const origin = new URL(url).origin;
  Object.assign(process.env, {
    OSTEOCOM_BASE_URL: url,
    OSTEOCOM_CLIENT_ID: process.env.OSTEOCOM_CLIENT_ID ?? sandbox.clientId,
    OSTEOCOM_CLIENT_SECRET: process.env.OSTEOCOM_CLIENT_SECRET ?? sandbox.clientSecret,
    PLAYGROUND_OSTEOCOM_CONFIG:
      process.env.PLAYGROUND_OSTEOCOM_CONFIG ??
      JSON.stringify({ videoToken: { playerUrlTemplate: `${origin}/__sandbox/player/{videoId}?token={token}` } }),
  });
  process.stdout.write(
    `Osteocom sandbox: ${url} (client ${sandbox.clientId}); control API ${origin}/__sandbox with header ${CONTROL_TOKEN_HEADER}: ${sandbox.controlToken}\n`
  );
  return sandbox;
};

const main = async () => {
  buildIfNeeded();
  const sandbox = await startSandbox();
  const strapi = spawn('npx', ['strapi', 'start'], { cwd: APP, stdio: 'inherit', env: process.env });
  const stop = () => strapi.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  strapi.on('exit', async (code) => {
    await sandbox?.close();
    process.exit(code ?? 0);
  });
};

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
