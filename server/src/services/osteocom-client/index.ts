import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import type { OsteocomEnvironment, PluginConfig } from '../../config/schema';
import { OsteocomError } from '../../errors';
import {
  type AuthorizationParams,
  type CatalogChannel,
  type RevocationParams,
  type VideoAccessParams,
  authorizationResponseSchema,
  loginResponseSchema,
  revocationResponseSchema,
  videoAccessResponseSchema,
} from '../../schemas/osteocom';
import { getService } from '../../utils/get-service';
import { BearerTokenCache, type TokenPolicy } from './bearer-token';
import { readCatalog, type CatalogSink } from './catalog-stream';
import { notJsonError, protocolError, statusError, wrongShapeError } from './errors';
import {
  assertAllowedBaseUrl,
  createTransport,
  endpointUrl,
  resolveBaseUrl,
  shutDownError,
  type BodyReader,
  type Endpoint,
  type HttpPolicy,
  type Log,
  type UpstreamReply,
} from './transport';

/** Where and as whom to call Osteocom; read before every call because settings change at runtime. */
export interface Connection {
  environment: OsteocomEnvironment;
  baseUrl?: string;
  /** The base URL was typed in the admin: checked for a public https host before each call and at connect. */
  baseUrlTyped?: boolean;
  clientId?: string;
  clientSecret?: string;
}

interface OsteocomClientOptions {
  getConnection: () => Promise<Connection> | Connection;
  /** Read on each call, so Strapi config is read lazily. */
  http: () => HttpPolicy;
  token: () => TokenPolicy;
  log: Log;
}

interface ResolvedConnection {
  environment: OsteocomEnvironment;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** An admin-typed base URL: only public https hosts may be called (the host guard). */
  guarded: boolean;
  /** Changes whenever the base URL or the credentials do, so the cached bearer is dropped. */
  identity: string;
}

const present = (value: string | undefined) => (value?.trim() ? value : undefined);

/** Complete settings, or NOT_CONFIGURED before any HTTP call. */
const resolveConnection = (connection: Connection): ResolvedConnection => {
  const clientId = present(connection.clientId);
  const clientSecret = present(connection.clientSecret);
  if (!clientId || !clientSecret) {
    throw new OsteocomError(
      'NOT_CONFIGURED',
      'Osteocom is not configured: set the client ID and client secret in Settings → Osteocom, or OSTEOCOM_CLIENT_ID and OSTEOCOM_CLIENT_SECRET.'
    );
  }
  const baseUrl = resolveBaseUrl(connection.environment, connection.baseUrl);
  // A digest rather than the raw credentials, so the key can never end up in a dump or a log.
  const identity = createHash('sha256').update(`${baseUrl}\n${clientId}\n${clientSecret}`).digest('hex');
  const guarded = Boolean(connection.baseUrlTyped && connection.baseUrl);
  return { environment: connection.environment, baseUrl, clientId, clientSecret, guarded, identity };
};

const isSuccess = (reply: UpstreamReply) => reply.status >= 200 && reply.status < 300;

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/**
 * A success reply as the schema's output; UPSTREAM_PROTOCOL_ERROR when a JSON object lacks the
 * `documented` fields the call exists for, else UPSTREAM_INVALID_RESPONSE naming the bad fields.
 */
const parseReply = <S extends z.ZodType>(endpoint: Endpoint, reply: UpstreamReply, schema: S, documented: string[] = []): z.output<S> => {
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    throw notJsonError(endpoint, reply.status);
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const missing = documented.filter((field) => isAbsent((json as Record<string, unknown>)[field]));
    if (missing.length) throw protocolError(endpoint, reply.status, missing);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw wrongShapeError(endpoint, reply.status, result.error);
  return result.data;
};

/** Drops undefined optional fields, so the body holds exactly what the caller set. */
const defined = <T extends object>(body: T) => Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;

/**
 * The plugin's only door to Osteocom: one method per endpoint, every reply validated with zod,
 * a cached bearer, bounded retries, and errors that never carry tokens, secrets or bodies. The
 * parameters are the callers' already validated input (request schemas, the lifecycle's rows):
 * each body is built from exactly the documented fields.
 */
export const createOsteocomClient = (options: OsteocomClientOptions) => {
  const transport = createTransport(options.http, options.log);
  const tokens = new BearerTokenCache(options.token, Date.now);

  const connect = async (endpoint: Endpoint): Promise<ResolvedConnection> => {
    if (transport.closed) throw shutDownError(endpoint, 0);
    const connection = resolveConnection(await options.getConnection());
    if (connection.guarded) await assertAllowedBaseUrl(connection.baseUrl, { status: 503 });
    return connection;
  };

  /** A final reply as the schema's output, else its mapped error (scrubbed of `secrets`). */
  const settle = <S extends z.ZodType>(endpoint: Endpoint, reply: UpstreamReply, schema: S, secrets: string[], documented?: string[]) => {
    if (!isSuccess(reply)) throw statusError(endpoint, reply.status, reply.body, secrets);
    return parseReply(endpoint, reply, schema, documented);
  };

  const login = async ({ baseUrl, clientId, clientSecret, guarded }: ResolvedConnection): Promise<string> => {
    const reply = await transport.post('login', endpointUrl(baseUrl, 'login'), { clientId, clientSecret }, { guarded });
    return settle('login', reply, loginResponseSchema, [clientSecret]).token;
  };

  const bearerFor = (connection: ResolvedConnection) => tokens.get(connection.identity, () => login(connection));

  /** A bearer call's final reply; a 401 earns one fresh login and one more try before it counts. */
  const send = async (endpoint: Exclude<Endpoint, 'login'>, params: object, secrets: string[], read?: BodyReader) => {
    const connection = await connect(endpoint);
    const url = endpointUrl(connection.baseUrl, endpoint);
    const body = { clientId: connection.clientId, ...defined(params) };
    const scrub = [connection.clientSecret, ...secrets];
    const bearer = await bearerFor(connection);
    const reply = await transport.post(endpoint, url, body, { bearer, guarded: connection.guarded, read });
    if (reply.status !== 401) return { reply, scrub: [...scrub, bearer] };
    options.log.info(`osteocom bearer refused on ${endpoint}; logging in again`, { endpoint });
    tokens.invalidate(bearer);
    const fresh = await bearerFor(connection);
    const retried = await transport.post(endpoint, url, body, { bearer: fresh, guarded: connection.guarded, read });
    return { reply: retried, scrub: [...scrub, bearer, fresh] };
  };

  const call = async <S extends z.ZodType>(endpoint: Exclude<Endpoint, 'login' | 'catalog'>, params: object, schema: S, secrets: string[] = [], documented?: string[]) => {
    const { reply, scrub } = await send(endpoint, params, secrets);
    return settle(endpoint, reply, schema, scrub, documented);
  };

  /** The catalog handed channel by channel to a sink made for each attempt (a retry never mixes two bodies), never held whole. */
  const streamCatalog = async <T>(sink: () => CatalogSink<T>): Promise<T> => {
    let result: { value: T } | undefined;
    const read: BodyReader = async (body, status) => {
      result = { value: await readCatalog(body, status, sink()) };
    };
    const { reply, scrub } = await send('catalog', {}, [], read);
    if (!isSuccess(reply) || !result) throw statusError('catalog', reply.status, reply.body, scrub);
    return result.value;
  };

  return {
    getCatalog(): Promise<CatalogChannel[]> {
      return streamCatalog(() => {
        const channels: CatalogChannel[] = [];
        return { channel: (channel) => channels.push(channel), end: () => channels };
      });
    },

    streamCatalog,

    /** Grants the products; the reply's `token` is the customer's access key (a 200 without it: UPSTREAM_PROTOCOL_ERROR). */
    async authorizeContentAccess({ userId, email, marketingConsent, name, surname, products }: AuthorizationParams) {
      const body = { userId, email, marketingConsent, name, surname, products: products.map(({ productId, price }) => ({ productId, price })) };
      const reply = await call('contentAccessAuthorization', body, authorizationResponseSchema, [], ['token']);
      return { accessKey: reply.token };
    },

    /** `expiresIn` is undefined when Osteocom left it out (it is optional in the reference). */
    async getVideoAccess({ userId, videoId, userAccessKey }: VideoAccessParams) {
      const reply = await call('videoAccess', { userId, videoId, userAccessKey }, videoAccessResponseSchema, [userAccessKey]);
      return { token: reply.tokenAuthVideo, expiresIn: reply.expiresIn };
    },

    async revokeActivation({ userId, channelId }: RevocationParams) {
      const reply = await call('revocateActivation', { userId, channelId }, revocationResponseSchema, [], ['userId', 'cancellationDate']);
      return { userId: reply.userId, cancellationDate: reply.cancellationDate };
    },

    /** A fresh login against the current settings, timed; the token itself never leaves the client. */
    async testConnection() {
      const connection = await connect('login');
      const started = performance.now();
      await tokens.refresh(connection.identity, () => login(connection));
      const latencyMs = Math.round(performance.now() - started);
      return { ok: true as const, environment: connection.environment, baseUrl: connection.baseUrl, latencyMs };
    },

    /** Aborts calls in flight, closes pooled sockets and drops the bearer; later calls reject. */
    destroy() {
      transport.destroy();
      tokens.clear();
    },
  };
};

export type OsteocomClient = ReturnType<typeof createOsteocomClient>;

/** The Osteocom client of this Strapi process: config is read on use, settings on every call. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = <K extends keyof PluginConfig>(key: K) => strapi.plugin('osteocom').config(key) as PluginConfig[K];
  return createOsteocomClient({
    getConnection: () => getService(strapi, 'settings').getConnection(),
    http: () => config('http'),
    token: () => config('token'),
    log: strapi.log,
  });
};
