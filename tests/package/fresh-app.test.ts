/**
 * What a site owner does: `npm pack` the plugin, create a Strapi 5 app from scratch with
 * create-strapi-app (not the playground), install the tarball into it, and use it — sync from
 * the sandbox (the package's own `osteocom-sandbox` bin), authorize an end user with an API
 * token, get a video token that the sandbox player accepts, revoke. Also checks the package's
 * contents, its types from a consumer's TypeScript, and the routes in
 * @strapi/plugin-documentation's generated spec. Replies are checked against openapi.json.
 *
 * The app starts with `tsc` + `strapi start` and no admin panel build (a minute and 2 GB saved;
 * the admin bundle is built and tested elsewhere). npm installs `--prefer-offline` from the cache.
 *
 * Env: OSTEOCOM_PACKAGE_SKIP_BUILD=1 uses the current dist/ (npm test builds just before);
 * KEEP_FRESH_APP=1 keeps the temp directory for a look.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readSpec, schemaValidator } from './spec';

const ROOT_DIR = path.resolve(__dirname, '../..');
const STRAPI_VERSION = '5.54.0';
const SANDBOX_CLIENT = { id: 'sandbox-client', secret: 'sandbox-secret' };
const MINUTE = 60_000;

// A project's `testTimeout` is not applied per project by jest: set it here.
jest.setTimeout(2 * MINUTE);

const timings: [string, number][] = [];

/**
 * npm settings worth passing on (a custom cache or registry, the Node headers when `npm test` runs
 * this suite on another Node); the rest of npm_* describes the parent run.
 */
const NPM_SETTINGS_KEPT = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_nodedir']);

/** The child's environment: no npm/jest leftovers from the parent run (npm_config_local_prefix would point npm at this repo), no telemetry. */
const childEnv = (extra: Record<string, string> = {}) => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === 'NODE_ENV' || key.startsWith('JEST_') || key.startsWith('OSTEOCOM_')) continue;
    if (/^npm_/i.test(key) && !NPM_SETTINGS_KEPT.has(key.toLowerCase())) continue;
    env[key] = value;
  }
  return { ...env, STRAPI_TELEMETRY_DISABLED: 'true', ...extra };
};

/** Runs a command to completion, its output kept for the failure message; times it. */
const run = async (title: string, command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: Record<string, string> }) => {
  const started = Date.now();
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => ((output += chunk.toString()), (stdout += chunk.toString())));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  timings.push([title, Date.now() - started]);
  if (code !== 0) throw new Error(`${title} failed (exit ${code}):\n${output.slice(-4000)}`);
  return stdout;
};

/** Starts a long-running process; its output goes to a log file in the temp directory (stdout is also readable). */
const start = (command: string, args: string[], options: { cwd: string; env?: Record<string, string>; log: string }) => {
  const log = fs.openSync(options.log, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  child.stdout!.pipe(fs.createWriteStream(options.log, { flags: 'a' }));
  return child;
};

const stop = async (child: ChildProcess | undefined) => {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SQLITE_PACKAGE = path.join(ROOT_DIR, 'node_modules', 'better-sqlite3');
/** The better-sqlite3 this repository is tested with: the app gets the same. */
const SQLITE_VERSION = (JSON.parse(fs.readFileSync(path.join(SQLITE_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The app's better-sqlite3 installer (prebuild-install) looks for a prebuilt binary in a local
 * directory (npm_config_better_sqlite3_local_prebuilds) before GitHub's releases, which are out of
 * reach here, and compiles from source when it finds none: about 65 s of CPU. That directory gets
 * the binary this checkout's npm install built, for the same version and this Node's ABI, packed
 * as a prebuild; anything else finds nothing there and is compiled as before.
 */
const localPrebuilds = async (work: string) => {
  const dir = path.join(work, 'prebuilds');
  fs.mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${SQLITE_VERSION}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('pack better-sqlite3 prebuild', 'tar', ['czf', path.join(dir, name), 'build/Release/better_sqlite3.node'], { cwd: SQLITE_PACKAGE, timeoutMs: MINUTE });
  return { npm_config_better_sqlite3_local_prebuilds: dir };
};

/**
 * A site owner's plugin config: everything from the environment. Declared first, so the plugin
 * bootstraps before users-permissions has created its roles on the new database (as it does
 * when a site declares only `osteocom`): its default grants must still land.
 */
/** Merged into the generated config/plugins.ts, typed as the README shows (the import goes on top). */
const OSTEOCOM_CONFIG_IMPORT = "import type { OsteocomPluginConfig } from 'strapi-plugin-osteocom/types';\n";
const OSTEOCOM_CONFIG = `  osteocom: {
    enabled: true,
    config: {
      baseUrl: env('OSTEOCOM_BASE_URL'),
      clientId: env('OSTEOCOM_CLIENT_ID'),
      clientSecret: env('OSTEOCOM_CLIENT_SECRET'),
    } satisfies OsteocomPluginConfig,
  },
  documentation: { enabled: true },
`;

/** A site developer's code against the package's types, compiled by the app's own TypeScript. */
const CONSUMER_TS = `import type {
  AuthorizationRequest,
  AuthorizationResponse,
  ChannelListResponse,
  ChannelResponse,
  ErrorCode,
  MeResponse,
  OsteocomErrorResponse,
  RevocationRequest,
  VideoTokenResponse,
} from 'strapi-plugin-osteocom/types';

export const playerToken = (reply: VideoTokenResponse): { token: string; expiresAt: Date } => ({
  token: reply.data.token,
  expiresAt: new Date(reply.data.expiresAt),
});

export const explain = (reply: OsteocomErrorResponse): string => {
  const code: ErrorCode = reply.error.details.code;
  return code === 'NOT_ENTITLED' ? 'Buy the course first.' : reply.error.message;
};

export const firstVideo = (reply: ChannelListResponse | ChannelResponse): string | undefined =>
  (Array.isArray(reply.data) ? reply.data[0] : reply.data)?.videos[0]?.videoId;

export const myChannels = (reply: MeResponse): string[] =>
  reply.data.entitlements.filter((entitlement) => entitlement.status === 'active').map((entitlement) => entitlement.channelId);

export const isPending = (reply: AuthorizationResponse): boolean => reply.data.state === 'pending';

export const purchase: AuthorizationRequest = { userId: 'u1', email: 'ann@example.com', products: [{ productId: 'c1' }] };
export const refund: RevocationRequest = { userId: 'u1', channelId: 'c1' };

// @ts-expect-error not one of the stable codes: proves ErrorCode is a real union, not any
export const notACode: ErrorCode = 'NOT_A_CODE';
`;

/** A site's own server code calling the plugin in-process (README, "Calling the plugin from your own code"), compiled by the app's TypeScript. */
const SERVER_CONSUMER_TS = `import type { Core } from '@strapi/strapi';
import type { OsteocomAccessService, OsteocomCatalogService, OsteocomVideoTokenService } from 'strapi-plugin-osteocom/types';

export const grantAfterPayment = async (strapi: Core.Strapi, userId: string, productId: string): Promise<'active' | 'pending' | 'partial' | 'revoked'> => {
  const { state } = await strapi.plugin('osteocom').service<OsteocomAccessService>('access').authorize({ userId, email: 'ann@example.com', products: [{ productId }] });
  return state;
};

export const refund = (strapi: Core.Strapi, userId: string, channelId: string) =>
  strapi.plugin('osteocom').service<OsteocomAccessService>('access').revoke({ userId, channelId });

export const playerToken = async (strapi: Core.Strapi, userId: string, videoId: string): Promise<string> =>
  (await strapi.plugin('osteocom').service<OsteocomVideoTokenService>('video-token').issue({ userId, videoId })).token;

export const firstPage = async (strapi: Core.Strapi): Promise<string[]> =>
  (await strapi.plugin('osteocom').service<OsteocomCatalogService>('catalog').listPublic({ pageSize: 10 })).results.map((channel) => channel.title);

// @ts-expect-error products is required: proves the call is checked against the published types, not any
export const noProducts = (strapi: Core.Strapi) => strapi.plugin('osteocom').service<OsteocomAccessService>('access').authorize({ userId: 'u1' });
`;

interface Http {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

describe('the packed plugin in a Strapi 5 app made from scratch', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-fresh-app-'));
  const appDir = path.join(work, 'app');
  let tarball = '';
  let packedFiles: string[] = [];
  let strapi: ChildProcess | undefined;
  let sandbox: ChildProcess | undefined;
  let baseUrl = '';
  let sandboxOrigin = '';
  let check: Awaited<ReturnType<typeof schemaValidator>>;
  const wallStart = Date.now();

  const http = async (method: string, route: string, options: { token?: string; body?: unknown } = {}): Promise<Http> => {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body, headers: res.headers };
  };

  const conforms = (schema: string, reply: Http) => expect({ schema, errors: check(schema, reply.body) }).toEqual({ schema, errors: [] });

  beforeAll(async () => {
    check = await schemaValidator();

    if (process.env.OSTEOCOM_PACKAGE_SKIP_BUILD !== '1') {
      await run('plugin build', 'npm', ['run', 'build'], { cwd: ROOT_DIR, timeoutMs: 5 * MINUTE });
    }
    const packed = JSON.parse(await run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT_DIR, timeoutMs: 2 * MINUTE })) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, packed[0].filename);
    packedFiles = packed[0].files.map((file) => file.path);

    await run('create-strapi-app', 'npx', ['-y', `create-strapi-app@${STRAPI_VERSION}`, appDir, '--non-interactive', '--skip-cloud', '--no-run', '--typescript', '--use-npm', '--no-example', '--no-git-init', '--dbclient=sqlite', '--no-install'], {
      cwd: work,
      timeoutMs: 5 * MINUTE,
    });

    // Strapi's own packages stop at 5.54.0 (a newer @strapi/strapi asks for missing versions); better-sqlite3 13 needs Node 22,
    // and the app takes the 12.x this repository is tested with (its prebuild, below).
    const manifestFile = path.join(appDir, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies)) {
      if (name.startsWith('@strapi/')) manifest.dependencies[name] = STRAPI_VERSION;
    }
    manifest.dependencies['better-sqlite3'] = SQLITE_VERSION;
    manifest.dependencies['@strapi/plugin-documentation'] = STRAPI_VERSION;
    manifest.dependencies['strapi-plugin-osteocom'] = `file:${tarball}`;
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    const pluginsFile = path.join(appDir, 'config', 'plugins.ts');
    const plugins = fs.readFileSync(pluginsFile, 'utf8');
    const anchor = /(=>\s*\(\{\n)/;
    if (!anchor.test(plugins)) throw new Error(`unexpected config/plugins.ts from create-strapi-app:\n${plugins}`);
    fs.writeFileSync(pluginsFile, OSTEOCOM_CONFIG_IMPORT + plugins.replace(anchor, `$1${OSTEOCOM_CONFIG}`));
    fs.writeFileSync(path.join(appDir, 'src', 'osteocom-client.ts'), CONSUMER_TS);
    fs.writeFileSync(path.join(appDir, 'src', 'osteocom-server.ts'), SERVER_CONSUMER_TS);

    const prebuilds = await localPrebuilds(work);
    await run('npm install (app)', 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: appDir, timeoutMs: 12 * MINUTE, env: prebuilds });
    await run('tsc (app)', path.join(appDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: appDir, timeoutMs: 3 * MINUTE });

    const sandboxStarted = Date.now();
    sandbox = start(path.join(appDir, 'node_modules', '.bin', 'osteocom-sandbox'), ['--port', '0'], { cwd: appDir, log: path.join(work, 'sandbox.log') });
    const sandboxUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      sandbox!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      sandbox!.once('exit', (code) => reject(new Error(`osteocom-sandbox exited (${code}): ${out}`)));
    });
    sandboxOrigin = new URL(sandboxUrl).origin;
    timings.push(['sandbox (package bin)', Date.now() - sandboxStarted]);

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const bootStarted = Date.now();
    strapi = start(path.join(appDir, 'node_modules', '.bin', 'strapi'), ['start'], {
      cwd: appDir,
      log: path.join(work, 'strapi.log'),
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        // The generated .env leaves DATABASE_FILENAME empty, which resolves to the app directory.
        DATABASE_FILENAME: '.tmp/data.db',
        OSTEOCOM_BASE_URL: sandboxUrl,
        OSTEOCOM_CLIENT_ID: SANDBOX_CLIENT.id,
        OSTEOCOM_CLIENT_SECRET: SANDBOX_CLIENT.secret,
      },
    });
    for (;;) {
      if (strapi.exitCode !== null) throw new Error(`strapi start exited (${strapi.exitCode}):\n${fs.readFileSync(path.join(work, 'strapi.log'), 'utf8').slice(-4000)}`);
      if (Date.now() - bootStarted > 2 * MINUTE) throw new Error('Strapi did not answer /_health within 2 minutes');
      const health = await fetch(`${baseUrl}/_health`).catch(() => undefined);
      if (health?.status === 204) break;
      await sleep(200);
    }
    timings.push(['strapi start → /_health', Date.now() - bootStarted]);
  }, 14 * MINUTE);

  afterAll(async () => {
    await stop(strapi);
    await stop(sandbox);
    const keep = process.env.KEEP_FRESH_APP === '1';
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
    timings.push(['total (incl. cleanup)', Date.now() - wallStart]);
    const lines = timings.map(([title, ms]) => `  ${title.padEnd(28)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
    console.log(`fresh-app timings:\n${lines.join('\n')}${keep ? `\n  kept in ${work}` : ''}`);
  }, 2 * MINUTE);

  it('packs the built server and admin, the sandbox bin, types, openapi.json, README and CHANGELOG, and no sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'openapi.json',
        'dist/server/index.js',
        'dist/server/index.mjs',
        'dist/admin/index.js',
        'dist/admin/index.mjs',
        'dist/sandbox/cli.js',
        'dist/server/src/types.d.ts',
        'strapi-server.js',
        'strapi-admin.js',
      ])
    );
    expect(packedFiles.filter((file) => /^(server|admin|sandbox|tests|playground|scripts|bench)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', 'strapi-plugin-osteocom', 'package.json'), 'utf8'));
    expect(manifest.strapi).toMatchObject({ kind: 'plugin', name: 'osteocom' });
    expect(manifest.peerDependencies['@strapi/strapi']).toMatch(/^\^5/);
  });

  it("compiles a site developer's code against strapi-plugin-osteocom/types (node, node16 and bundler resolution)", async () => {
    // moduleResolution "node" (the app's own tsconfig) compiled it in beforeAll; now the others, strict, with lib checks.
    expect(fs.existsSync(path.join(appDir, 'dist', 'src', 'osteocom-client.js'))).toBe(true);
    expect(fs.existsSync(path.join(appDir, 'dist', 'src', 'osteocom-server.js'))).toBe(true);
    for (const [module, moduleResolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      const tsconfig = path.join(appDir, `tsconfig.osteocom-${moduleResolution}.json`);
      fs.writeFileSync(
        tsconfig,
        JSON.stringify({ compilerOptions: { module, moduleResolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['src/osteocom-client.ts'] })
      );
      await run(`tsc (${moduleResolution} resolution)`, path.join(appDir, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: appDir, timeoutMs: 2 * MINUTE });
    }
  });

  let adminToken = '';
  let apiToken = '';
  let channel: { idChannel: string; videos: { videoId: string }[] };
  let otherChannel: { idChannel: string; videos: { videoId: string }[] };
  let user: { jwt: string; documentId: string };

  it('syncs the catalog from the sandbox (admin API, Sync now)', async () => {
    const registered = await http('POST', '/admin/register-admin', {
      body: { email: 'owner@example.com', password: 'Owner-Password-1', firstname: 'Site', lastname: 'Owner' },
    });
    expect(registered.status).toBe(200);
    adminToken = registered.body.data.token ?? registered.body.data.accessToken;

    let sync = await http('POST', '/osteocom/sync?wait=true', { token: adminToken });
    if (sync.status === 409) {
      // The startup sync got there first: wait for it.
      expect(sync.body.error.details.code).toBe('SYNC_ALREADY_RUNNING');
      for (let i = 0; i < 100; i += 1) {
        const runs = await http('GET', '/osteocom/sync-runs', { token: adminToken });
        sync = { ...runs, body: { data: runs.body.data[0] } };
        if (sync.body.data?.status !== 'running') break;
        await sleep(200);
      }
    }
    expect(sync.status).toBe(200);
    expect(sync.body.data).toMatchObject({ status: 'succeeded' });
  });

  it('serves the public catalog', async () => {
    const list = await http('GET', '/api/osteocom/channels?pageSize=100');
    expect(list.status).toBe(200);
    conforms('OsteocomChannelListResponse', list);
    expect(list.body.meta.pagination.total).toBe(12);
    [channel, otherChannel] = list.body.data;
    expect(channel.videos.length).toBeGreaterThan(0);

    const one = await http('GET', `/api/osteocom/channels/${channel.idChannel}`);
    expect(one.status).toBe(200);
    conforms('OsteocomChannelResponse', one);

    const missing = await http('GET', '/api/osteocom/channels/no-such-channel');
    expect(missing.status).toBe(404);
    conforms('OsteocomErrorResponse', missing);
    expect(missing.body.error.details.code).toBe('CHANNEL_NOT_FOUND');
  });

  it("authorizes a new end user from a shop back end's API token", async () => {
    const signup = await http('POST', '/api/auth/local/register', { body: { username: 'ann', email: 'ann@example.com', password: 'Ann-Password-1' } });
    expect(signup.status).toBe(200);
    user = { jwt: signup.body.jwt, documentId: signup.body.user.documentId };

    const token = await http('POST', '/admin/api-tokens', {
      token: adminToken,
      body: { name: 'shop', description: 'shop back end', type: 'custom', lifespan: null, permissions: ['plugin::osteocom.access.authorize', 'plugin::osteocom.access.revoke'] },
    });
    expect(token.status).toBe(201);
    apiToken = token.body.data.accessKey;

    const authorized = await http('POST', '/api/osteocom/authorizations', {
      token: apiToken,
      body: { userId: user.documentId, email: 'ann@example.com', products: [{ productId: channel.idChannel }] },
    });
    expect(authorized.status).toBe(200);
    conforms('OsteocomAuthorizationResponse', authorized);
    expect(authorized.body.data.state).toBe('active');

    const me = await http('GET', '/api/osteocom/me', { token: user.jwt });
    expect(me.status).toBe(200);
    conforms('OsteocomMeResponse', me);
    expect(me.body.data).toMatchObject({ userId: user.documentId, entitlements: [{ channelId: channel.idChannel, status: 'active' }] });
  });

  it('issues a video token that the sandbox player accepts', async () => {
    const videoId = channel.videos[0].videoId;
    const reply = await http('POST', '/api/osteocom/video-token', { token: user.jwt, body: { videoId } });
    expect(reply.status).toBe(200);
    conforms('OsteocomVideoTokenResponse', reply);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body.data).toMatchObject({ videoId, token: expect.any(String), expiresIn: expect.any(Number) });

    const player = await fetch(`${sandboxOrigin}/__sandbox/player/${encodeURIComponent(videoId)}?token=${encodeURIComponent(reply.body.data.token)}`);
    expect(player.status).toBe(200);
    const forged = await fetch(`${sandboxOrigin}/__sandbox/player/${encodeURIComponent(videoId)}?token=forged`);
    expect(forged.status).toBe(401);
  });

  it("refuses a channel the customer does not hold, in Strapi's error shape", async () => {
    const reply = await http('POST', '/api/osteocom/video-token', { token: user.jwt, body: { videoId: otherChannel.videos[0].videoId } });
    expect(reply.status).toBe(403);
    conforms('OsteocomErrorResponse', reply);
    expect(reply.body).toMatchObject({ data: null, error: { status: 403, name: 'ForbiddenError', details: { code: 'NOT_ENTITLED' } } });

    const anonymous = await http('POST', '/api/osteocom/video-token', { body: { videoId: channel.videos[0].videoId } });
    expect(anonymous.status).toBe(403);
    conforms('StrapiErrorResponse', anonymous);
  });

  it('revokes on a refund, and the video token stops at once', async () => {
    const revoked = await http('POST', '/api/osteocom/revocations', { token: apiToken, body: { userId: user.documentId, channelId: channel.idChannel } });
    expect(revoked.status).toBe(200);
    conforms('OsteocomRevocationResponse', revoked);
    expect(revoked.body.data.state).toBe('revoked');

    const reply = await http('POST', '/api/osteocom/video-token', { token: user.jwt, body: { videoId: channel.videos[0].videoId } });
    expect(reply.status).toBe(403);
    expect(reply.body.error.details.code).toBe('NOT_ENTITLED');
  });

  it("appears in @strapi/plugin-documentation's generated spec", async () => {
    const file = path.join(appDir, 'src', 'extensions', 'documentation', 'documentation', '1.0.0', 'full_documentation.json');
    const generated = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ours = readSpec();
    for (const [route, item] of Object.entries(ours.paths)) expect({ route, item: generated.paths[route] }).toEqual({ route, item });
    expect(Object.keys(generated.components.schemas)).toEqual(expect.arrayContaining(Object.keys(ours.components!.schemas!)));
    expect(generated.components.securitySchemes).toMatchObject(ours.components!.securitySchemes!);
    // The documentation plugin's own routes are still there: ours were added, nothing replaced.
    expect(Object.keys(generated.paths)).toEqual(expect.arrayContaining(['/auth/local', '/osteocom/video-token']));

    const page = await fetch(`${baseUrl}/documentation/v1.0.0`);
    expect(page.status).toBe(200);
  });
});
