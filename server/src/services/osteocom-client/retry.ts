export interface RetryPolicy {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Exponential backoff with full jitter; an upstream Retry-After wins, within the cap. */
export const backoffDelay = (policy: RetryPolicy, attempt: number, retryAfterSeconds?: number) => {
  if (retryAfterSeconds !== undefined) return Math.min(policy.backoffMaxMs, retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
};

export const parseRetryAfter = (header: unknown): number | undefined => {
  if (typeof header !== 'string' || header === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
};
