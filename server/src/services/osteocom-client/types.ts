import type { OsteocomEnvironment } from '../../config/schema';
import type {
  AuthorizationParams,
  CatalogChannel,
  RevocationParams,
  VideoAccessParams,
} from '../../schemas/osteocom';
import type { CatalogSink } from './catalog-stream';

/** Where and as whom to call Osteocom; read before every call because settings change at runtime. */
export interface Connection {
  environment: OsteocomEnvironment;
  baseUrl?: string;
  /** The base URL was typed in the admin: checked for a public https host before each call and at connect. */
  baseUrlTyped?: boolean;
  clientId?: string;
  clientSecret?: string;
}

export interface HttpPolicy {
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface TokenPolicy {
  refreshMarginSeconds: number;
  fallbackTtlSeconds: number;
}

export interface OsteocomLogger {
  debug(message: string, meta?: object): void;
  info(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
  error(message: string, meta?: object): void;
}

/** A value, or a function read on each use (so Strapi config is read lazily). */
export type Lazy<T> = T | (() => T);

export interface OsteocomClientOptions {
  getConnection: () => Promise<Connection> | Connection;
  http: Lazy<HttpPolicy>;
  token: Lazy<TokenPolicy>;
  log: OsteocomLogger;
  /** The clock for bearer expiry (ms since the epoch). */
  now?: () => number;
}

export interface TestConnectionResult {
  ok: true;
  environment: OsteocomEnvironment;
  baseUrl: string;
  latencyMs: number;
}

export interface OsteocomClient {
  /** Logs in afresh and caches the bearer; the token itself never leaves the client. */
  login(): Promise<void>;
  /** Whether a bearer that is not due for refresh is cached. */
  hasToken(): boolean;
  getCatalog(): Promise<CatalogChannel[]>;
  /** The catalog handed channel by channel to a sink made for each attempt, never held whole. */
  streamCatalog<T>(sink: () => CatalogSink<T>): Promise<T>;
  authorizeContentAccess(params: AuthorizationParams): Promise<{ accessKey: string }>;
  getVideoAccess(params: VideoAccessParams): Promise<{ token: string; expiresIn: number }>;
  revokeActivation(params: RevocationParams): Promise<{ userId: string; cancellationDate: string }>;
  /** A fresh login against the current settings, timed. */
  testConnection(): Promise<TestConnectionResult>;
  /** Aborts calls in flight, closes pooled sockets and drops the bearer; later calls reject. */
  destroy(): void;
}
