import type { HttpPolicy } from './types';

/** What made the last attempt fail: `timeout`, a socket error code or `HTTP 503`. */
export interface RetryableFailure {
  reason: string;
  upstreamStatus?: number;
  retryAfterSeconds?: number;
}

export type RetryPolicy = Pick<HttpPolicy, 'maxAttempts' | 'backoffBaseMs' | 'backoffMaxMs'>;

/** Rate limiting and server errors are transient; any other status is a final answer. */
export const isRetryableStatus = (status: number) => status === 429 || status >= 500;

/** Retry-After as seconds: delta-seconds or an HTTP date. */
export const parseRetryAfter = (
  value: string | undefined,
  now = Date.now()
): number | undefined => {
  if (!value?.trim()) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
};

/**
 * Exponential backoff with full jitter (a random wait up to base·2^(attempt-1)), so many clients
 * failing together do not retry together. An upstream Retry-After wins, within the same cap.
 */
export const backoffDelayMs = (
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds?: number,
  random = Math.random
) => {
  if (retryAfterSeconds !== undefined)
    return Math.min(policy.backoffMaxMs, retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
};

/** Waits, or stops waiting as soon as the signal aborts. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export type AttemptResult<T> = { ok: true; value: T } | { ok: false; failure: RetryableFailure };

export type RetryOutcome<T> = (
  { ok: true; value: T } | { ok: false; failure: RetryableFailure }
) & { attempts: number };

/**
 * Runs `attempt` until it succeeds or `maxAttempts` attempts have failed. Terminal errors are
 * thrown by `attempt` itself; the signal cuts a backoff short.
 */
export const retryWithBackoff = async <T>(
  policy: RetryPolicy,
  signal: AbortSignal,
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
  onRetry: (failure: RetryableFailure, attemptNumber: number, delayMs: number) => void
): Promise<RetryOutcome<T>> => {
  const maxAttempts = Math.max(1, policy.maxAttempts);
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const result = await attempt(attemptNumber);
    if (result.ok || attemptNumber >= maxAttempts) return { ...result, attempts: attemptNumber };
    const delayMs = backoffDelayMs(policy, attemptNumber, result.failure.retryAfterSeconds);
    onRetry(result.failure, attemptNumber, delayMs);
    await sleep(delayMs, signal);
  }
};
