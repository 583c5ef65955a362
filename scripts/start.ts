/**
 * `npm start`: builds the plugin's bundles when stale, starts the bundled sandbox unless
 * OSTEOCOM_BASE_URL points elsewhere, and runs the playground (`strapi develop`: the admin
 * through Vite's dev server, no production build) at http://localhost:1337 on SQLite.
 *
 * The sandbox keeps its customers in playground/.tmp/osteocom-sandbox.json (SANDBOX_STATE_FILE),
 * beside the playground's SQLite database, so both sides agree after a restart;
 * `npm start -- --fresh` starts the sandbox empty. SIGINT or SIGTERM to this process stops Strapi, then the sandbox.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CONTROL_TOKEN_HEADER, createSandbox, generateCatalog } from '../sandbox/src';
import { buildIfNeeded } from './build-if-needed';

const ROOT = path.resolve(__dirname, '..');
/** The playground app; another copy of it when OSTEOCOM_PLAYGROUND_DIR names one (`strapi develop` rewrites its dist/). */
const appDir = () => process.env.OSTEOCOM_PLAYGROUND_DIR ?? path.join(ROOT, 'playground');
/** How long Strapi may take to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startSandbox = async () => {
  if (process.env.OSTEOCOM_BASE_URL) return undefined;
  const stateFile = process.env.SANDBOX_STATE_FILE ?? path.join(appDir(), '.tmp', 'osteocom-sandbox.json');
  if (process.argv.includes('--fresh')) fs.rmSync(stateFile, { force: true });
  const port = Number(process.env.SANDBOX_PORT ?? 4010);
  // Its covers and author images are served by the sandbox itself, so the admin shows them.
  const catalog = generateCatalog({ channels: 12, videosPerChannel: 8, mediaBaseUrl: `http://127.0.0.1:${port}/__sandbox/media` });
  const sandbox = createSandbox({ stateFile, catalog });
  const { url } = await sandbox.listen(port, '127.0.0.1');
  const origin = new URL(url).origin;
  Object.assign(process.env, {
    OSTEOCOM_BASE_URL: url,
    OSTEOCOM_CLIENT_ID: process.env.OSTEOCOM_CLIENT_ID ?? sandbox.clientId,
    OSTEOCOM_CLIENT_SECRET: process.env.OSTEOCOM_CLIENT_SECRET ?? sandbox.clientSecret,
    // The playground's content security policy lets the admin show the sandbox's cover images.
    PLAYGROUND_MEDIA_ORIGIN: process.env.PLAYGROUND_MEDIA_ORIGIN ?? origin,
    PLAYGROUND_OSTEOCOM_CONFIG:
      process.env.PLAYGROUND_OSTEOCOM_CONFIG ??
      JSON.stringify({ videoToken: { playerUrlTemplate: `${origin}/__sandbox/player/{videoId}?token={token}` } }),
  });
  process.stdout.write(
    `Osteocom sandbox: ${url} (client ${sandbox.clientId}, state in ${path.relative(ROOT, stateFile)}); control API ${origin}/__sandbox with header ${CONTROL_TOKEN_HEADER}: ${sandbox.controlToken}\n`
  );
  return sandbox;
};

const main = async () => {
  // No admin panel build (1.5 to 3 minutes here): `strapi develop` serves it through Vite's dev server.
  const { pluginMs } = buildIfNeeded({ adminPanel: false });
  process.stdout.write(`plugin bundles: ${pluginMs === null ? 'up to date' : `built in ${(pluginMs / 1000).toFixed(1)} s`}\n`);
  const sandbox = await startSandbox();
  // Strapi's own CLI in a child (no npx or shell between): a signal sent here reaches it.
  const cli = path.join(path.dirname(require.resolve('@strapi/strapi/package.json')), 'bin', 'strapi.js');
  // In a process group of its own: `strapi develop` forks a worker (and Vite an esbuild service),
  // and the whole group is stopped, not only the process this script started.
  const strapi = spawn(process.execPath, [cli, 'develop', '--no-install-deps'], {
    cwd: appDir(),
    stdio: 'inherit',
    env: process.env,
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-strapi.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-strapi.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    signalGroup('SIGTERM');
    setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  strapi.on('exit', async (code, signal) => {
    // The worker may outlive the primary: the group goes with it, killed if it lingers.
    signalGroup('SIGTERM');
    for (const deadline = Date.now() + STOP_GRACE_MS; groupAlive() && Date.now() < deadline; ) await sleep(200);
    signalGroup('SIGKILL');
    await sandbox?.close();
    process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });
};

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
