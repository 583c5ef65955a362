import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { OsteocomEnvironment } from '../../config/schema';
import { OsteocomError } from '../../errors';
import {
  authorizationResponseSchema,
  catalogResponseSchema,
  loginResponseSchema,
  revocationResponseSchema,
  videoAccessResponseSchema,
  type AuthorizationParams,
  type CatalogChannel,
} from '../../schemas/osteocom';
import { BearerTokenCache } from './bearer-token';
import { baseUrlFor, endpointUrl, type Endpoint } from './endpoints';
import { invalidResponse, statusError, unavailable } from './errors';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry';

export interface Connection {
  environment: OsteocomEnvironment;
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface Logger {
  debug(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
}

export interface ClientOptions {
  getConnection: () => Promise<Connection> | Connection;
  http: RetryPolicy & { timeoutMs: number };
  token: { refreshMarginSeconds: number; fallbackTtlSeconds: number };
  log: Logger;
  now?: () => number;
}

interface Resolved {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  environment: OsteocomEnvironment;
}

type Attempt = { kind: 'ok'; status: number; body: string; retryAfter?: unknown } | { kind: 'network'; reason: string };

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The plugin's only door to Osteocom: one method per endpoint, each reply validated with zod,
 * a cached bearer, retries for what is safe to repeat (all five calls are idempotent), and
 * errors that never carry tokens, secrets or request bodies.
 */
export const createOsteocomClient = (options: ClientOptions) => {
  const now = options.now ?? Date.now;
  const tokens = new BearerTokenCache({ ...options.token, now });
  const shutdown = new AbortController();
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const axiosInstance: AxiosInstance = axios.create({
    httpAgent: agents.http,
    httpsAgent: agents.https,
    timeout: options.http.timeoutMs,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });

  const resolveConnection = async (): Promise<Resolved> => {
    const connection = await options.getConnection();
    if (!connection.clientId || !connection.clientSecret) {
      throw new OsteocomError('NOT_CONFIGURED', 'Osteocom is not configured: set clientId and clientSecret in Settings → Osteocom or OSTEOCOM_CLIENT_ID / OSTEOCOM_CLIENT_SECRET.');
    }
    return {
      baseUrl: baseUrlFor(connection.environment, connection.baseUrl),
      clientId: connection.clientId,
      clientSecret: connection.clientSecret,
      environment: connection.environment,
    };
  };

  const send = async (url: string, body: object, bearer?: string): Promise<Attempt> => {
    try {
      const response = await axiosInstance.post<string>(url, JSON.stringify(body), {
        signal: shutdown.signal,
        headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
      });
      return { kind: 'ok', status: response.status, body: response.data, retryAfter: response.headers['retry-after'] };
    } catch (error) {
      // Axios errors hold the request config (headers, body): keep only a code.
      const code = (error as { code?: string }).code ?? 'NETWORK_ERROR';
      return { kind: 'network', reason: code === 'ECONNABORTED' ? 'timeout' : code };
    }
  };

  /** One HTTP exchange with retries; returns the final status and body. */
  const exchange = async (endpoint: Endpoint, url: string, body: object, bearer?: string) => {
    const policy = options.http;
    let lastReason = 'no answer';
    let lastStatus: number | undefined;
    let retryAfter: number | undefined;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
      if (shutdown.signal.aborted) throw unavailable(endpoint, attempt - 1, 'the client is shut down');
      const started = now();
      const result = await send(url, body, bearer);
      const durationMs = now() - started;
      if (result.kind === 'ok' && !RETRYABLE_STATUS(result.status)) {
        options.log.debug('[osteocom] request', { endpoint, status: result.status, attempt, durationMs });
        return result;
      }
      lastReason = result.kind === 'ok' ? `HTTP ${result.status}` : result.reason;
      lastStatus = result.kind === 'ok' ? result.status : undefined;
      retryAfter = result.kind === 'ok' ? parseRetryAfter(result.retryAfter) : undefined;
      options.log.warn('[osteocom] request failed', { endpoint, attempt, reason: lastReason, durationMs });
      if (attempt < policy.maxAttempts) await sleep(backoffDelay(policy, attempt, retryAfter), shutdown.signal);
    }
    if (shutdown.signal.aborted) throw unavailable(endpoint, policy.maxAttempts, 'the client is shut down');
    throw unavailable(endpoint, policy.maxAttempts, lastReason, retryAfter ?? 30, lastStatus);
  };

  const parse = <S extends z.ZodTypeAny>(endpoint: Endpoint, raw: string, schema: S): z.infer<S> => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw invalidResponse(endpoint);
    }
    const result = schema.safeParse(json);
    if (!result.success) throw invalidResponse(endpoint, result.error);
    return result.data;
  };

  const login = async (connection: Resolved): Promise<string> => {
    const result = await exchange('login', endpointUrl(connection.baseUrl, 'login'), { clientId: connection.clientId, clientSecret: connection.clientSecret });
    if (result.kind !== 'ok' || result.status !== 200) throw statusError('login', result.kind === 'ok' ? result.status : 0);
    return parse('login', result.body, loginResponseSchema).token;
  };

  const identityOf = (connection: Resolved) => `${connection.baseUrl}\u0000${connection.clientId}\u0000${connection.clientSecret}`;

  /** A bearer call: on a 401, one fresh login and one retry. */
  const call = async <S extends z.ZodTypeAny>(endpoint: Exclude<Endpoint, 'login'>, body: object, schema: S): Promise<z.infer<S>> => {
    const connection = await resolveConnection();
    const url = endpointUrl(connection.baseUrl, endpoint);
    const payload = { clientId: connection.clientId, ...body };
    for (let round = 1; round <= 2; round += 1) {
      const bearer = await tokens.get(identityOf(connection), () => login(connection));
      const result = await exchange(endpoint, url, payload, bearer);
      if (result.kind !== 'ok') throw unavailable(endpoint, 0, 'no answer');
      if (result.status === 200) return parse(endpoint, result.body, schema);
      if (result.status !== 401 || round === 2) throw statusError(endpoint, result.status);
      tokens.invalidate(bearer);
    }
    throw statusError(endpoint, 401);
  };

  return {
    async login() {
      const connection = await resolveConnection();
      tokens.clear();
      await tokens.get(identityOf(connection), () => login(connection));
    },

    hasToken: () => tokens.hasToken(),

    async getCatalog(): Promise<CatalogChannel[]> {
      return (await call('catalog', {}, catalogResponseSchema)).catalog;
    },

    async authorizeContentAccess(params: AuthorizationParams): Promise<{ accessKey: string }> {
      const body = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
      return { accessKey: (await call('contentAccessAuthorization', body, authorizationResponseSchema)).token };
    },

    async getVideoAccess(params: { userId: string; videoId: string; userAccessKey: string }) {
      const result = await call('videoAccess', params, videoAccessResponseSchema);
      return { token: result.tokenAuthVideo, expiresIn: result.expiresIn };
    },

    async revokeActivation(params: { userId: string; channelId: string }) {
      return call('revocateActivation', { channelId: params.channelId, userId: params.userId }, revocationResponseSchema);
    },

    /** A fresh login against the configured environment. */
    async testConnection() {
      const connection = await resolveConnection();
      const started = now();
      tokens.clear();
      await tokens.get(identityOf(connection), () => login(connection));
      return { ok: true as const, environment: connection.environment, baseUrl: connection.baseUrl, latencyMs: now() - started };
    },

    /** Aborts calls in flight and closes pooled connections (plugin destroy). */
    destroy() {
      shutdown.abort();
      tokens.clear();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
};

export type OsteocomClient = ReturnType<typeof createOsteocomClient>;
