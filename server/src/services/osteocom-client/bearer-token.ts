export interface TokenPolicy {
  refreshMarginSeconds: number;
  fallbackTtlSeconds: number;
}

/**
 * A JWT's `exp` (seconds since the epoch), read without verifying the signature: the client
 * only needs to know when to refresh, and Osteocom remains the judge of validity.
 */
export const jwtExpiry = (token: string): number | undefined => {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    } | null;
    return typeof claims?.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch {
    return undefined;
  }
};

/**
 * When a token fetched at `now` is due for refresh: `refreshMarginSeconds` before its `exp`, or
 * `fallbackTtlSeconds` after `now` when it has no readable (or only a past) `exp`. A lifetime
 * shorter than the margin is used for half its length, so a short-lived token still gets reused.
 */
export const refreshDueAt = (token: string, now: number, policy: TokenPolicy): number => {
  const exp = jwtExpiry(token);
  const remainingMs =
    exp !== undefined && exp * 1000 > now ? exp * 1000 - now : policy.fallbackTtlSeconds * 1000;
  const marginMs = policy.refreshMarginSeconds * 1000;
  return now + (remainingMs > marginMs ? remainingMs - marginMs : remainingMs / 2);
};

interface CachedToken {
  token: string;
  identity: string;
  refreshAt: number;
}

interface PendingLogin {
  identity: string;
  promise: Promise<string>;
}

/**
 * The bearer token of one client: reused until due for refresh, dropped when the connection
 * identity changes, and fetched by a single login however many callers wait for it.
 */
export class BearerTokenCache {
  private cached?: CachedToken;
  private pending?: PendingLogin;

  constructor(
    private readonly policy: () => TokenPolicy,
    private readonly now: () => number
  ) {}

  /** A fresh-enough token for `identity`, logging in (once) if there is none. */
  get(identity: string, login: () => Promise<string>): Promise<string> {
    if (this.cached && this.cached.identity !== identity) this.cached = undefined;
    if (this.cached && this.cached.refreshAt > this.now())
      return Promise.resolve(this.cached.token);
    return this.join(identity, login);
  }

  /** Forces a new login, or joins one already in flight for the same identity. */
  refresh(identity: string, login: () => Promise<string>): Promise<string> {
    this.cached = undefined;
    return this.join(identity, login);
  }

  /** Drops `token` after Osteocom refused it, unless a newer one has replaced it already. */
  invalidate(token: string) {
    if (this.cached?.token === token) this.cached = undefined;
  }

  clear() {
    this.cached = undefined;
    this.pending = undefined;
  }

  private join(identity: string, login: () => Promise<string>): Promise<string> {
    if (this.pending?.identity === identity) return this.pending.promise;
    const promise: Promise<string> = login()
      .then((token) => {
        // A login superseded by a settings change or clear() must not repopulate the cache.
        if (this.pending?.promise === promise) {
          this.cached = {
            token,
            identity,
            refreshAt: refreshDueAt(token, this.now(), this.policy()),
          };
        }
        return token;
      })
      .finally(() => {
        if (this.pending?.promise === promise) this.pending = undefined;
      });
    this.pending = { identity, promise };
    return promise;
  }
}
