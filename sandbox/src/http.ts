import type { IncomingMessage, ServerResponse } from 'node:http';

/** A complete answer: status, serialized body and its type. */
export interface Reply {
  status: number;
  body: string;
  type?: string;
}

export const reply = (status: number, value: unknown): Reply => ({
  status,
  body: JSON.stringify(value),
});
export const fail = (status: number, error: string) => reply(status, { error });
export const NOT_AUTHORIZED = fail(401, 'Not Authorized');

export const send = (res: ServerResponse, answer: Reply, headers: Record<string, string> = {}) => {
  res.writeHead(answer.status, {
    'Content-Type': answer.type ?? 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(answer.body);
};

/** The whole body as text, or undefined when it is longer than `limit` bytes (read to the end anyway, so the connection stays usable). */
export const readBody = (req: IncomingMessage, limit: number) =>
  new Promise<string | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export type Parsed = { ok: true; value: unknown } | { ok: false };

export const parseJson = (text: string): Parsed => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
