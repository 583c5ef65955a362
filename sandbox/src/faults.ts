export type SandboxEndpoint = 'login' | 'catalog' | 'contentAccessAuthorization' | 'videoAccess' | 'revocateActivation';

export interface FaultRule {
  endpoint: SandboxEndpoint | '*';
  /** How many requests the rule applies to; Infinity (or null over HTTP) for all. */
  times?: number | null;
  status?: number;
  /** A raw body, e.g. non-JSON. */
  body?: string;
  /** A JSON body sent instead of the real answer, e.g. a wrong shape. */
  json?: unknown;
  hang?: boolean;
  reset?: boolean;
  latencyMs?: number;
  retryAfter?: number;
}

/** Rules are consumed in order, per endpoint; `*` rules match any endpoint. */
export class FaultQueue {
  private rules: (FaultRule & { remaining: number })[] = [];

  add(rule: FaultRule) {
    this.rules.push({ ...rule, remaining: rule.times === null ? Infinity : (rule.times ?? 1) });
  }

  take(endpoint: SandboxEndpoint): FaultRule | undefined {
    const rule = this.rules.find((r) => r.endpoint === endpoint || r.endpoint === '*');
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  clear() {
    this.rules = [];
  }
}
