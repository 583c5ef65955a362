import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import {
  type CatalogChannel,
  authorizationParamsSchema,
  authorizationResponseSchema,
  loginResponseSchema,
  revocationParamsSchema,
  revocationResponseSchema,
  videoAccessParamsSchema,
  videoAccessResponseSchema,
} from '../../schemas/osteocom';
import { BearerTokenCache } from './bearer-token';
import { readCatalog, type CatalogSink } from './catalog-stream';
import { resolveConnection, type ResolvedConnection } from './connection';
import { endpointUrl, type BearerEndpoint, type Endpoint } from './endpoints';
import { shutDownError, statusError } from './errors';
import { createExchange } from './exchange';
import { assertAllowedBaseUrl } from './host-guard';
import { createHttpTransport, type BodyReader, type UpstreamReply } from './http';
import { parseParams, parseReply } from './parse';
import type { Lazy, OsteocomClient, OsteocomClientOptions } from './types';

export { DEFAULT_BASE_URLS, resolveBaseUrl } from './base-url';
export { ENDPOINT_PATHS, type Endpoint } from './endpoints';
export type {
  Connection,
  HttpPolicy,
  Lazy,
  OsteocomClient,
  OsteocomClientOptions,
  OsteocomLogger,
  TestConnectionResult,
  TokenPolicy,
} from './types';

const read = <T extends object>(value: Lazy<T>): T =>
  typeof value === 'function' ? value() : value;

const isSuccess = (reply: UpstreamReply) => reply.status >= 200 && reply.status < 300;

/** Drops undefined optional fields, so the body holds exactly what the caller set. */
const defined = <T extends object>(body: T) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;

/**
 * The plugin's only door to Osteocom: one method per endpoint, every reply validated with zod,
 * a cached bearer, bounded retries, and errors that never carry tokens, secrets or bodies.
 */
export const createOsteocomClient = (options: OsteocomClientOptions): OsteocomClient => {
  const now = options.now ?? Date.now;
  const transport = createHttpTransport();
  const exchange = createExchange(transport, () => read(options.http), options.log);
  const tokens = new BearerTokenCache(() => read(options.token), now);

  const connect = async (endpoint: Endpoint): Promise<ResolvedConnection> => {
    if (transport.signal.aborted) throw shutDownError(endpoint, 0);
    const connection = resolveConnection(await options.getConnection());
    if (connection.guarded) await assertAllowedBaseUrl(connection.baseUrl, { status: 503 });
    return connection;
  };

  /** A final reply as the schema's output, else its mapped error (scrubbed of `secrets`). */
  const settle = <S extends z.ZodType>(
    endpoint: Endpoint,
    reply: UpstreamReply,
    schema: S,
    secrets: string[]
  ) => {
    if (!isSuccess(reply)) throw statusError(endpoint, reply, secrets);
    return parseReply(endpoint, reply, schema);
  };

  const login = async (connection: ResolvedConnection): Promise<string> => {
    const { baseUrl, clientId, clientSecret, guarded } = connection;
    const reply = await exchange(
      'login',
      endpointUrl(baseUrl, 'login'),
      { clientId, clientSecret },
      undefined,
      { guarded }
    );
    return settle('login', reply, loginResponseSchema, [clientSecret]).token;
  };

  const bearerFor = (connection: ResolvedConnection) =>
    tokens.get(connection.identity, () => login(connection));

  /** A bearer call's final reply; a 401 earns one fresh login and one more try before it counts. */
  const send = async (endpoint: BearerEndpoint, params: object, secrets: string[], read?: BodyReader) => {
    const connection = await connect(endpoint);
    const url = endpointUrl(connection.baseUrl, endpoint);
    const body = { clientId: connection.clientId, ...defined(params) };
    const scrub = [connection.clientSecret, ...secrets];
    const bearer = await bearerFor(connection);
    const reply = await exchange(endpoint, url, body, bearer, { guarded: connection.guarded, read });
    if (reply.status !== 401) return { reply, scrub: [...scrub, bearer] };
    options.log.info('osteocom bearer refused; logging in again', { endpoint });
    tokens.invalidate(bearer);
    const fresh = await bearerFor(connection);
    return { reply: await exchange(endpoint, url, body, fresh, { guarded: connection.guarded, read }), scrub: [...scrub, bearer, fresh] };
  };

  const call = async <S extends z.ZodType>(endpoint: BearerEndpoint, params: object, schema: S, secrets: string[] = []) => {
    const { reply, scrub } = await send(endpoint, params, secrets);
    return settle(endpoint, reply, schema, scrub);
  };

  /** The catalog read as it arrives; each attempt feeds a fresh sink, so a retry never mixes two bodies. */
  const streamCatalog = async <T>(sink: () => CatalogSink<T>): Promise<T> => {
    let result: { value: T } | undefined;
    const read: BodyReader = async (body, status) => {
      result = { value: await readCatalog(body, status, sink()) };
    };
    const { reply, scrub } = await send('catalog', {}, [], read);
    if (!isSuccess(reply) || !result) throw statusError('catalog', reply, scrub);
    return result.value;
  };

  const freshLogin = (connection: ResolvedConnection) =>
    tokens.refresh(connection.identity, () => login(connection));

  return {
    async login() {
      await freshLogin(await connect('login'));
    },

    hasToken: () => tokens.hasToken(),

    getCatalog() {
      return streamCatalog(() => {
        const channels: CatalogChannel[] = [];
        return { channel: (channel) => channels.push(channel), end: () => channels };
      });
    },

    streamCatalog,

    async authorizeContentAccess(params) {
      const body = parseParams('authorizeContentAccess', params, authorizationParamsSchema);
      const reply = await call('contentAccessAuthorization', body, authorizationResponseSchema);
      return { accessKey: reply.token };
    },

    async getVideoAccess(params) {
      const body = parseParams('getVideoAccess', params, videoAccessParamsSchema);
      const reply = await call('videoAccess', body, videoAccessResponseSchema, [
        body.userAccessKey,
      ]);
      return { token: reply.tokenAuthVideo, expiresIn: reply.expiresIn };
    },

    async revokeActivation(params) {
      const body = parseParams('revokeActivation', params, revocationParamsSchema);
      const reply = await call('revocateActivation', body, revocationResponseSchema);
      return { userId: reply.userId, cancellationDate: reply.cancellationDate };
    },

    async testConnection() {
      const connection = await connect('login');
      const started = performance.now();
      await freshLogin(connection);
      const latencyMs = Math.round(performance.now() - started);
      return {
        ok: true,
        environment: connection.environment,
        baseUrl: connection.baseUrl,
        latencyMs,
      };
    },

    destroy() {
      transport.destroy();
      tokens.clear();
    },
  };
};
