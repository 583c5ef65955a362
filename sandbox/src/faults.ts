import { isRecord } from './http';

export type SandboxEndpoint =
  'login' | 'catalog' | 'contentAccessAuthorization' | 'videoAccess' | 'revocateActivation';

export const ENDPOINTS: readonly SandboxEndpoint[] = [
  'login',
  'catalog',
  'contentAccessAuthorization',
  'videoAccess',
  'revocateActivation',
];

export const isEndpoint = (value: unknown): value is SandboxEndpoint =>
  ENDPOINTS.includes(value as SandboxEndpoint);

export interface FaultRule {
  endpoint: SandboxEndpoint | '*';
  /** How many requests the rule spoils; default 1, Infinity (null over HTTP) for all. */
  times?: number | null;
  /** Answer with this status (with `json`, `body`, or `{"error":"Injected fault"}`). */
  status?: number;
  /** A raw body, e.g. non-JSON `<html>oops</html>`. */
  body?: string;
  /** A JSON body sent instead of the real answer, e.g. a wrong shape. */
  json?: unknown;
  /** Never answer (until the client gives up or the sandbox closes). */
  hang?: boolean;
  /** Reset the connection without answering. */
  reset?: boolean;
  /**
   * Hold the request until `release()` (or POST /__sandbox/release); then the fault goes on as
   * with a latency that just ended. Makes "the call lands after X" exact instead of timed.
   */
  hold?: boolean;
  /** Wait this long; then the fault's own answer, or the real one when it has none. */
  latencyMs?: number;
  /**
   * When the request is applied, relative to the fault. 'before' (default): the fault acts first
   * (the request reaches Osteocom late; a status, body, hang or reset means it is never applied).
   * 'after': Osteocom applies the request at once, then the fault acts on the answer only (it
   * arrives late, is replaced by the fault's status or body, or never arrives).
   */
  latencyPhase?: 'before' | 'after';
  /** Spoil only requests whose JSON body has this userId (so concurrent customers are not mixed up). */
  match?: { userId: string };
  /** A Retry-After header on whatever answer goes out: seconds, or an HTTP date string. */
  retryAfter?: number | string;
  /**
   * Top-level fields left out of the real answer (the request is applied), e.g. `['expiresIn']`:
   * what the reference allows for its optional fields. `['*']` leaves them all out: `200 {}`.
   */
  omit?: string[];
}

const isUserIdMatch = (value: unknown) =>
  isRecord(value) &&
  Object.keys(value).length === 1 &&
  typeof value.userId === 'string' &&
  value.userId !== '';

const isCount = (value: unknown) =>
  typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Infinity);

/** The rule as sent to the control API, or an error saying what is wrong with it. */
export const parseFaultRule = (value: unknown): FaultRule | string => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'a fault rule is a JSON object';
  const rule = value as Record<string, unknown>;
  if (rule.endpoint !== '*' && !isEndpoint(rule.endpoint))
    return `endpoint must be '*' or one of ${ENDPOINTS.join(', ')}`;
  if (rule.times !== undefined && rule.times !== null && !(isCount(rule.times) && rule.times !== 0))
    return 'times must be a positive integer or null';
  if (
    rule.status !== undefined &&
    !(
      Number.isInteger(rule.status) &&
      (rule.status as number) >= 100 &&
      (rule.status as number) <= 599
    )
  )
    return 'status must be an HTTP status';
  if (rule.body !== undefined && typeof rule.body !== 'string') return 'body must be a string';
  if (rule.latencyMs !== undefined && !(isCount(rule.latencyMs) && rule.latencyMs !== Infinity))
    return 'latencyMs must be a non-negative integer';
  if (
    rule.retryAfter !== undefined &&
    !(isCount(rule.retryAfter) && rule.retryAfter !== Infinity) &&
    !(typeof rule.retryAfter === 'string' && !Number.isNaN(Date.parse(rule.retryAfter)))
  )
    return 'retryAfter must be a non-negative integer or an HTTP date';
  if (
    rule.omit !== undefined &&
    !(Array.isArray(rule.omit) && rule.omit.every((field) => typeof field === 'string' && field !== ''))
  )
    return 'omit must be an array of field names';
  if (
    rule.latencyPhase !== undefined &&
    rule.latencyPhase !== 'before' &&
    rule.latencyPhase !== 'after'
  )
    return "latencyPhase must be 'before' or 'after'";
  if (rule.match !== undefined && !isUserIdMatch(rule.match))
    return 'match must be an object { userId } with a non-empty string userId';
  for (const key of ['hang', 'reset', 'hold'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'boolean')
      return `${key} must be a boolean`;
  }
  return rule as unknown as FaultRule;
};

const matches = (rule: FaultRule, endpoint: SandboxEndpoint, body: unknown) =>
  (rule.endpoint === endpoint || rule.endpoint === '*') &&
  (rule.match === undefined || (isRecord(body) && body.userId === rule.match.userId));

/** Rules are consumed in the order they were queued; `*` rules match any endpoint. */
export class FaultQueue {
  private rules: (FaultRule & { remaining: number })[] = [];

  add(rule: FaultRule) {
    this.rules.push({ ...rule, remaining: rule.times === null ? Infinity : (rule.times ?? 1) });
  }

  /** The first queued rule for this request; `body` is its parsed JSON (for `match`). */
  take(endpoint: SandboxEndpoint, body: unknown): FaultRule | undefined {
    const rule = this.rules.find((r) => matches(r, endpoint, body));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    return rule;
  }

  clear() {
    this.rules = [];
  }
}
