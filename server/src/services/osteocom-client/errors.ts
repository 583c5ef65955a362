import type { ZodError } from 'zod';
import { OsteocomError, describeIssues, type ErrorCode } from '../../errors';
import type { Endpoint } from './transport';

/**
 * What Osteocom's answers mean to the plugin's callers. Every error is built from plain facts
 * (endpoint, status, field paths), never from an axios error, a request body or headers, so no
 * token or secret can ride along.
 */

const MAX_UPSTREAM_MESSAGE = 200;
const MAX_FIELDS = 20;

const JWT_LIKE = /[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g;
const OPAQUE_LIKE = /[\w+/=-]{32,}/g;

/** Upstream text made safe to show: one line, no control characters, nothing token-like. */
export const sanitizeText = (text: string, secrets: readonly string[]) => {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.split(secret).join('[redacted]');
  return clean
    .replace(JWT_LIKE, '[redacted]')
    .replace(OPAQUE_LIKE, '[redacted]')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

/** The messages the API reference documents, as Osteocom writes them. */
const DOCUMENTED_MESSAGES = ['Not Authorized', 'Not authorized, or token expired', 'Email field required', 'Malformed email', 'Video not found'];
const DOCUMENTED = new Map(DOCUMENTED_MESSAGES.map((text) => [text.toLowerCase(), text]));

/**
 * Anything else is shown only as a short line of plain words: no URL, markup, JSON, address or
 * path, so a reply from whatever host answered cannot be read back through an error message.
 */
const MAX_FREE_MESSAGE = 80;
const PLAIN_WORDS = /^[\p{L}\p{N} .,;:'()!?_-]+$/u;
/** "db01.corp.local", "10.0.0.1", "host:8080": names and addresses are not plain words. */
const HOST_LIKE = /[\p{L}\p{N}_-]\.[\p{L}\p{N}]|:\d/u;

/** The upstream's `{ error }` or `{ message }`: a documented message, or short plain words, sanitised. */
const upstreamMessage = (body: string, secrets: readonly string[]): string | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { error, message } = json as { error?: unknown; message?: unknown };
  const text = typeof error === 'string' ? error : message;
  if (typeof text !== 'string' || text.length > MAX_UPSTREAM_MESSAGE) return undefined;
  const documented = DOCUMENTED.get(text.trim().toLowerCase());
  if (documented) return documented;
  const clean = sanitizeText(text, secrets);
  if (clean.length > MAX_FREE_MESSAGE || !PLAIN_WORDS.test(clean) || HOST_LIKE.test(clean)) return undefined;
  return clean;
};

type Mapping = { code: ErrorCode; message: string };

/** The reference's own refusal messages, compared without case or a final full stop. */
const sameMessage = (said: string | undefined, documented: string) =>
  said?.replace(/\.$/, '').toLowerCase() === documented.toLowerCase();

/**
 * contentAccessAuthorization's documented refusals are told apart by what Osteocom said, not by
 * the status alone: any other refusal (e.g. "Product not enabled for this client") is not an
 * email problem and must not be reported as one.
 */
const mapAuthorizationRefusal = (status: number, said: string | undefined): Mapping => {
  if (sameMessage(said, 'Email field required')) return { code: 'EMAIL_REQUIRED', message: 'Osteocom requires an email address for this customer.' };
  if (sameMessage(said, 'Malformed email')) return { code: 'INVALID_EMAIL', message: 'Osteocom refused the email address as malformed.' };
  const because = said ? `: "${said}"` : ', without saying why';
  return { code: 'UPSTREAM_REJECTED', message: `Osteocom refused the purchase (HTTP ${status})${because}.` };
};

/** The documented statuses of each endpoint. A 401 on a bearer call only gets here after a fresh login. */
const mapStatus = (endpoint: Endpoint, status: number, said: string | undefined): Mapping | undefined => {
  if (status === 401 && endpoint === 'login') {
    return {
      code: 'UPSTREAM_UNAUTHORIZED',
      message: 'Osteocom rejected the client credentials: check the client ID and client secret in the plugin settings.',
    };
  }
  if (status === 401 && endpoint === 'videoAccess') return { code: 'NOT_AUTHORIZED_UPSTREAM', message: 'Osteocom refused this customer access to the video.' };
  if (status === 401) {
    return { code: 'UPSTREAM_UNAUTHORIZED', message: `Osteocom refused the ${endpoint} call even after a fresh login: check the client credentials.` };
  }
  if (endpoint === 'contentAccessAuthorization' && status >= 400 && status < 500) return mapAuthorizationRefusal(status, said);
  if (endpoint === 'videoAccess' && status === 404) return { code: 'VIDEO_NOT_FOUND', message: 'Osteocom does not know this video.' };
  return undefined;
};

/** The error for a final, non-success status (retryable statuses never get here), its text scrubbed of `secrets`. */
export const statusError = (endpoint: Endpoint, status: number, body: string, secrets: readonly string[]) => {
  const said = upstreamMessage(body, secrets);
  const details = { endpoint, upstreamStatus: status, ...(said ? { upstreamMessage: said } : {}) };
  const mapped = mapStatus(endpoint, status, said);
  if (mapped) return new OsteocomError(mapped.code, mapped.message, { details });
  const because = said ? `: ${said}` : '';
  return new OsteocomError('UPSTREAM_REJECTED', `Osteocom refused the ${endpoint} call (HTTP ${status})${because}.`, { details });
};

export const notJsonError = (endpoint: Endpoint, status: number) =>
  new OsteocomError('UPSTREAM_INVALID_RESPONSE', `Osteocom answered the ${endpoint} call with a body that is not JSON.`, {
    details: { endpoint, upstreamStatus: status },
  });

/** Names the fields that broke the contract, never their values. */
export const wrongShapeError = (endpoint: Endpoint, status: number, error: ZodError) =>
  new OsteocomError('UPSTREAM_INVALID_RESPONSE', `Osteocom answered the ${endpoint} call with an unexpected shape: ${describeIssues(error)}.`, {
    details: { endpoint, upstreamStatus: status, fields: error.issues.slice(0, MAX_FIELDS).map((issue) => issue.path.map(String).join('.') || 'body') },
  });

/**
 * A 200 that confirms the call but lacks what the plugin needs from it (`200 {}` for an
 * authorization: no access key). Not a transient failure to retry silently: the lifecycle flags
 * the row for an editor (see entitlement-lifecycle.ts).
 */
export const protocolError = (endpoint: Endpoint, status: number, missing: string[]) =>
  new OsteocomError('UPSTREAM_PROTOCOL_ERROR', `Osteocom answered the ${endpoint} call with HTTP ${status} but without ${missing.join(' and ')}.`, {
    details: { endpoint, upstreamStatus: status, fields: missing },
  });
