import { createHash } from 'node:crypto';
import type { OsteocomEnvironment } from '../../config/schema';
import { notConfiguredError } from './errors';
import { resolveBaseUrl } from './base-url';
import type { Connection } from './types';

export interface ResolvedConnection {
  environment: OsteocomEnvironment;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** An admin-typed base URL: only public https hosts may be called (host-guard). */
  guarded: boolean;
  /** Changes whenever the base URL or the credentials do, so the cached bearer is dropped. */
  identity: string;
}

const present = (value: string | undefined) => (value?.trim() ? value : undefined);

/** Complete settings, or NOT_CONFIGURED before any HTTP call. */
export const resolveConnection = (connection: Connection): ResolvedConnection => {
  const clientId = present(connection.clientId);
  const clientSecret = present(connection.clientSecret);
  if (!clientId || !clientSecret) throw notConfiguredError();
  const baseUrl = resolveBaseUrl(connection.environment, connection.baseUrl);
  // A digest rather than the raw credentials, so the key can never end up in a dump or a log.
  const identity = createHash('sha256')
    .update(`${baseUrl}\n${clientId}\n${clientSecret}`)
    .digest('hex');
  const guarded = Boolean(connection.baseUrlTyped && connection.baseUrl);
  return { environment: connection.environment, baseUrl, clientId, clientSecret, guarded, identity };
};
