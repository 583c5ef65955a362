import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateCatalog, type CatalogSize, type SandboxChannel } from './catalog';
import { CONTROL_PREFIX, handleControl } from './control';
import { ENDPOINTS, FaultQueue, type FaultRule, type SandboxEndpoint } from './faults';
import {
  fail,
  isRecord,
  NOT_AUTHORIZED,
  parseJson,
  readBody,
  send,
  type Parsed,
  type Reply,
} from './http';
import {
  adoptCatalog,
  SandboxState,
  type SandboxAccount,
  type SandboxCustomer,
  type SandboxSnapshot,
  type VideoTokenClaims,
} from './state';

export interface SandboxOptions {
  /** Default 'sandbox-client'. */
  clientId?: string;
  /** Default 'sandbox-secret'. */
  clientSecret?: string;
  /** Default '/sv6', as Osteocom's base URLs. */
  basePath?: string;
  /** Channels to serve, or the size of a generated catalog; default 12 channels × 8 videos. */
  catalog?: CatalogSize | SandboxChannel[];
  /** Lifetime of a bearer (its JWT exp); default 3600. */
  bearerTtlSeconds?: number;
  /** Lifetime of a video token (its exp and `expiresIn`); default 900. */
  videoTokenTtlSeconds?: number;
  /** Added before every answer of the five endpoints; default 0. */
  latencyMs?: number;
  /** Signs every token; default random per instance. */
  jwtSecret?: string;
  /** The account-level switch of the reference; see SandboxAccount. Default false. */
  marketingConsentEnabled?: boolean;
  /** Serve the control API under /__sandbox (default true); the player is served either way. */
  control?: boolean;
  /** The X-Sandbox-Control-Token the control API requires (at least 16 characters); default random. */
  controlToken?: string;
  /**
   * A JSON file keeping the customers, the account and the signing secret across restarts:
   * read at creation when it exists, written after every change. Default: nothing is kept.
   */
  stateFile?: string;
}

export interface RecordedRequest {
  endpoint: SandboxEndpoint;
  path: string;
  /** Lower-cased, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON (null when over the size limit). */
  body: unknown;
  /** 0 when the sandbox never answered (an injected hang or reset). */
  status: number;
  at: Date;
  durationMs: number;
}

export interface Sandbox {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly basePath: string;
  /** The base URL including basePath, e.g. http://127.0.0.1:4010/sv6 ('' before listen). */
  readonly url: string;
  readonly port: number;
  /** What every control request must send as X-Sandbox-Control-Token; undefined without the control API. */
  readonly controlToken: string | undefined;
  /** The account's configuration at Osteocom (a copy). */
  readonly account: SandboxAccount;
  setAccount(account: SandboxAccount): void;
  /** Every request to the five endpoints, oldest first. */
  readonly requests: RecordedRequest[];
  /** The channels served now; read-only (frozen), change them with the methods below. */
  readonly catalog: SandboxChannel[];
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  count(endpoint?: SandboxEndpoint): number;
  /** Requests received and not answered yet (a latency or a hang holds them), to make answers cross. */
  inFlight(endpoint?: SandboxEndpoint): number;
  /** Lets every request held by a `hold` fault go on; returns how many were held. */
  release(): number;
  clearRequests(): void;
  /** Queues a fault; the rules for an endpoint are consumed in order. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Every bearer issued so far answers 401 from now on; later ones work. */
  expireAllTokens(): void;
  setCatalog(channels: SandboxChannel[]): void;
  updateChannel(idChannel: string, patch: Partial<SandboxChannel>): void;
  removeChannel(idChannel: string): void;
  addChannel(channel: SandboxChannel): void;
  /** The claims of a video token the sandbox accepts (signed by it, not expired), else null. */
  verifyVideoToken(token: string): VideoTokenClaims | null;
  /** A copy of the sandbox's record of a customer. */
  customer(userId: string): SandboxCustomer | undefined;
  /** Customers, tokens, faults, recorded requests, the account and the catalog back to how they started. */
  reset(): void;
  /** Stops listening and destroys every connection, hung ones included. */
  close(): Promise<void>;
}

const MAX_API_BODY = 1024 * 1024;

const endpointPaths = (basePath: string) =>
  new Map(ENDPOINTS.map((endpoint) => [`${basePath}/contentLicensing_${endpoint}`, endpoint]));

const normalizeBasePath = (basePath: string) => {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
};

/** A host clients can reach: a wildcard bind is reached over loopback, IPv6 needs brackets. */
const reachableHost = (host: string) => {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

const MIN_CONTROL_TOKEN = 16;

const controlTokenOf = (options: SandboxOptions) => {
  if (options.control === false) return undefined;
  const token = options.controlToken ?? randomBytes(24).toString('base64url');
  if (token.length < MIN_CONTROL_TOKEN)
    throw new Error(`The sandbox control token must have at least ${MIN_CONTROL_TOKEN} characters`);
  return token;
};

interface StateFile extends SandboxSnapshot {
  jwtSecret: string;
}

const readStateFile = (file: string): StateFile | undefined => {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
  } catch (error) {
    throw new Error(`The sandbox state file ${file} cannot be read (${(error as Error).message}): delete it to start empty`);
  }
};

/** Written aside, then renamed: a crash mid-write leaves the previous file whole. */
const writeStateFile = (file: string, content: StateFile) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(content));
  fs.renameSync(`${file}.tmp`, file);
};

export const createSandbox = (options: SandboxOptions = {}): Sandbox => {
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret ?? 'sandbox-secret';
  const basePath = normalizeBasePath(options.basePath ?? '/sv6');
  const latencyMs = options.latencyMs ?? 0;
  const saved = options.stateFile ? readStateFile(options.stateFile) : undefined;
  const stateOptions = {
    clientId,
    clientSecret,
    jwtSecret: options.jwtSecret ?? saved?.jwtSecret ?? randomBytes(32).toString('hex'),
    bearerTtlSeconds: options.bearerTtlSeconds ?? 3600,
    videoTokenTtlSeconds: options.videoTokenTtlSeconds ?? 900,
    account: { marketingConsentEnabled: options.marketingConsentEnabled ?? false },
  };
  const controlToken = controlTokenOf(options);
  const catalogOption = options.catalog ?? { channels: 12, videosPerChannel: 8 };
  let state = new SandboxState(
    stateOptions,
    Array.isArray(catalogOption) ? catalogOption : adoptCatalog(generateCatalog(catalogOption))
  );
  if (saved) state.restore(saved);
  // Frozen by the state, so reset() can reuse it as is.
  const initialCatalog = state.catalog;
  const save = () => {
    if (options.stateFile) writeStateFile(options.stateFile, { jwtSecret: stateOptions.jwtSecret, ...state.snapshot() });
  };
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const received: SandboxEndpoint[] = [];
  const paths = endpointPaths(basePath);
  const timers = new Set<NodeJS.Timeout>();
  /** Requests a `hold` fault keeps until release(). */
  const held: (() => void)[] = [];
  let origin = '';
  let port = 0;

  /** A delay close() can cancel: the request waiting on it is dropped with its socket. */
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** The real answer; `parsed` is undefined when the body was over the size limit. */
  const answer = (
    endpoint: SandboxEndpoint,
    req: IncomingMessage,
    parsed: Parsed | undefined
  ): Reply => {
    if (parsed === undefined) return fail(413, 'Body too large');
    if (!parsed.ok || !isRecord(parsed.value)) return fail(400, 'Body must be a JSON object');
    const body = parsed.value;
    if (endpoint === 'login') return state.login(body);
    if (!state.authorized(req.headers.authorization, body)) return NOT_AUTHORIZED;
    if (endpoint === 'catalog') return state.catalogResponse();
    if (endpoint === 'contentAccessAuthorization') return state.authorize(body);
    if (endpoint === 'videoAccess') return state.videoAccess(body);
    return state.revoke(body);
  };

  /** What the fault makes of `real` (the real answer, computed lazily); 'dropped' when nothing is sent. */
  const applyFault = async (
    rule: FaultRule,
    req: IncomingMessage,
    real: () => Reply
  ): Promise<Reply | 'dropped'> => {
    // 'after': Osteocom has applied the request before anything goes wrong with the answer.
    const applied = rule.latencyPhase === 'after' ? real() : undefined;
    if (rule.hold) await new Promise<void>((resolve) => held.push(resolve));
    if (rule.latencyMs) await delay(rule.latencyMs);
    if (rule.hang) return 'dropped';
    if (rule.reset) {
      req.socket.resetAndDestroy();
      return 'dropped';
    }
    if (rule.body !== undefined)
      return { status: rule.status ?? 200, body: rule.body, type: 'text/html; charset=utf-8' };
    if (rule.json !== undefined || rule.status !== undefined)
      return {
        status: rule.status ?? 200,
        body: JSON.stringify(rule.json ?? { error: 'Injected fault' }),
      };
    const answered = applied ?? real();
    return rule.omit ? omitFields(answered, rule.omit) : answered;
  };

  /** The answer without the named top-level fields ('*': all of them); a non-object body is left as is. */
  const omitFields = (answered: Reply, fields: string[]): Reply => {
    const parsed = parseJson(answered.body);
    if (!parsed.ok || !isRecord(parsed.value)) return answered;
    const kept = fields.includes('*')
      ? {}
      : Object.fromEntries(Object.entries(parsed.value).filter(([key]) => !fields.includes(key)));
    return { ...answered, body: JSON.stringify(kept) };
  };

  const handleApi = async (
    endpoint: SandboxEndpoint,
    req: IncomingMessage,
    res: ServerResponse
  ) => {
    const started = Date.now();
    received.push(endpoint);
    res.once('close', () => received.splice(received.indexOf(endpoint), 1));
    const text = await readBody(req, MAX_API_BODY);
    const parsed = text === undefined ? undefined : parseJson(text);
    const body = parsed === undefined ? null : parsed.ok ? parsed.value : text;
    const record = (status: number) =>
      void requests.push({
        endpoint,
        path: req.url ?? '',
        headers: { ...req.headers },
        body,
        status,
        at: new Date(started),
        durationMs: Date.now() - started,
      });
    if (latencyMs) await delay(latencyMs);
    if (req.method !== 'POST') {
      send(res, fail(405, 'Method Not Allowed'), { Allow: 'POST' });
      return record(405);
    }
    const rule = faults.take(endpoint, body);
    const real = () => answer(endpoint, req, parsed);
    const result = rule ? await applyFault(rule, req, real) : real();
    if (result === 'dropped') return record(0);
    send(
      res,
      result,
      rule?.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) }
    );
    record(result.status);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      send(res, await handleControl(sandbox, req, url));
      if (req.method !== 'GET') save();
      return;
    }
    const endpoint = paths.get(url.pathname);
    if (!endpoint) return send(res, fail(404, 'Not Found'));
    await handleApi(endpoint, req, res);
    if (endpoint === 'contentAccessAuthorization' || endpoint === 'revocateActivation') save();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A sandbox bug must surface in the test that hit it, not as a hung request.
      if (res.headersSent) res.destroy();
      else send(res, fail(500, `Sandbox error: ${(error as Error).message}`));
    });
  });

  const sandbox: Sandbox = {
    clientId,
    clientSecret,
    basePath,
    controlToken,
    requests,
    get url() {
      return origin && `${origin}${basePath}`;
    },
    get port() {
      return port;
    },
    get catalog() {
      return state.catalog;
    },
    get account() {
      return state.account;
    },
    setAccount: (account) => state.setAccount(account),

    listen: (listenPort = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenPort, host, () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          origin = `http://${reachableHost(host)}:${port}`;
          resolve({ url: sandbox.url, port });
        });
      }),

    count: (endpoint) =>
      endpoint ? requests.filter((r) => r.endpoint === endpoint).length : requests.length,
    inFlight: (endpoint) => (endpoint ? received.filter((each) => each === endpoint).length : received.length),
    clearRequests: () => void requests.splice(0),
    release: () => {
      const released = held.splice(0);
      for (const resolve of released) resolve();
      return released.length;
    },
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    expireAllTokens: () => state.expireAllTokens(),
    setCatalog: (channels) => state.setCatalog(channels),
    updateChannel: (idChannel, patch) => state.updateChannel(idChannel, patch),
    removeChannel: (idChannel) => state.removeChannel(idChannel),
    addChannel: (channel) => state.addChannel(channel),
    verifyVideoToken: (token) => state.verifyVideoToken(token),
    customer: (userId) => state.customer(userId),

    reset() {
      state = new SandboxState(stateOptions, initialCatalog);
      faults.clear();
      requests.splice(0);
      save();
    },

    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // Keep-alive, in-flight and hung connections alike; server.close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
  return sandbox;
};
