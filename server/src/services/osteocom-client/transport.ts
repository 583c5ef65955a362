import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import axios from 'axios';
import type { OsteocomEnvironment } from '../../config/schema';
import { OsteocomError, isOsteocomError } from '../../errors';

/**
 * How the client reaches Osteocom: where it is (base URLs, the five paths), which hosts an admin
 * may point it at (the host guard), and one logical POST with a deadline, retries and backoff.
 */

// Where Osteocom is: the only place in the plugin that builds Osteocom URLs.

export const DEFAULT_BASE_URLS: Readonly<Record<OsteocomEnvironment, string>> = {
  test: 'https://test.osteocom.me/sv6',
  production: 'https://www.osteocom.me/sv6',
};

const ENDPOINT_PATHS = {
  login: 'contentLicensing_login',
  catalog: 'contentLicensing_catalog',
  contentAccessAuthorization: 'contentLicensing_contentAccessAuthorization',
  videoAccess: 'contentLicensing_videoAccess',
  revocateActivation: 'contentLicensing_revocateActivation',
} as const;

export type Endpoint = keyof typeof ENDPOINT_PATHS;

/** The environment's documented base URL unless an explicit one (a proxy, the sandbox) overrides it. */
export const resolveBaseUrl = (environment: OsteocomEnvironment, override?: string): string => {
  const base = override?.trim() || DEFAULT_BASE_URLS[environment];
  return base.replace(/\/+$/, '');
};

export const endpointUrl = (baseUrl: string, endpoint: Endpoint): string => `${baseUrl}/${ENDPOINT_PATHS[endpoint]}`;

// The host guard

/**
 * A base URL typed in the admin receives the client secret on the next login, so it may only
 * name a public HTTPS host: every address it resolves to must be outside the ranges below
 * (loopback, private, link-local, cloud metadata, multicast, reserved). An operator who needs a
 * local or plain-HTTP endpoint (the sandbox, a proxy) sets it in config/plugins.ts or the env.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127], // unspecified and loopback
  ['64:ff9b::', 96], // NAT64: likewise
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, incl. AWS metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/**
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) would reach any IPv4 address: refused whole. (Not a BlockList
 * subnet: BlockList also matches plain IPv4 addresses against it, which would refuse them all.)
 */
const IPV4_MAPPED = /^::ffff:/i;

export const isForbiddenAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && IPV4_MAPPED.test(address)) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/** Builds the refusal for one kind of admin-typed URL from the reason it fails. */
type Refusal = (reason: string) => OsteocomError;

const baseUrlRefusal =
  (status?: number): Refusal =>
  (reason) =>
    new OsteocomError(
      'BASE_URL_NOT_ALLOWED',
      `This base URL is not allowed: ${reason}. An admin may only set a public https:// address; a local or http:// one (the sandbox, a proxy) must come from config/plugins.ts or OSTEOCOM_BASE_URL.`,
      { status }
    );

const OSTEOCOM_ORIGINS = new Set(Object.values(DEFAULT_BASE_URLS).map((url) => new URL(url).origin));

/** Osteocom's own documented hosts (test, production): always allowed, never guarded. */
export const isOsteocomHost = (baseUrl: string): boolean => {
  try {
    return OSTEOCOM_ORIGINS.has(new URL(baseUrl).origin);
  } catch {
    return false;
  }
};

/** `[::1]` → `::1`: URL keeps the brackets of an IPv6 literal. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** What can be decided without DNS: the scheme, no credentials, and an IP literal's range. */
const checkShape = (value: string, refuse: Refusal): URL => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('it is not a URL');
  }
  if (url.protocol !== 'https:') throw refuse('only https:// is accepted');
  if (url.username || url.password) throw refuse('it must not carry a user name or password');
  const host = hostOf(url);
  if (isIP(host) && isForbiddenAddress(host)) throw refuse(`${host} is a loopback, private, link-local or reserved address`);
  return url;
};

/** What can be told without DNS, for a stored value read on every use: the reason it is refused, or null. */
export const publicHttpsShapeProblem = (value: string): string | null => {
  try {
    checkShape(value, (reason) => new OsteocomError('VALIDATION_ERROR', reason));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

type LookupAll = (hostname: string, options: LookupAllOptions) => Promise<LookupAddress[]>;

const lookupAll: LookupAll = (hostname, options) => dns.promises.lookup(hostname, options);

/**
 * An admin-typed URL names a public https host: every address its name resolves to now is outside
 * the forbidden ranges. A name that does not resolve is refused too: a typo or a name parked for
 * later is caught at once.
 */
export const assertPublicHttpsUrl = async (value: string, refuse: Refusal, lookup: LookupAll = lookupAll): Promise<void> => {
  const url = checkShape(value, refuse);
  const host = hostOf(url);
  if (isIP(host)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw refuse(`the host name ${host} does not resolve`);
  }
  const forbidden = addresses.find(({ address }) => isForbiddenAddress(address));
  if (forbidden) throw refuse(`${host} resolves to ${forbidden.address}, a loopback, private, link-local or reserved address`);
};

/**
 * A base URL: at save time (400), and again before each call (503), so a stored URL whose name
 * now points inside is refused with a clear code.
 */
export const assertAllowedBaseUrl = (baseUrl: string, options: { status?: number; lookup?: LookupAll } = {}): Promise<void> =>
  assertPublicHttpsUrl(baseUrl, baseUrlRefusal(options.status), options.lookup);

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The socket's own DNS lookup for admin-typed hosts: the addresses are checked where the
 * connection is made, so a name that resolved to a public address at save time and to an
 * internal one now (DNS rebinding) never gets a connection.
 */
export const guardedLookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const forbidden = addresses.find(({ address }) => isForbiddenAddress(address));
    if (forbidden) {
      const refusal: NodeJS.ErrnoException = new Error('BASE_URL_NOT_ALLOWED');
      refusal.code = 'BASE_URL_NOT_ALLOWED';
      return callback(refusal, []);
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

// Retries

export interface HttpPolicy {
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The longest Retry-After honoured (longer advice is cut to this); optional for callers built before it. */
  retryAfterMaxSeconds?: number;
}

/** Cap on an upstream Retry-After when the policy sets none. */
export const DEFAULT_RETRY_AFTER_MAX_SECONDS = 300;

/** What made an attempt fail: `timeout`, a socket error code or `HTTP 503`. */
interface RetryableFailure {
  reason: string;
  upstreamStatus?: number;
  retryAfterSeconds?: number;
}

/** Retry advice for callers when Osteocom gave none. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** Rate limiting and server errors are transient; any other status is a final answer. */
const isRetryableStatus = (status: number) => status === 429 || status >= 500;

/** Osteocom answers its refusals in JSON; a 4xx page in anything else comes from a proxy or gateway in front of it. */
const isJsonObject = (body: string) => {
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null;
  } catch {
    return false;
  }
};

/** A 401 means an expired bearer whatever its body: the client logs in again rather than waiting. */
const UNAUTHORIZED = 401;

/**
 * A 4xx that is not Osteocom's own JSON answer (a proxy's HTML 403, an empty 404 from a gateway)
 * says nothing about the request: retried like a 5xx until Osteocom itself answers.
 */
const isForeignRefusal = (status: number, body: string) => status >= 400 && status < 500 && status !== UNAUTHORIZED && !isJsonObject(body);


/** Retry-After as seconds: delta-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | undefined, now = Date.now()): number | undefined => {
  if (!value?.trim()) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
};

/** Retry-After as Osteocom said it, within the policy's cap. */
export const boundedRetryAfter = (policy: Pick<HttpPolicy, 'retryAfterMaxSeconds'>, seconds: number | undefined) =>
  seconds === undefined ? undefined : Math.min(seconds, policy.retryAfterMaxSeconds ?? DEFAULT_RETRY_AFTER_MAX_SECONDS);

/**
 * Exponential backoff with full jitter (a random wait up to base·2^(attempt-1)), so many clients
 * failing together do not retry together. An upstream Retry-After (already bounded) is waited
 * in full: never sooner than told.
 */
export const backoffDelayMs = (policy: Omit<HttpPolicy, 'timeoutMs'>, attempt: number, retryAfterSeconds?: number, random = Math.random) => {
  if (retryAfterSeconds !== undefined) return Math.round(retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
};

/** Waits, or stops waiting as soon as the signal aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export const shutDownError = (endpoint: Endpoint, attempts: number) =>
  new OsteocomError('UPSTREAM_UNAVAILABLE', 'The Osteocom client is shut down: the server is stopping.', {
    retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
    details: { endpoint, attempts },
  });

/** `details.upstreamRetryAfterSeconds` only when Osteocom itself asked for a wait (the outbox then waits at least that long). */
const unavailableError = (endpoint: Endpoint, attempts: number, failure: RetryableFailure) =>
  new OsteocomError('UPSTREAM_UNAVAILABLE', `Osteocom did not answer the ${endpoint} call (${failure.reason}) after ${attempts} attempt(s); try again later.`, {
    retryAfterSeconds: Math.max(1, Math.ceil(failure.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS)),
    details: {
      endpoint,
      attempts,
      ...(failure.upstreamStatus ? { upstreamStatus: failure.upstreamStatus } : {}),
      ...(failure.retryAfterSeconds !== undefined ? { upstreamRetryAfterSeconds: Math.ceil(failure.retryAfterSeconds) } : {}),
    },
  });

// The transport

export interface UpstreamReply {
  status: number;
  body: string;
}

/**
 * Consumes a 2xx body as it arrives, within the request's deadline; its OsteocomError (a body
 * that is not the documented shape) is a final answer, a stream error a failed attempt.
 */
export type BodyReader = (body: Readable, status: number) => Promise<void>;

interface PostOptions {
  bearer?: string;
  /** An admin-typed base URL: its sockets check every address they connect to. */
  guarded?: boolean;
  /** Stream a 2xx body to this reader instead of keeping it as text. */
  read?: BodyReader;
}

export type Log = Record<'debug' | 'info' | 'warn', (message: string, meta?: object) => void>;

/** One attempt: a reply of any status, or why there was none. */
type Attempt = ({ kind: 'reply'; retryAfter?: string } & UpstreamReply) | { kind: 'failure'; reason: string } | { kind: 'shutdown' };

const USER_AGENT = 'strapi-plugin-osteocom';

/** A socket error code such as ECONNRESET; never the axios error, whose config holds headers and body. */
const failureReason = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'NETWORK_ERROR';
};

const isSuccess = (status: number) => status >= 200 && status < 300;

const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A streamed reply: a success goes to the reader, anything else is kept as text for its error. */
const bodyOf = async (data: string | Readable | undefined, status: number, read?: BodyReader) => {
  if (typeof data === 'string') return data;
  if (!read || !data) return '';
  if (!isSuccess(status)) return text(data);
  await read(data, status);
  return '';
};

/**
 * Pooled keep-alive connections, a hard per-request deadline, and retries until a final answer
 * (any status but 429/5xx, and not a 4xx page from something in front of Osteocom), else UPSTREAM_UNAVAILABLE. Retrying is safe: every Osteocom call is
 * idempotent (authorization reuses the customer, revocation keeps its first date, a video token
 * is simply issued again). Replies are kept as text so the caller can tell "not JSON" from
 * "wrong shape"; every status is a reply, not a throw.
 */
export const createTransport = (policy: () => HttpPolicy, log: Log) => {
  const shutdown = new AbortController();
  // Every request and backoff in flight listens for the shutdown; hundreds at once are normal.
  setMaxListeners(0, shutdown.signal);
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  // Admin-typed hosts get their own pool whose sockets check every resolved address.
  const guardedAgents = {
    httpAgent: new http.Agent({ keepAlive: true, lookup: guardedLookup } as http.AgentOptions),
    httpsAgent: new https.Agent({ keepAlive: true, lookup: guardedLookup } as https.AgentOptions),
  };
  const instance = axios.create({
    httpAgent,
    httpsAgent,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    // A followed redirect would re-post the credentials to wherever it points.
    maxRedirects: 0,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT },
  });

  const attempt = async (url: string, body: object, timeoutMs: number, { bearer, guarded, read }: PostOptions): Promise<Attempt> => {
    if (shutdown.signal.aborted) return { kind: 'shutdown' };
    // An abort deadline bounds the whole exchange; axios' own timeout only notices idle sockets.
    const request = new AbortController();
    const abort = () => request.abort();
    const deadline = setTimeout(abort, timeoutMs);
    shutdown.signal.addEventListener('abort', abort, { once: true });
    try {
      const response = await instance.post<string | Readable>(url, JSON.stringify(body), {
        signal: request.signal,
        ...(guarded ? guardedAgents : {}),
        headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
        ...(read ? { responseType: 'stream' } : {}),
      });
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'reply',
        status: response.status,
        body: await bodyOf(response.data, response.status, read),
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      };
    } catch (error) {
      if (shutdown.signal.aborted) return { kind: 'shutdown' };
      if (isOsteocomError(error)) throw error;
      if (request.signal.aborted) return { kind: 'failure', reason: 'timeout' };
      return { kind: 'failure', reason: failureReason(error) };
    } finally {
      clearTimeout(deadline);
      shutdown.signal.removeEventListener('abort', abort);
    }
  };

  /** A final answer, or why another attempt may fare better. */
  const classify = (outcome: Exclude<Attempt, { kind: 'shutdown' }>, current: HttpPolicy): { reply: UpstreamReply } | { failure: RetryableFailure } => {
    if (outcome.kind === 'failure') return { failure: { reason: outcome.reason } };
    const retryAfterSeconds = boundedRetryAfter(current, parseRetryAfter(outcome.retryAfter));
    if (isForeignRefusal(outcome.status, outcome.body)) {
      return { failure: { reason: `HTTP ${outcome.status} that is not Osteocom's JSON answer`, upstreamStatus: outcome.status, retryAfterSeconds } };
    }
    if (!isRetryableStatus(outcome.status)) return { reply: { status: outcome.status, body: outcome.body } };
    return { failure: { reason: `HTTP ${outcome.status}`, upstreamStatus: outcome.status, retryAfterSeconds } };
  };

  /** One logical POST: its final reply, whatever the status. */
  const post = async (endpoint: Endpoint, url: string, body: object, options: PostOptions = {}): Promise<UpstreamReply> => {
    const current = policy();
    const maxAttempts = Math.max(1, current.maxAttempts);
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      const started = performance.now();
      const outcome = await attempt(url, body, current.timeoutMs, options);
      const durationMs = Math.round(performance.now() - started);
      if (outcome.kind === 'shutdown') throw shutDownError(endpoint, attemptNumber);
      const answer = outcome.kind === 'reply' ? { status: outcome.status } : { reason: outcome.reason };
      // The figures in the message (Strapi's default format prints only it) and as fields for a structured logger.
      log.debug(`osteocom request ${endpoint}: ${'status' in answer ? `HTTP ${answer.status}` : answer.reason}, attempt ${attemptNumber}, ${durationMs} ms`, { endpoint, ...answer, attempt: attemptNumber, durationMs });
      const result = classify(outcome, current);
      if ('reply' in result) return result.reply;
      const { failure } = result;
      if (attemptNumber >= maxAttempts) throw unavailableError(endpoint, attemptNumber, failure);
      const delayMs = backoffDelayMs(current, attemptNumber, failure.retryAfterSeconds);
      // Told to wait longer than a call may pause: the caller (the outbox, the customer) retries later, as told.
      if (delayMs > current.backoffMaxMs) throw unavailableError(endpoint, attemptNumber, failure);
      log.warn(`osteocom request ${endpoint} failed (${failure.reason}, attempt ${attemptNumber}); retrying in ${delayMs} ms`, { endpoint, attempt: attemptNumber, reason: failure.reason, delayMs });
      await sleep(delayMs, shutdown.signal);
    }
  };

  return {
    post,
    get closed() {
      return shutdown.signal.aborted;
    },
    /** Aborts the requests and backoffs in flight and closes the pooled sockets; later posts reject. */
    destroy() {
      shutdown.abort();
      for (const agent of [httpAgent, httpsAgent, guardedAgents.httpAgent, guardedAgents.httpsAgent]) agent.destroy();
    },
  };
};
