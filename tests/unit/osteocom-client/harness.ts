import { createSandbox, type SandboxOptions } from '../../../sandbox/src';
import { OsteocomError } from '../../../server/src/errors';
import type { TokenPolicy } from '../../../server/src/services/osteocom-client/bearer-token';
import { createOsteocomClient, type Connection, type OsteocomClient } from '../../../server/src/services/osteocom-client/index';
import type { HttpPolicy, Log } from '../../../server/src/services/osteocom-client/transport';

export type Sandbox = ReturnType<typeof createSandbox>;

export interface LogLine {
  level: keyof Log;
  message: string;
  meta?: object;
}

/** A logger that keeps every line, to assert on what was (and was not) logged. */
export const recordingLogger = () => {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, meta?: object) =>
    void lines.push({ level, message, meta });
  const log: Log = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
  };
  return { log, lines };
};

/** Small backoffs keep the suite fast; each test overrides what it exercises. */
export const FAST_HTTP: HttpPolicy = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  backoffBaseMs: 5,
  backoffMaxMs: 50,
};
export const TOKEN: TokenPolicy = { refreshMarginSeconds: 60, fallbackTtlSeconds: 300 };

export const startSandbox = async (options: SandboxOptions = {}) => {
  const sb = createSandbox({ catalog: { channels: 4, videosPerChannel: 3 }, ...options });
  const { url } = await sb.listen();
  return { sb, url };
};

export interface ClientSetup {
  connection?: Partial<Connection>;
  getConnection?: () => Connection | Promise<Connection>;
  http?: Partial<HttpPolicy>;
  token?: Partial<TokenPolicy>;
  log?: Log;
}

/** Clients made by `makeClient`, destroyed by `destroyClients` (afterEach). */
const clients: OsteocomClient[] = [];

export const makeClient = (url: string, setup: ClientSetup = {}) => {
  const connection: Connection = {
    environment: 'test',
    baseUrl: url,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-secret',
    ...setup.connection,
  };
  const recorder = recordingLogger();
  const client = createOsteocomClient({
    getConnection: setup.getConnection ?? (() => connection),
    http: () => ({ ...FAST_HTTP, ...setup.http }),
    token: () => ({ ...TOKEN, ...setup.token }),
    log: setup.log ?? recorder.log,
  });
  clients.push(client);
  return { client, lines: recorder.lines };
};

export const destroyClients = () => {
  for (const client of clients.splice(0)) client.destroy();
};

/** The rejection of `promise`, which must be an OsteocomError. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<OsteocomError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OsteocomError);
    return error as OsteocomError;
  }
  throw new Error('expected the call to reject');
};

/** How long `run` took, with its value or its error. */
export const elapsed = async <T>(
  run: () => Promise<T>
): Promise<{ value?: T; error?: unknown; ms: number }> => {
  const started = Date.now();
  const result = await run().then(
    (value) => ({ value }),
    (error: unknown) => ({ error })
  );
  return { ...result, ms: Date.now() - started };
};

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const waitFor = async (condition: () => boolean, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(5);
  }
};

export const statuses = (sb: Sandbox, endpoint?: Parameters<Sandbox['count']>[0]) =>
  sb.requests
    .filter((request) => !endpoint || request.endpoint === endpoint)
    .map((request) => request.status);
