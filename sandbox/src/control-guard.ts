import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MIMEType } from 'node:util';
import { fail, type Reply } from './http';

/**
 * Who may drive the sandbox. The control API resets state, injects faults and serves a request
 * log holding bearers, access keys and emails, so a web page the developer happens to visit must
 * not reach it: a loopback Host defeats DNS rebinding, the token header and a JSON body force a
 * CORS preflight that is never granted, and the token keeps out other local users.
 */
export const CONTROL_TOKEN_HEADER = 'x-sandbox-control-token';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The name part of a Host header ("127.0.0.1:4010" → "127.0.0.1", "[::1]:80" → "[::1]"). */
const hostName = (host: string | undefined) =>
  /^(\[[^\]]*\]|[^:[\]]*)(?::\d{1,5})?$/.exec(host ?? '')?.[1].toLowerCase();

const isLoopbackHost = (host: string | undefined) => LOOPBACK.has(hostName(host) ?? '');

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compared as digests, so neither the length nor a prefix of the token leaks through timing. */
const isToken = (given: string | string[] | undefined, token: string) =>
  typeof given === 'string' && timingSafeEqual(digest(given), digest(token));

const isJson = (contentType: string | undefined) => {
  try {
    return contentType !== undefined && new MIMEType(contentType).essence === 'application/json';
  } catch {
    return false;
  }
};

/** Why a control request is refused, checked before its body is read; undefined when it may go on. */
export const controlRefusal = (req: IncomingMessage, token: string): Reply | undefined => {
  if (!isLoopbackHost(req.headers.host))
    return fail(403, 'The control API answers only requests to localhost, 127.0.0.1 or [::1]');
  if (!isToken(req.headers[CONTROL_TOKEN_HEADER], token))
    return fail(401, `Missing or wrong ${CONTROL_TOKEN_HEADER} header`);
  if ((req.method === 'POST' || req.method === 'PUT') && !isJson(req.headers['content-type']))
    return fail(415, 'Control requests with a body must be sent as Content-Type: application/json');
  return undefined;
};
