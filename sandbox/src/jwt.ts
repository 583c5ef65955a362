import { createHmac, timingSafeEqual } from 'node:crypto';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = encode({ alg: 'HS256', typ: 'JWT' });

const signature = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export const signJwt = (payload: Record<string, unknown>, secret: string): string => {
  const body = `${HEADER}.${encode(payload)}`;
  return `${body}.${signature(secret, body)}`;
};

/** The payload of a token this sandbox signed and that has not expired, else null. */
export const verifyJwt = (token: string, secret: string, nowSeconds = Date.now() / 1000): Record<string, unknown> | null => {
  const [header, payload, sig] = token.split('.');
  if (!header || !payload || !sig || header !== HEADER) return null;
  const expected = Buffer.from(signature(secret, `${header}.${payload}`));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
};
