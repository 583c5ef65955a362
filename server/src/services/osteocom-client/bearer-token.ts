/** Reads a JWT's `exp` (seconds) without verifying it: the client only needs to know when to refresh. */
export const jwtExpiry = (token: string): number | undefined => {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
};

interface Cached {
  token: string;
  refreshAt: number;
  identity: string;
}

/**
 * One bearer token per client, refreshed shortly before it expires, with one login in flight
 * however many callers wait for it.
 */
export class BearerTokenCache {
  private cached?: Cached;
  private inFlight?: { identity: string; promise: Promise<string> };

  constructor(private readonly options: { refreshMarginSeconds: number; fallbackTtlSeconds: number; now: () => number }) {}

  async get(identity: string, login: () => Promise<string>): Promise<string> {
    const cached = this.cached;
    if (cached && cached.identity === identity && cached.refreshAt > this.options.now()) return cached.token;
    if (this.inFlight?.identity === identity) return this.inFlight.promise;
    const promise = login()
      .then((token) => {
        this.cached = { token, identity, refreshAt: this.refreshAt(token) };
        return token;
      })
      .finally(() => {
        if (this.inFlight?.promise === promise) this.inFlight = undefined;
      });
    this.inFlight = { identity, promise };
    return promise;
  }

  /** Drops the token if it is still the one that failed, so concurrent 401s cause one re-login. */
  invalidate(token: string) {
    if (this.cached?.token === token) this.cached = undefined;
  }

  clear() {
    this.cached = undefined;
    this.inFlight = undefined;
  }

  hasToken() {
    return Boolean(this.cached);
  }

  private refreshAt(token: string) {
    const now = this.options.now();
    const exp = jwtExpiry(token);
    if (exp === undefined) return now + this.options.fallbackTtlSeconds * 1000;
    return exp * 1000 - this.options.refreshMarginSeconds * 1000;
  }
}
