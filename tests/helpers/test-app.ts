import type { AddressInfo } from 'node:net';
import { createStrapi, type Core } from '@strapi/strapi';
import supertest from 'supertest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/src';
import { createTestDatabase, type TestDatabase } from './database';
import { APP_DIR, APP_DIST_DIR } from './paths';

export interface TestApp {
  strapi: Core.Strapi;
  sandbox: Sandbox;
  database: TestDatabase;
  http: ReturnType<typeof supertest>;
  /** Listens on a free port of 127.0.0.1 and returns the base URL (the admin panel is at /admin). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  sandbox?: SandboxOptions;
  /** Merged over the test defaults and given to the plugin as its config/plugins.ts config. */
  pluginConfig?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Serve the built admin panel (playground/dist/build) at /admin, for browser tests. */
  serveAdminPanel?: boolean;
  /**
   * A fresh database with no rows at all, as a site's very first start (default: a copy of the
   * booted template, tests/helpers/template.ts — Strapi's first-start data, none of the plugin's).
   */
  firstStart?: boolean;
  /** Boot on this database instead of a fresh one (to restart on the same data); the caller drops it. */
  database?: TestDatabase;
  /** Talk to this sandbox, already listening, instead of a new one (a restart then keeps Osteocom's state); the caller closes it. */
  existingSandbox?: Sandbox;
  /**
   * Configure Strapi's email plugin with the test provider (tests/helpers/emails.ts `createMailbox().env`);
   * without it the playground has Strapi's default (no configured provider).
   */
  email?: Record<string, string>;
  /** Called with the new Strapi instance before it loads (register, bootstrap), e.g. to observe its logger. */
  beforeLoad?: (strapi: Core.Strapi) => void;
}

/**
 * Tests start from a known state: no sync at startup, and no scheduled sync or outbox pass firing
 * in the middle of a test (they run those explicitly); a test may turn them back on.
 */
const YEARLY = '0 0 1 1 *';
const TEST_PLUGIN_CONFIG = { sync: { onStartup: false, enabled: false }, outbox: { cron: YEARLY }, reminders: { cron: YEARLY } };

const deepMerge = (base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
};

const applyEnv = (values: Record<string, string | undefined>) => {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
};

/**
 * Boots the real playground Strapi (plugin from source) on a fresh database, against an
 * in-process sandbox on a random port. Call once per test file.
 */
export const startTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  const ownsSandbox = !options.existingSandbox;
  const sandbox = options.existingSandbox ?? createSandbox(options.sandbox);
  const url = ownsSandbox ? (await sandbox.listen()).url : sandbox.url;
  const ownsDatabase = !options.database;
  const database = options.database ?? (await createTestDatabase(undefined, { firstStart: options.firstStart }));
  applyEnv({
    NODE_ENV: 'test',
    // Every reply is parsed with its route's contract (server/src/utils/route.ts): drift fails the test.
    OSTEOCOM_VALIDATE_REPLIES: '1',
    OSTEOCOM_BASE_URL: url,
    OSTEOCOM_CLIENT_ID: sandbox.clientId,
    OSTEOCOM_CLIENT_SECRET: sandbox.clientSecret,
    OSTEOCOM_ENV: undefined,
    OSTEOCOM_ENCRYPTION_KEY: 'test-encryption-key-0123456789',
    PLAYGROUND_OSTEOCOM_CONFIG: JSON.stringify(deepMerge(TEST_PLUGIN_CONFIG, options.pluginConfig ?? {})),
    ...database.env,
    PLAYGROUND_EMAIL_PROVIDER: undefined,
    PLAYGROUND_EMAIL_OPTIONS: undefined,
    ...options.email,
    ...options.env,
  });
  let strapi: Core.Strapi;
  try {
    const created = createStrapi({ appDir: APP_DIR, distDir: APP_DIST_DIR, autoReload: false, serveAdminPanel: options.serveAdminPanel ?? false });
    options.beforeLoad?.(created);
    strapi = await created.load();
  } catch (error) {
    if (ownsSandbox) await sandbox.close();
    if (ownsDatabase) await database.drop();
    throw error;
  }
  await strapi.server.mount();
  return {
    strapi,
    sandbox,
    database,
    http: supertest(strapi.server.httpServer),
    async listen() {
      const server = strapi.server.httpServer;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        strapi.server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await strapi.destroy();
      if (ownsSandbox) await sandbox.close();
      if (ownsDatabase) await database.drop();
    },
  };
};
