import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { generateCatalog, type CatalogSize, type SandboxChannel } from './catalog';
import { FaultQueue, type FaultRule, type SandboxEndpoint } from './faults';
import { SandboxState, type ApiError, type SandboxCustomer } from './state';

export interface SandboxOptions {
  clientId?: string;
  clientSecret?: string;
  basePath?: string;
  catalog?: CatalogSize | SandboxChannel[];
  bearerTtlSeconds?: number;
  videoTokenTtlSeconds?: number;
  latencyMs?: number;
  jwtSecret?: string;
}

export interface RecordedRequest {
  endpoint: SandboxEndpoint;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  at: Date;
  durationMs: number;
}

const ENDPOINTS: Record<string, SandboxEndpoint> = {
  contentLicensing_login: 'login',
  contentLicensing_catalog: 'catalog',
  contentLicensing_contentAccessAuthorization: 'contentAccessAuthorization',
  contentLicensing_videoAccess: 'videoAccess',
  contentLicensing_revocateActivation: 'revocateActivation',
};

const MAX_API_BODY = 1_000_000;
/** The control API may replace a whole 100,000-video catalog. */
const MAX_CONTROL_BODY = 512_000_000;

const readBody = (req: IncomingMessage, limit = MAX_API_BODY) =>
  new Promise<string>((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const sleep = (ms: number, timers: Set<NodeJS.Timeout>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const isError = (value: object): value is ApiError => 'status' in value && 'error' in value;

export const createSandbox = (options: SandboxOptions = {}) => {
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret ?? 'sandbox-secret';
  const basePath = options.basePath ?? '/sv6';
  const initialCatalog = Array.isArray(options.catalog)
    ? options.catalog
    : generateCatalog(options.catalog ?? { channels: 12, videosPerChannel: 8 });
  const stateOptions = {
    clientId,
    clientSecret,
    jwtSecret: options.jwtSecret ?? randomBytes(32).toString('hex'),
    bearerTtlSeconds: options.bearerTtlSeconds ?? 3600,
    videoTokenTtlSeconds: options.videoTokenTtlSeconds ?? 900,
  };
  let state = new SandboxState(stateOptions, structuredClone(initialCatalog));
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = options.latencyMs ?? 0;
  let port = 0;

  const answer = (endpoint: SandboxEndpoint, req: IncomingMessage, body: Record<string, unknown>): { status: number; body: unknown } => {
    if (endpoint === 'login') return wrap(state.login(body));
    if (!state.authorized(req.headers.authorization, body)) return { status: 401, body: { error: 'Not Authorized' } };
    if (endpoint === 'catalog') return { status: 200, body: { catalog: state.catalog } };
    if (endpoint === 'contentAccessAuthorization') return wrap(state.authorize(body));
    if (endpoint === 'videoAccess') return wrap(state.videoAccess(body));
    return wrap(state.revoke(body));
  };

  const wrap = (result: object) => (isError(result) ? { status: result.status, body: { error: result.error } } : { status: 200, body: result });

  /** Applies an injected fault; true when the fault already answered (or dropped) the request. */
  const applyFault = async (rule: FaultRule, res: ServerResponse, record: (status: number) => void) => {
    if (rule.latencyMs) await sleep(rule.latencyMs, timers);
    if (rule.hang) {
      record(0);
      return true;
    }
    if (rule.reset) {
      record(0);
      res.socket?.destroy();
      return true;
    }
    const headers: Record<string, string> = rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {};
    if (rule.body !== undefined) {
      res.writeHead(rule.status ?? 200, { 'Content-Type': 'text/html', ...headers });
      res.end(rule.body);
      record(rule.status ?? 200);
      return true;
    }
    if (rule.json !== undefined || rule.status !== undefined) {
      sendJson(res, rule.status ?? 200, rule.json ?? { error: 'Injected fault' }, headers);
      record(rule.status ?? 200);
      return true;
    }
    return false;
  };

  const handleApi = async (endpoint: SandboxEndpoint, req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = raw;
    }
    const record = (status: number) =>
      requests.push({ endpoint, path: req.url ?? '', headers: { ...req.headers }, body, status, at: new Date(started), durationMs: Date.now() - started });
    if (latencyMs) await sleep(latencyMs, timers);
    const rule = faults.take(endpoint);
    if (rule && (await applyFault(rule, res, record))) return;
    if (req.method !== 'POST') {
      record(405);
      return sendJson(res, 405, { error: 'Method Not Allowed' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      record(400);
      return sendJson(res, 400, { error: 'Body must be a JSON object' });
    }
    const result = answer(endpoint, req, body as Record<string, unknown>);
    record(result.status);
    sendJson(res, result.status, result.body);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const route = `${req.method} ${url.pathname.replace(/^\/__sandbox/, '')}`;
    const json = async () => JSON.parse((await readBody(req, MAX_CONTROL_BODY)) || '{}') as unknown;
    const player = /^GET \/player\/([^/]+)$/.exec(route);
    if (player) {
      const claims = state.verifyVideoToken(url.searchParams.get('token') ?? '');
      const videoId = decodeURIComponent(player[1]);
      if (!claims || claims.videoId !== videoId) return sendJson(res, 401, { error: 'Not Authorized' });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><title>Osteocom sandbox player</title><h1>Playing ${videoId.replace(/[^A-Za-z0-9_-]/g, '')}</h1>`);
    }
    switch (route) {
      case 'GET /health':
        return sendJson(res, 200, { ok: true });
      case 'GET /requests': {
        const endpoint = url.searchParams.get('endpoint');
        return sendJson(res, 200, requests.filter((r) => !endpoint || r.endpoint === endpoint));
      }
      case 'DELETE /requests':
        requests.length = 0;
        return sendJson(res, 200, { ok: true });
      case 'POST /faults':
        faults.add((await json()) as FaultRule);
        return sendJson(res, 200, { ok: true });
      case 'DELETE /faults':
        faults.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST /expire-tokens':
        state.expireAllTokens();
        return sendJson(res, 200, { ok: true });
      case 'POST /reset':
        sandbox.reset();
        return sendJson(res, 200, { ok: true });
      case 'PUT /catalog':
        state.catalog = (await json()) as SandboxChannel[];
        return sendJson(res, 200, { ok: true, channels: state.catalog.length });
      case 'PUT /latency':
        latencyMs = Number(((await json()) as { latencyMs?: number }).latencyMs ?? 0);
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: 'Not Found' });
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const handle = async () => {
      if (url.pathname.startsWith('/__sandbox/')) return handleControl(req, res, url);
      const name = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length + 1) : '';
      const endpoint = ENDPOINTS[name];
      if (!endpoint) return sendJson(res, 404, { error: 'Not Found' });
      return handleApi(endpoint, req, res);
    };
    handle().catch(() => {
      if (!res.headersSent) sendJson(res, 400, { error: 'Bad Request' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const sandbox = {
    clientId,
    clientSecret,
    requests,
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}${basePath}`;
    },
    get catalog() {
      return state.catalog;
    },

    listen(listenPort = 0, host = '127.0.0.1') {
      return new Promise<{ url: string; port: number }>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenPort, host, () => {
          port = (server.address() as { port: number }).port;
          resolve({ url: `http://${host}:${port}${basePath}`, port });
        });
      });
    },

    count: (endpoint?: SandboxEndpoint) => requests.filter((r) => !endpoint || r.endpoint === endpoint).length,
    clearRequests: () => void (requests.length = 0),
    inject: (rule: FaultRule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    expireAllTokens: () => state.expireAllTokens(),
    setLatency: (ms: number) => void (latencyMs = ms),
    setCatalog: (channels: SandboxChannel[]) => void (state.catalog = channels),
    updateChannel(idChannel: string, patch: Partial<SandboxChannel>) {
      state.catalog = state.catalog.map((channel) => (channel.idChannel === idChannel ? { ...channel, ...patch } : channel));
    },
    removeChannel(idChannel: string) {
      state.catalog = state.catalog.filter((channel) => channel.idChannel !== idChannel);
    },
    addChannel: (channel: SandboxChannel) => void (state.catalog = [...state.catalog, channel]),
    verifyVideoToken: (token: string) => state.verifyVideoToken(token),
    customer: (userId: string): SandboxCustomer | undefined => state.customers.get(userId),

    reset() {
      state = new SandboxState(stateOptions, structuredClone(initialCatalog));
      faults.clear();
      requests.length = 0;
    },

    /** Closes the server and every open or hung connection at once. */
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return sandbox;
};

export type Sandbox = ReturnType<typeof createSandbox>;
