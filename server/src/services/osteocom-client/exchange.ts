import { performance } from 'node:perf_hooks';
import type { Endpoint } from './endpoints';
import { shutDownError, unavailableError } from './errors';
import type { BodyReader, HttpOutcome, HttpTransport, UpstreamReply } from './http';
import { isRetryableStatus, parseRetryAfter, retryWithBackoff, type AttemptResult } from './retry';
import type { HttpPolicy, OsteocomLogger } from './types';

export type Exchange = (
  endpoint: Endpoint,
  url: string,
  body: object,
  bearer?: string,
  /** `guarded`: an admin-typed base URL, checked again at connect; `read`: stream the body to it. */
  transfer?: { guarded?: boolean; read?: BodyReader }
) => Promise<UpstreamReply>;

/** A reply that is a final answer, or why another attempt may fare better. */
const classify = (
  outcome: Exclude<HttpOutcome, { kind: 'shutdown' }>
): AttemptResult<UpstreamReply> => {
  if (outcome.kind === 'failure') return { ok: false, failure: { reason: outcome.reason } };
  if (!isRetryableStatus(outcome.status))
    return { ok: true, value: { status: outcome.status, body: outcome.body } };
  return {
    ok: false,
    failure: {
      reason: `HTTP ${outcome.status}`,
      upstreamStatus: outcome.status,
      retryAfterSeconds: parseRetryAfter(outcome.retryAfter),
    },
  };
};

/**
 * One logical POST: attempts with backoff until a final answer (any status but 429/5xx), else
 * UPSTREAM_UNAVAILABLE. Retrying is safe: every Osteocom call is idempotent (authorization
 * reuses the customer, revocation keeps its first date, a video token is simply issued again).
 */
export const createExchange =
  (transport: HttpTransport, policy: () => HttpPolicy, log: OsteocomLogger): Exchange =>
  async (endpoint, url, body, bearer, transfer = {}) => {
    const current = policy();
    const outcome = await retryWithBackoff(
      current,
      transport.signal,
      async (attempt) => {
        const started = performance.now();
        const result = await transport.post(url, body, { bearer, timeoutMs: current.timeoutMs, ...transfer });
        const durationMs = Math.round(performance.now() - started);
        if (result.kind === 'shutdown') throw shutDownError(endpoint, attempt);
        const answer =
          result.kind === 'reply' ? { status: result.status } : { reason: result.reason };
        log.debug('osteocom request', { endpoint, ...answer, attempt, durationMs });
        return classify(result);
      },
      (failure, attempt, delayMs) =>
        log.warn('osteocom request failed; retrying', {
          endpoint,
          attempt,
          reason: failure.reason,
          delayMs,
        })
    );
    if (outcome.ok) return outcome.value;
    throw unavailableError(endpoint, outcome.attempts, outcome.failure);
  };
