import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = encode({ alg: 'HS256', typ: 'JWT' });

const signature = (secret: string, signed: string) =>
  createHmac('sha256', secret).update(signed).digest('base64url');

export const nowSeconds = () => Date.now() / 1000;

/** An HS256 JWT, as Osteocom issues for bearers, access keys and video tokens. */
export const signJwt = (claims: JwtClaims, secret: string): string => {
  const signed = `${HEADER}.${encode(claims)}`;
  return `${signed}.${signature(secret, signed)}`;
};

/** The claims of a token signed with `secret` whose `exp` (if any) is still ahead, else null. */
export const verifyJwt = (token: string, secret: string, now = nowSeconds()): JwtClaims | null => {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  // Compared as text: decoding base64url would ignore stray characters and let altered tokens pass.
  const expected = Buffer.from(signature(secret, `${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
  const { exp } = claims as JwtClaims;
  if (exp !== undefined && (typeof exp !== 'number' || exp <= now)) return null;
  return claims as JwtClaims;
};
