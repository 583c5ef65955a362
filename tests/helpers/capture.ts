import type { Server, ServerResponse } from 'node:http';
import { inspect } from 'node:util';

/**
 * Observes what a running Strapi says, without changing it: every call to its logger (all levels,
 * before level filtering, so debug lines count too) and every HTTP response it sends.
 */

const LOG_METHODS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'log'] as const;

export interface CapturedLog {
  level: string;
  text: string;
}

type Logger = Partial<Record<(typeof LOG_METHODS)[number], (...args: unknown[]) => unknown>>;

const render = (value: unknown) =>
  typeof value === 'string' ? value : inspect(value, { depth: 8, breakLength: Infinity, maxStringLength: Infinity, maxArrayLength: Infinity });

/** Wraps the logger's methods; each call is recorded, then goes through unchanged. */
export const captureLogs = (logger: object) => {
  const lines: CapturedLog[] = [];
  const target = logger as Logger;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const level of LOG_METHODS) {
    const original = target[level];
    if (typeof original !== 'function') continue;
    originals.set(level, original);
    target[level] = function (this: unknown, ...args: unknown[]) {
      lines.push({ level, text: args.map(render).join(' ') });
      return original.apply(this ?? logger, args);
    };
  }
  return {
    lines,
    restore() {
      for (const [level, original] of originals) target[level as (typeof LOG_METHODS)[number]] = original;
    },
  };
};

export interface CapturedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const toBuffer = (chunk: unknown, encoding: unknown) =>
  typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);

/** Records every response the server sends (status, headers, body), from the first listener on. */
export const captureResponses = (server: Server) => {
  const responses: CapturedResponse[] = [];
  const listener = (req: { method?: string; url?: string }, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, rest[0]));
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, rest[0]));
      return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as ServerResponse['end'];
    res.once('finish', () =>
      responses.push({
        method: req.method ?? '',
        url: req.url ?? '',
        status: res.statusCode,
        headers: { ...res.getHeaders() },
        body: Buffer.concat(chunks).toString('utf8'),
      })
    );
  };
  server.prependListener('request', listener);
  return {
    responses,
    stop: () => void server.off('request', listener),
  };
};

export interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

/** Where any of `secrets` (labelled) occurs in `texts` (labelled); an excerpt shows the context. */
export const findLeaks = (secrets: Record<string, string>, texts: { where: string; text: string }[]): Leak[] => {
  const leaks: Leak[] = [];
  for (const [label, secret] of Object.entries(secrets)) {
    if (!secret) continue;
    for (const { where, text } of texts) {
      const at = text.indexOf(secret);
      if (at === -1) continue;
      leaks.push({ secret: label, where, excerpt: text.slice(Math.max(0, at - 80), at + 20).replace(secret, '«SECRET»') });
    }
  }
  return leaks;
};
