/**
 * The entitlement lifecycle: every state a customer × channel can be in, and what every event does
 * to it. Pure functions — no database, no HTTP — so the table in docs/TESTING.md can be read off
 * this file and the model-based test can check the code against it.
 *
 * A row stores two facts: `status` (what the customer may do here: only `active` plays) and
 * `pendingOperation` (what Osteocom must still be told). Their pairs are the states:
 *
 * | state             | status  | pendingOperation | plays |
 * |-------------------|---------|------------------|-------|
 * | pending-authorize | pending | authorize        | no    |
 * | active            | active  | —                | yes   |
 * | confirming        | active  | authorize        | yes   |  an active channel re-sent (re-send, lost race)
 * | pending-revoke    | revoked | revoke           | no    |  a refund ends access here at once
 * | revoked           | revoked | —                | no    |
 * | failed            | failed  | —                | no    |
 *
 * Each recorded operation carries a fresh `operationId`; an answer settles the row only while the
 * row still holds that id (a guarded write). Both Osteocom calls are idempotent, so whatever loses
 * a race is repaired by sending the row's latest intent again — also when an earlier call that got
 * no answer may still land at Osteocom after a newer one (`doubtOperation`, `doubtUntil`).
 */
import { randomUUID } from 'node:crypto';

type Status = 'pending' | 'active' | 'revoked' | 'failed';
export type Intent = 'authorize' | 'revoke';
type State = 'none' | 'pending-authorize' | 'active' | 'confirming' | 'pending-revoke' | 'revoked' | 'failed';

/** The lifecycle's columns of an entitlement row. */
export interface LifecycleRow {
  /** Incremented by every write: a patch applies only to the version it was computed from. */
  version: number;
  status: Status;
  pendingOperation: Intent | null;
  operationId: string | null;
  fallbackOperation: 'revoke' | null;
  /**
   * A call that got no answer (timeout, 5xx) may still land at Osteocom until `doubtUntil`: an
   * operation of another intent that succeeds before then is sent once more after it, so Osteocom
   * ends with it. `doubtOperation` is that call's intent, or null once calls of both are in doubt.
   */
  doubtOperation: Intent | null;
  doubtUntil: Date | string | null;
  attempts: number;
  needsReconciliation: boolean;
  /** When a time-limited access ends (null: for good). */
  accessUntil: Date | string | null;
}

/** What an upstream call came back with, as far as the lifecycle cares. */
export type Outcome =
  | { kind: 'success'; cancellationDate?: string }
  | { kind: 'transient'; code: string; message: string; shutdown: boolean }
  | { kind: 'permanent'; code: string; message: string };

export type Patch = Record<string, unknown>;

export interface Backoff {
  /** When the outbox may send an operation recorded now: after any call in flight has ended. */
  firstRetryAt: () => Date;
  /** When to retry after `attempts` transient failures. */
  retryAt: (attempts: number) => Date;
}

export const stateOf = (row: Pick<LifecycleRow, 'status' | 'pendingOperation'> | null): State => {
  if (!row) return 'none';
  if (row.pendingOperation === 'authorize') return row.status === 'active' ? 'confirming' : 'pending-authorize';
  if (row.pendingOperation === 'revoke') return 'pending-revoke';
  // `pending` with nothing to send only exists in rows written before this lifecycle (see repairLegacy).
  return row.status === 'pending' ? 'pending-authorize' : row.status;
};

/** The intent a row's current state stands for: what Osteocom should end up holding. */
export const intentOf = (row: Pick<LifecycleRow, 'status' | 'pendingOperation'>): Intent =>
  row.pendingOperation ?? (row.status === 'revoked' ? 'revoke' : 'authorize');

const record = (intent: Intent, backoff: Backoff, dueNow = false): Patch => ({
  pendingOperation: intent,
  operationId: randomUUID(),
  operationAt: new Date(),
  attempts: 0,
  nextAttemptAt: dueNow ? new Date() : backoff.firstRetryAt(),
  lastError: null,
  lastErrorCode: null,
  alertedAt: null,
});

/**
 * A purchase of this channel, until `accessUntil` (null: for good). Returns the patch to write and
 * whether this call sends it, or null when nothing changes. An active channel is never sent again
 * nor demoted: a new date only extends (or, without one, makes permanent) what it already has.
 */
export const onAuthorizeRequested = (row: LifecycleRow | null, backoff: Backoff, accessUntil: Date | null = null): { patch: Patch; send: boolean } | null => {
  const state = stateOf(row);
  if (state === 'active' || state === 'confirming') {
    return sameInstant(row?.accessUntil, accessUntil) ? null : { patch: { accessUntil }, send: false };
  }
  return { patch: purchase(row, backoff, accessUntil), send: true };
};

const sameInstant = (a: Date | string | null | undefined, b: Date | null) => (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);

const purchase = (row: LifecycleRow | null, backoff: Backoff, accessUntil: Date | null): Patch => {
  const state = stateOf(row);
  return {
    ...record('authorize', backoff),
    status: 'pending',
    revokedAt: null,
    accessUntil,
    // A refund not yet confirmed is kept as the fallback: if Osteocom refuses this purchase, the
    // refund is sent after all instead of being discarded.
    fallbackOperation: state === 'pending-revoke' || row?.fallbackOperation === 'revoke' ? 'revoke' : null,
  };
};

/** A time-limited access whose end has come: revoked like a refund, if it is still active and still due. */
export const onExpired = (row: LifecycleRow | null, backoff: Backoff, now = new Date()): Patch | null => {
  if (!row || stateOf(row) !== 'active' || !row.accessUntil || new Date(row.accessUntil) > now) return null;
  return onRevokeRequested(backoff);
};

/** A refund: access ends here at once, whatever the row was; the revocation is (re)sent. */
export const onRevokeRequested = (backoff: Backoff): Patch => ({
  ...record('revoke', backoff),
  status: 'revoked',
  fallbackOperation: null,
});

/** An editor's one-click re-send: the row's current intent goes out again through the same path. */
export const onResendRequested = (row: LifecycleRow, backoff: Backoff): Patch => {
  const intent = intentOf(row);
  if (intent === 'revoke') return { ...record('revoke', backoff), status: 'revoked' };
  return { ...record('authorize', backoff), status: row.status === 'active' ? 'active' : 'pending' };
};

/** The answer to the operation the row still holds. */
export const onSettled = (row: LifecycleRow, intent: Intent, outcome: Outcome, backoff: Backoff, now = new Date()): Patch => {
  if (outcome.kind === 'success') {
    const settled = settledSuccess(intent, outcome);
    // An opposite call without an answer may still land after this one: confirm this one again once it cannot.
    if (inDoubt(row, now) && row.doubtOperation !== intent) {
      return { ...settled, ...record(intent, backoff), nextAttemptAt: new Date(row.doubtUntil!) };
    }
    return settled;
  }
  if (outcome.kind === 'transient') {
    // Never exhausts: a purchase or refund Osteocom has not taken yet is retried for as long as it
    // takes. A shutdown is no attempt at all: the call was never made.
    if (outcome.shutdown) return {};
    const attempts = row.attempts + 1;
    return {
      attempts,
      nextAttemptAt: backoff.retryAt(attempts),
      lastError: outcome.message,
      lastErrorCode: outcome.code,
      ...doubt(row, intent, backoff),
    };
  }
  return settledRefusal(row, intent, outcome, backoff);
};

const inDoubt = (row: LifecycleRow, now = new Date()) => Boolean(row.doubtUntil && new Date(row.doubtUntil) > now);

/** Notes that a call of `intent` got no answer and may still land; two intents in doubt at once make both doubtful. */
const doubt = (row: LifecycleRow, intent: Intent, backoff: Backoff): Patch => ({
  doubtOperation: inDoubt(row) && row.doubtOperation !== intent ? null : intent,
  doubtUntil: backoff.firstRetryAt(),
});

const done = {
  pendingOperation: null,
  operationId: null,
  nextAttemptAt: null,
  fallbackOperation: null,
  doubtOperation: null,
  doubtUntil: null,
  lastError: null,
  lastErrorCode: null,
  alertedAt: null,
};

const settledSuccess = (intent: Intent, outcome: { cancellationDate?: string }): Patch =>
  intent === 'authorize'
    ? { ...done, status: 'active', authorizedAt: new Date(), needsReconciliation: false }
    : { ...done, status: 'revoked', revokedAt: outcome.cancellationDate ? new Date(outcome.cancellationDate) : new Date(), needsReconciliation: false };

const settledRefusal = (row: LifecycleRow, intent: Intent, outcome: { code: string; message: string }, backoff: Backoff): Patch => {
  const reason = { lastError: outcome.message, lastErrorCode: outcome.code };
  if (intent === 'revoke') {
    // Refunded here whatever Osteocom says; an editor must check what Osteocom still holds.
    return { ...done, ...reason, status: 'revoked', needsReconciliation: true };
  }
  if (row.fallbackOperation === 'revoke') return { ...record('revoke', backoff, true), ...reason, status: 'revoked', fallbackOperation: null };
  // A re-sent active channel stays playable: the customer paid; an editor checks with Osteocom.
  if (row.status === 'active') return { ...done, ...reason, needsReconciliation: true };
  return { ...done, ...reason, status: 'failed' };
};

/**
 * The answer to an operation the row no longer holds (another call or the outbox recorded a newer
 * one meanwhile). Osteocom may have applied it after the newer operation, so unless the answer
 * cannot have changed anything (a refusal) or agrees with the row, the row's latest intent is sent
 * again once every call in flight has ended. Returns null when nothing needs doing.
 */
export const onSettleLost = (row: LifecycleRow, answered: Intent, outcome: Outcome, backoff: Backoff): Patch | null => {
  if (outcome.kind === 'permanent') return null;
  const repair = repairAfterLoss(row, answered, backoff);
  // The lost call got no answer: it may still land, after whatever settles the row next.
  if (outcome.kind === 'transient' && !outcome.shutdown) return { ...repair, ...doubt(row, answered, backoff) };
  return repair;
};

const repairAfterLoss = (row: LifecycleRow, answered: Intent, backoff: Backoff): Patch | null => {
  const intent = intentOf(row);
  if (row.pendingOperation) {
    if (intent === answered) return null;
    return { operationId: randomUUID(), nextAttemptAt: backoff.firstRetryAt() };
  }
  if (intent === answered) return null;
  if (row.status === 'failed') return { needsReconciliation: true };
  return onResendRequested(row, backoff);
};
