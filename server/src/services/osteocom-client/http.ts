import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { isOsteocomError } from '../../errors';
import { guardedLookup } from './host-guard';

export interface UpstreamReply {
  status: number;
  body: string;
}

/** One HTTP exchange: a reply of any status, a failure to get one, or the client shut down. */
export type HttpOutcome =
  | ({ kind: 'reply'; retryAfter?: string } & UpstreamReply)
  | { kind: 'failure'; reason: string }
  | { kind: 'shutdown' };

/**
 * Consumes a 2xx body as it arrives, within the request's deadline; its OsteocomError (a body
 * that is not the documented shape) is a final answer, a stream error a failed attempt.
 */
export type BodyReader = (body: Readable, status: number) => Promise<void>;

export interface HttpTransport {
  post(
    url: string,
    body: object,
    options: { bearer?: string; timeoutMs: number; guarded?: boolean; read?: BodyReader }
  ): Promise<HttpOutcome>;
  /** Aborted by destroy(). */
  readonly signal: AbortSignal;
  destroy(): void;
}

const USER_AGENT = 'strapi-plugin-osteocom';

/** A socket error code such as ECONNRESET; never the axios error, whose config holds headers and body. */
const failureReason = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'NETWORK_ERROR';
};

const headerText = (value: unknown) => (typeof value === 'string' ? value : undefined);

const isSuccess = (status: number) => status >= 200 && status < 300;

const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A streamed reply: a success goes to the reader, anything else is kept as text for its error. */
const bodyOf = async (stream: Readable, status: number, read: BodyReader) => {
  if (!isSuccess(status)) return text(stream);
  await read(stream, status);
  return '';
};

/**
 * Pooled keep-alive connections and a hard per-request deadline. Replies are kept as text so
 * the caller can tell "not JSON" from "wrong shape"; every status is a reply, not a throw.
 */
export const createHttpTransport = (): HttpTransport => {
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
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    },
  });

  const post: HttpTransport['post'] = async (url, body, { bearer, timeoutMs, guarded, read }) => {
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
      const data = response.data;
      return {
        kind: 'reply',
        status: response.status,
        body: typeof data === 'string' ? data : read && data ? await bodyOf(data, response.status, read) : '',
        retryAfter: headerText(response.headers['retry-after']),
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

  return {
    post,
    signal: shutdown.signal,
    destroy() {
      shutdown.abort();
      httpAgent.destroy();
      httpsAgent.destroy();
      guardedAgents.httpAgent.destroy();
      guardedAgents.httpsAgent.destroy();
    },
  };
};
