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
 * | pending-pause     | paused  | revoke           | no    |  a subscription suspended at the shop
 * | paused            | paused  | —                | no    |  resumed: authorize again, `accessUntil` pushed back by the pause
 * | scheduled         | scheduled | authorize      | no    |  bought with a later start: due (`nextAttemptAt`) at `accessFrom`
 *
 * A pause is a revocation at Osteocom that is no refund: it keeps `price` and `authorizedAt`,
 * records `pausedAt`, and Osteocom's answer keeps the row `paused` (not `revoked`). A scheduled
 * purchase sends nothing until `accessFrom`: the outbox takes it then like any due operation (its
 * claim on the row is the same guarded write), and a refund before anything left ends it here
 * without a call.
 *
 * Each recorded operation carries a fresh `operationId`; an answer settles the row only while the
 * row still holds that id, and every write is a compare-and-set on the row's `version` (access.ts).
 * Both Osteocom calls are idempotent, so whatever loses a race is repaired by sending the row's
 * latest intent again. Before a call leaves, the row records it in `calls` (its intent and until
 * when it may still land): an answer removes it, while a timeout, a shutdown or a crash leaves it
 * there, so a later success of the other intent is sent once more after it can no longer land
 * (`doubtOperation`, `doubtUntil` summarise those calls for editors).
 */
import { randomUUID } from 'node:crypto';
import type { Patch } from '../../repositories/entitlement-repository';

export type { Patch };

type Status = 'pending' | 'active' | 'revoked' | 'failed' | 'paused' | 'scheduled';
export type Intent = 'authorize' | 'revoke';
type State = 'none' | 'pending-authorize' | 'active' | 'confirming' | 'pending-revoke' | 'revoked' | 'failed' | 'pending-pause' | 'paused' | 'scheduled';

/** The lifecycle's columns of an entitlement row. */
export interface LifecycleRow {
  /** Incremented by every write: a patch applies only to the version it was computed from. */
  version: number;
  status: Status;
  pendingOperation: Intent | null;
  operationId: string | null;
  fallbackOperation: 'revoke' | null;
  /** The calls that left for Osteocom and may still land there (null: none recorded yet). */
  calls: Call[] | null;
  /** Rows from before `calls`: a call of this intent (null: of both) may land until `doubtUntil`. */
  doubtOperation: Intent | null;
  doubtUntil: Date | string | null;
  attempts: number;
  needsReconciliation: boolean;
  /** When a time-limited access ends (null: for good). */
  accessUntil: Date | string | null;
  /** When a scheduled access starts (null: at once). */
  accessFrom?: Date | string | null;
  /** Since when a paused access is paused. */
  pausedAt?: Date | string | null;
  authorizedAt?: Date | string | null;
  lastErrorCode?: string | null;
}

/** A call sent to Osteocom without an answer yet, or whose answer said nothing about it (timeout, 5xx). */
export interface Call {
  id: string;
  intent: Intent;
  /** After this instant it can no longer land (Backoff.firstRetryAt from when it left). */
  until: string;
}

/** What an upstream call came back with, as far as the lifecycle cares. */
export type Outcome =
  | { kind: 'success'; cancellationDate?: string }
  | { kind: 'transient'; code: string; message: string; shutdown: boolean; retryAfterSeconds?: number }
  | { kind: 'permanent'; code: string; message: string };


export interface Backoff {
  /** When the outbox may send an operation recorded now: after any call in flight has ended. */
  firstRetryAt: () => Date;
  /** When to retry after `attempts` transient failures. */
  retryAt: (attempts: number) => Date;
}

export const stateOf = (row: Pick<LifecycleRow, 'status' | 'pendingOperation'> | null): State => {
  if (!row) return 'none';
  if (row.status === 'scheduled') return 'scheduled';
  if (row.status === 'paused') return row.pendingOperation === 'revoke' ? 'pending-pause' : 'paused';
  if (row.pendingOperation === 'authorize') return row.status === 'active' ? 'confirming' : 'pending-authorize';
  if (row.pendingOperation === 'revoke') return 'pending-revoke';
  // `pending` with nothing to send only exists in rows written before this lifecycle (see repairLegacy).
  return row.status === 'pending' ? 'pending-authorize' : row.status;
};

/** The intent a row's current state stands for: what Osteocom should end up holding. */
export const intentOf = (row: Pick<LifecycleRow, 'status' | 'pendingOperation'>): Intent =>
  row.pendingOperation ?? (row.status === 'revoked' || row.status === 'paused' ? 'revoke' : 'authorize');

/**
 * A fresh operation of `intent`. Re-sending the intent the row already waits on keeps when it was
 * first left unconfirmed (`operationAt`) and its alert, so a shop re-sending a stuck sale cannot
 * keep it out of Needs attention; a different intent starts the clock again.
 */
const record = (intent: Intent, backoff: Backoff, dueNow = false, row?: Pick<LifecycleRow, 'pendingOperation'> | null): Patch => ({
  pendingOperation: intent,
  operationId: randomUUID(),
  ...(row?.pendingOperation === intent ? {} : { operationAt: new Date(), alertedAt: null }),
  attempts: 0,
  nextAttemptAt: dueNow ? new Date() : backoff.firstRetryAt(),
  lastError: null,
  lastErrorCode: null,
});

/**
 * A purchase of this channel, until `accessUntil` (null: for good). Returns the patch to write and
 * whether this call sends it, or null when nothing changes. An active channel is never sent again
 * nor demoted: a new date only extends (or, without one, makes permanent) what it already has.
 */
export const onAuthorizeRequested = (
  row: LifecycleRow | null,
  backoff: Backoff,
  accessUntil: Date | null = null,
  accessFrom: Date | null = null
): { patch: Patch; send: boolean } | null => {
  const state = stateOf(row);
  if (state === 'active' || state === 'confirming') {
    return sameInstant(row?.accessUntil, accessUntil) ? null : { patch: { accessUntil }, send: false };
  }
  if (accessFrom && SCHEDULABLE.has(state)) return { patch: schedule(row, backoff, accessUntil, accessFrom), send: false };
  return { patch: purchase(row, backoff, accessUntil), send: true };
};

/**
 * The states a later start applies to: no access and nothing on its way. A channel being
 * authorized, paused or refunded right now is bought as at once (never later than sold).
 */
const SCHEDULABLE = new Set<State>(['none', 'revoked', 'failed', 'scheduled']);

/** A purchase that starts at `accessFrom`: nothing is sent until then, when the outbox finds it due. */
const schedule = (row: LifecycleRow | null, backoff: Backoff, accessUntil: Date | null, accessFrom: Date): Patch => ({
  ...record('authorize', backoff, false, row),
  status: 'scheduled',
  revokedAt: null,
  // Not active before it starts: the reports count access from `authorizedAt`, set when Osteocom confirms.
  authorizedAt: null,
  accessUntil,
  accessFrom,
  pausedAt: null,
  fallbackOperation: null,
  // Unconfirmed from when it is due, not from when it was sold: no alert for a start months away.
  operationAt: accessFrom,
  alertedAt: null,
  nextAttemptAt: accessFrom,
});

const sameInstant = (a: Date | string | null | undefined, b: Date | null) => (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);

const purchase = (row: LifecycleRow | null, backoff: Backoff, accessUntil: Date | null): Patch => {
  const state = stateOf(row);
  return {
    ...record('authorize', backoff, false, row),
    status: 'pending',
    revokedAt: null,
    // A new sale: active again from when Osteocom confirms it.
    authorizedAt: null,
    // Bought again: why it ended before no longer applies.
    revokeReason: null,
    accessUntil,
    accessFrom: null,
    pausedAt: null,
    // A refund not yet confirmed is kept as the fallback: if Osteocom refuses this purchase, the
    // refund is sent after all instead of being discarded.
    fallbackOperation: state === 'pending-revoke' || row?.fallbackOperation === 'revoke' ? 'revoke' : null,
  };
};

/** A time-limited access whose end has come: revoked like a refund, if it is still active and still due. */
export const onExpired = (row: LifecycleRow | null, backoff: Backoff, now = new Date()): Patch | null => {
  if (!row || stateOf(row) !== 'active' || !row.accessUntil || new Date(row.accessUntil) > now) return null;
  return { ...onRevokeRequested(backoff, row), revokeReason: 'expired' };
};

/**
 * A refund: access ends here at once, whatever the row was; the revocation is (re)sent — unless
 * the row is a scheduled purchase of which nothing can have reached Osteocom, which ends here alone.
 */
export const onRevokeRequested = (backoff: Backoff, row?: LifecycleRow | null, now = new Date()): Patch => {
  if (row && neverSent(row)) return { ...done, status: 'revoked', revokedAt: now };
  return { ...record('revoke', backoff, false, row), status: 'revoked', fallbackOperation: null };
};

/**
 * A scheduled row nothing of which may have left for Osteocom: no call recorded (even one past its
 * bound: it may have landed), no attempt, no error, nothing to reconcile, no refund left to send.
 */
const neverSent = (row: LifecycleRow) =>
  row.status === 'scheduled' &&
  !row.calls?.length &&
  !row.doubtUntil &&
  row.attempts === 0 &&
  !row.lastErrorCode &&
  !row.needsReconciliation &&
  row.fallbackOperation === null;

/** What a pause or a resume makes of a row: a change to write, nothing to do (already so), or a refusal. */
export type Suspension = { kind: 'change'; patch: Patch } | { kind: 'unchanged' } | { kind: 'refused' };

/**
 * A subscription suspended at the shop: only a running access pauses (a second pause changes
 * nothing). Access ends here at once and Osteocom is told to revoke it; the price, the purchase
 * date and the end are kept for the resume.
 */
export const onPauseRequested = (row: LifecycleRow | null, backoff: Backoff, now = new Date()): Suspension => {
  const state = stateOf(row);
  if (state === 'paused' || state === 'pending-pause') return { kind: 'unchanged' };
  if (!row || (state !== 'active' && state !== 'confirming')) return { kind: 'refused' };
  if (row.accessUntil && new Date(row.accessUntil) <= now) return { kind: 'refused' };
  return { kind: 'change', patch: { ...record('revoke', backoff, false, row), status: 'paused', pausedAt: now, fallbackOperation: null } };
};

/**
 * The subscription goes on: authorized again (with the stored price) and its end pushed back by
 * the time spent paused. A running or resuming access changes nothing; any other is refused.
 */
export const onResumeRequested = (row: LifecycleRow | null, backoff: Backoff, now = new Date()): Suspension => {
  const state = stateOf(row);
  if (state === 'active' || state === 'confirming' || (state === 'pending-authorize' && row?.status === 'pending')) return { kind: 'unchanged' };
  if (!row || (state !== 'paused' && state !== 'pending-pause')) return { kind: 'refused' };
  const pausedMs = row.pausedAt ? Math.max(0, now.getTime() - new Date(row.pausedAt).getTime()) : 0;
  const accessUntil = row.accessUntil ? new Date(new Date(row.accessUntil).getTime() + pausedMs) : null;
  return {
    kind: 'change',
    patch: { ...record('authorize', backoff, false, row), status: 'pending', pausedAt: null, accessUntil, fallbackOperation: null },
  };
};

/** An editor's one-click re-send: the row's current intent goes out again through the same path. */
export const onResendRequested = (row: LifecycleRow, backoff: Backoff): Patch => {
  const intent = intentOf(row);
  // A pause re-sent stays a pause: Osteocom revokes, the row keeps what the resume needs.
  if (intent === 'revoke') return { ...record('revoke', backoff, false, row), status: row.status === 'paused' ? 'paused' : 'revoked' };
  return { ...record('authorize', backoff, false, row), status: row.status === 'active' ? 'active' : 'pending' };
};

/** The answer to call `callId` of the operation the row still holds. */
export const onSettled = (row: LifecycleRow, intent: Intent, outcome: Outcome, backoff: Backoff, callId: string, now = new Date()): Patch => {
  // An answer: this call can no longer land; the others stay as they are.
  const others = liveCalls(row, now).filter((call) => call.id !== callId);
  if (outcome.kind === 'success') {
    const settled = { ...settledSuccess(row, intent, outcome), ...withCalls(others) };
    // An opposite call without an answer may still land after this one: confirm this one again once it cannot.
    const until = oppositeUntil(others, intent);
    return until ? { ...settled, ...record(intent, backoff), nextAttemptAt: until } : settled;
  }
  if (outcome.kind === 'transient') {
    // Never exhausts: a purchase or refund Osteocom has not taken yet is retried for as long as it
    // takes. A call cut off by a shutdown counts no attempt, and may still land: it stays recorded.
    if (outcome.shutdown) return {};
    if (outcome.code === PROTOCOL_ERROR) return protocolErrorWith(row, intent, outcome, backoff, others);
    const attempts = row.attempts + 1;
    return {
      attempts,
      nextAttemptAt: notBefore(backoff.retryAt(attempts), outcome.retryAfterSeconds),
      lastError: outcome.message,
      lastErrorCode: outcome.code,
      ...withCalls(stillInDoubt(others, callId, intent, backoff)),
    };
  }
  return { ...settledRefusal(row, intent, outcome, backoff), ...withCalls(others) };
};

/** Osteocom's Retry-After (already bounded by the client) wins over a shorter backoff. */
const notBefore = (at: Date, retryAfterSeconds?: number) =>
  retryAfterSeconds === undefined ? at : new Date(Math.max(at.getTime(), Date.now() + retryAfterSeconds * 1000));

const PROTOCOL_ERROR = 'UPSTREAM_PROTOCOL_ERROR';

/** An answer without the documented body still ends its call; a refund settled so is confirmed again once an opposite call can no longer land, as a success is. */
const protocolErrorWith = (row: LifecycleRow, intent: Intent, outcome: { code: string; message: string }, backoff: Backoff, others: Call[]): Patch => {
  const flagged = { ...settledProtocolError(row, intent, outcome, backoff), ...withCalls(others) };
  const until = intent === 'revoke' ? oppositeUntil(others, intent) : null;
  return until ? { ...flagged, ...record(intent, backoff), lastError: outcome.message, lastErrorCode: outcome.code, nextAttemptAt: until } : flagged;
};

/**
 * A 200 without the documented body: Osteocom says it did the call, but not what the plugin needs.
 * A revocation's 200 is documented as "Revocation successful", and access already ended here: it
 * is settled revoked (dated now, Osteocom gave no date). A purchase's 200 means "Purchase
 * recorded", so it is no refusal and the sale stays; but without the access key nobody can play
 * it, so it stays pending-authorize, retried on the growing backoff (the call is idempotent and
 * the key is stable per customer). Both are flagged at once (`needsReconciliation` and the code):
 * listed under Needs attention instead of retried in silence.
 */
const settledProtocolError = (row: LifecycleRow, intent: Intent, outcome: { code: string; message: string }, backoff: Backoff): Patch => {
  const flag = { lastError: outcome.message, lastErrorCode: outcome.code, needsReconciliation: true };
  if (intent === 'revoke') return row.status === 'paused' ? { ...done, ...flag, attempts: row.attempts + 1 } : { ...done, ...flag, attempts: row.attempts + 1, status: 'revoked', revokedAt: new Date() };
  const attempts = row.attempts + 1;
  return { ...flag, attempts, nextAttemptAt: backoff.retryAt(attempts) };
};

/** The calls that may still land at Osteocom; a row from before `calls` keeps its doubt as calls of no known id. */
const liveCalls = (row: LifecycleRow, now: Date): Call[] => {
  if (row.calls) return row.calls.filter((call) => new Date(call.until) > now);
  if (!row.doubtUntil || new Date(row.doubtUntil) <= now) return [];
  const until = new Date(row.doubtUntil).toISOString();
  const intents: Intent[] = row.doubtOperation ? [row.doubtOperation] : ['authorize', 'revoke'];
  return intents.map((intent) => ({ id: `earlier-${intent}`, intent, until }));
};

/** The calls to keep, and their summary: the intent that may land (null: both, or none) and until when. */
const withCalls = (calls: Call[]): Patch => {
  const intents = new Set(calls.map((call) => call.intent));
  const until = Math.max(0, ...calls.map((call) => Date.parse(call.until)));
  return { calls, doubtOperation: intents.size === 1 ? calls[0].intent : null, doubtUntil: calls.length ? new Date(until) : null };
};

/** When every call of another intent than `intent` can no longer land (null: none may). */
const oppositeUntil = (calls: Call[], intent: Intent) => {
  const opposite = calls.filter((call) => call.intent !== intent);
  return opposite.length ? new Date(Math.max(...opposite.map((call) => Date.parse(call.until)))) : null;
};

/** A call with no answer that may still land: kept until a bound counted from now. */
const stillInDoubt = (calls: Call[], callId: string, intent: Intent, backoff: Backoff): Call[] => [
  ...calls.filter((call) => call.id !== callId),
  { id: callId, intent, until: backoff.firstRetryAt().toISOString() },
];

/**
 * Taking an operation of `intent` to send (with the write that records it, or before the outbox
 * sends it): from now on the call may land until the bound, whatever happens to this server.
 */
export const onSending = (row: LifecycleRow | null, intent: Intent, callId: string, backoff: Backoff, now = new Date()): Patch =>
  withCalls(stillInDoubt(row ? liveCalls(row, now) : [], callId, intent, backoff));

const done = {
  pendingOperation: null,
  operationId: null,
  nextAttemptAt: null,
  fallbackOperation: null,
  lastError: null,
  lastErrorCode: null,
  alertedAt: null,
};

/**
 * A confirmation. `authorizedAt` dates the sale (the reports count purchases by it): a re-sent or
 * resumed access keeps it. A pause confirmed stays paused and is no refund (no `revokedAt`).
 */
const settledSuccess = (row: LifecycleRow, intent: Intent, outcome: { cancellationDate?: string }): Patch => {
  if (intent === 'authorize') return { ...done, status: 'active', authorizedAt: row.authorizedAt ?? new Date(), accessFrom: null, needsReconciliation: false };
  if (row.status === 'paused') return { ...done, needsReconciliation: false };
  return { ...done, status: 'revoked', revokedAt: outcome.cancellationDate ? new Date(outcome.cancellationDate) : new Date(), needsReconciliation: false };
};

/** A refusal is an attempt too: `attempts` counts every call of the operation Osteocom did not confirm, the first one included. */
const settledRefusal = (row: LifecycleRow, intent: Intent, outcome: { code: string; message: string }, backoff: Backoff): Patch => {
  const reason = { lastError: outcome.message, lastErrorCode: outcome.code, attempts: row.attempts + 1 };
  if (intent === 'revoke') {
    // Refunded (or paused) here whatever Osteocom says; an editor must check what Osteocom still holds.
    return { ...done, ...reason, status: row.status === 'paused' ? 'paused' : 'revoked', needsReconciliation: true };
  }
  if (row.fallbackOperation === 'revoke') return { ...record('revoke', backoff, true), ...reason, attempts: 0, status: 'revoked', fallbackOperation: null };
  // A re-sent active channel stays playable: the customer paid; an editor checks with Osteocom.
  if (row.status === 'active') return { ...done, ...reason, needsReconciliation: true };
  return { ...done, ...reason, status: 'failed' };
};

/**
 * The answer to call `callId` of an operation the row no longer holds (another call or the outbox
 * recorded a newer one meanwhile). Osteocom may have applied it after the newer operation, so
 * unless the answer cannot have changed anything (a refusal) or agrees with the row, the row's
 * latest intent is sent again once no call of another intent can still land — at once when none
 * can (`nextAttemptAt` now: the caller sends it). Returns null when nothing needs doing.
 */
export const onSettleLost = (row: LifecycleRow, answered: Intent, outcome: Outcome, backoff: Backoff, callId: string, now = new Date()): Patch | null => {
  // A shutdown's cut-off call says nothing: it may still land and stays recorded as it is.
  if (outcome.kind === 'transient' && outcome.shutdown) return null;
  const live = liveCalls(row, now);
  const answeredCall = live.some((call) => call.id === callId);
  const others = live.filter((call) => call.id !== callId);
  // A timeout or 5xx: the lost call may still land, after whatever settles the row next. A 200
  // without the documented body is an answer: that call has landed.
  const unanswered = outcome.kind === 'transient' && outcome.code !== PROTOCOL_ERROR;
  const calls = unanswered ? stillInDoubt(others, callId, answered, backoff) : others;
  const tracked = unanswered || answeredCall ? withCalls(calls) : null;
  if (outcome.kind === 'permanent') return tracked;
  const repair = repairAfterLoss(row, answered, backoff, oppositeUntil(calls, intentOf(row)) ?? now);
  return repair || tracked ? { ...tracked, ...repair } : null;
};

const repairAfterLoss = (row: LifecycleRow, answered: Intent, backoff: Backoff, dueAt: Date): Patch | null => {
  const intent = intentOf(row);
  if (intent === answered) return null;
  // A scheduled purchase is never sent before it starts.
  if (row.pendingOperation) return { operationId: randomUUID(), nextAttemptAt: notBeforeStart(row, dueAt) };
  if (row.status === 'failed') return { needsReconciliation: true };
  return { ...onResendRequested(row, backoff), nextAttemptAt: dueAt };
};

const notBeforeStart = (row: LifecycleRow, at: Date) =>
  row.status === 'scheduled' && row.accessFrom && new Date(row.accessFrom) > at ? new Date(row.accessFrom) : at;
