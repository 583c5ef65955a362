/**
 * `npm start` (scripts/start.ts) stopped by its pid stops its children too (issue 27): after
 * SIGTERM or SIGINT to the script alone, neither Strapi's port nor the sandbox's answers. The
 * playground's CSP lets the admin show the sandbox's cover images.
 *
 * Slow (a Strapi boot per signal): in the e2e project, which `npm run test:e2e` builds for first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '../..');
/** A boot of `strapi develop` on the loaded 2-core machine, Vite's dev server included. */
const BOOT_MS = 300_000;
const TEST_MS = BOOT_MS + 60_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm start (scripts/start.ts)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    output = '';
    // The script's own sandbox, not one a variable points to.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !['OSTEOCOM_BASE_URL', 'PLAYGROUND_OSTEOCOM_CONFIG', 'PLAYGROUND_MEDIA_ORIGIN'].includes(name))
    );
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...inherited,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        SANDBOX_PORT: String(sandboxPort),
        // Its own database and sandbox state, not the playground's.
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: path.join(dir, 'data.db'),
        SANDBOX_STATE_FILE: path.join(dir, 'sandbox.json'),
        OSTEOCOM_PLAYGROUND_DIR: playground,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      'Strapi to answer /_health',
      async () => (await fetch(`http://127.0.0.1:${port}/_health`).catch(() => undefined))?.status === 204,
      { timeoutMs: BOOT_MS, intervalMs: 500 }
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-3000)}`);
    });
    return { port, sandboxPort, child };
  };

  const stopped = (process: ChildProcess) =>
    new Promise<number | null>((resolve) => (process.exitCode !== null ? resolve(process.exitCode) : process.once('exit', (code) => resolve(code))));

  let playground: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-start-'));
    // `strapi develop` empties and rewrites its app's dist/, which the suites running beside this
    // one (another lane of `npm test`) boot from: it runs on a copy, under the repository so the
    // copy still finds the plugin and node_modules above it.
    const cache = path.join(ROOT, '.cache');
    fs.mkdirSync(cache, { recursive: true });
    playground = fs.mkdtempSync(path.join(cache, 'start-script-playground-'));
    const skipped = new Set(['dist', '.tmp', '.strapi', 'node_modules', 'types']);
    fs.cpSync(path.join(ROOT, 'playground'), playground, { recursive: true, filter: (source) => !skipped.has(path.relative(path.join(ROOT, 'playground'), source).split(path.sep)[0]) });
  });

  afterEach(async () => {
    // A failed test must not leave its children behind: the script stops them on SIGTERM.
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await stopped(child);
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(playground, { recursive: true, force: true });
  });

  /** The playground's content security policy lets the admin show the sandbox's cover images. */
  const expectCoversAllowed = async (port: number, sandboxPort: number) => {
    const csp = (await fetch(`http://127.0.0.1:${port}/admin`)).headers.get('content-security-policy') ?? '';
    const images = csp.split(';').find((directive) => directive.trim().startsWith('img-src')) ?? '';
    expect(images).toContain(`http://127.0.0.1:${sandboxPort}`);
    const cover = await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/media/covers/some-channel.jpg`);
    expect([cover.status, cover.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  };

  // One boot per signal (a boot of `strapi develop` is the slow part): each also checks the CSP.
  it.each(['SIGTERM', 'SIGINT'] as const)("%s to the script alone closes Strapi and the sandbox; the admin may show the sandbox's covers", async (signal) => {
    const { port, sandboxPort, child: script } = await start();
    expect([await listening(port), await listening(sandboxPort)]).toEqual([true, true]);
    await expectCoversAllowed(port, sandboxPort);
    process.kill(script.pid!, signal);
    expect(await stopped(script)).toBe(0);
    await waitFor('both ports closed', async () => !(await listening(port)) && !(await listening(sandboxPort)), { timeoutMs: 30_000 });
  }, TEST_MS);
});
