/**
 * The issue-26 transitions of the entitlement lifecycle, as pure functions (the integration file
 * tests/integration/pause-schedule.test.ts drives them through the routes on three databases).
 */
import {
  onAuthorizeRequested,
  onExpired,
  onPauseRequested,
  onResumeRequested,
  onRevokeRequested,
  onSettled,
  stateOf,
  type Backoff,
  type LifecycleRow,
} from '../../../server/src/services/access/entitlement-lifecycle';

const backoff: Backoff = { firstRetryAt: () => new Date(Date.now() + 60_000), retryAt: () => new Date(Date.now() + 30_000) };
const DAY = 86_400_000;

const row = (over: Partial<LifecycleRow>): LifecycleRow => ({
  version: 3,
  status: 'active',
  pendingOperation: null,
  operationId: null,
  fallbackOperation: null,
  calls: [],
  doubtOperation: null,
  doubtUntil: null,
  attempts: 0,
  needsReconciliation: false,
  accessUntil: null,
  accessFrom: null,
  pausedAt: null,
  authorizedAt: '2026-11-01T00:00:00.000Z',
  lastErrorCode: null,
  ...over,
});

describe('pause and resume', () => {
  it('pauses a running access only: a revocation recorded, the row paused; again: unchanged; anything else: refused', () => {
    const now = new Date('2026-12-10T00:00:00.000Z');
    const paused = onPauseRequested(row({}), backoff, now);
    expect(paused).toMatchObject({ kind: 'change', patch: { status: 'paused', pendingOperation: 'revoke', pausedAt: now } });
    expect(onPauseRequested(row({ status: 'paused', pendingOperation: 'revoke' }), backoff, now).kind).toBe('unchanged');
    expect(onPauseRequested(row({ status: 'paused' }), backoff, now).kind).toBe('unchanged');
    for (const status of ['pending', 'revoked', 'failed', 'scheduled'] as const) {
      expect(onPauseRequested(row({ status, pendingOperation: status === 'pending' || status === 'scheduled' ? 'authorize' : null }), backoff, now).kind).toBe('refused');
    }
    expect(onPauseRequested(null, backoff, now).kind).toBe('refused');
    expect(onPauseRequested(row({ accessUntil: new Date(now.getTime() - 1).toISOString() }), backoff, now).kind).toBe('refused');
  });

  it("Osteocom's confirmation keeps it paused, no refund date; a refusal keeps it paused and flagged", () => {
    const pending = row({ status: 'paused', pendingOperation: 'revoke', operationId: 'op', calls: [{ id: 'c1', intent: 'revoke', until: new Date(Date.now() + 60_000).toISOString() }] });
    const confirmed = onSettled(pending, 'revoke', { kind: 'success', cancellationDate: '2026-12-10T00:00:00.000Z' }, backoff, 'c1');
    expect(confirmed).toMatchObject({ pendingOperation: null });
    expect(confirmed.status).toBeUndefined();
    expect(confirmed.revokedAt).toBeUndefined();
    expect(stateOf({ ...pending, ...confirmed } as LifecycleRow)).toBe('paused');
    expect(onSettled(pending, 'revoke', { kind: 'permanent', code: 'UPSTREAM_REJECTED', message: 'no' }, backoff, 'c1')).toMatchObject({ status: 'paused', needsReconciliation: true });
  });

  it('resumes with the end pushed back by exactly the pause, keeping the purchase date on confirmation', () => {
    const pausedAt = new Date('2026-12-10T00:00:00.000Z');
    const now = new Date(pausedAt.getTime() + 5 * DAY);
    const paused = row({ status: 'paused', pausedAt: pausedAt.toISOString(), accessUntil: new Date(pausedAt.getTime() + 20 * DAY).toISOString() });
    const resumed = onResumeRequested(paused, backoff, now);
    expect(resumed).toMatchObject({ kind: 'change', patch: { status: 'pending', pendingOperation: 'authorize', pausedAt: null, accessUntil: new Date(pausedAt.getTime() + 25 * DAY) } });
    expect(onResumeRequested({ ...paused, accessUntil: null }, backoff, now)).toMatchObject({ patch: { accessUntil: null } });
    const settled = onSettled({ ...paused, status: 'pending', pendingOperation: 'authorize', operationId: 'op' }, 'authorize', { kind: 'success' }, backoff, 'c1');
    expect(settled).toMatchObject({ status: 'active', authorizedAt: paused.authorizedAt });
    expect(onResumeRequested(row({}), backoff, now).kind).toBe('unchanged');
    expect(onResumeRequested(row({ status: 'revoked' }), backoff, now).kind).toBe('refused');
    expect(onResumeRequested(null, backoff, now).kind).toBe('refused');
  });

  it('a paused access never expires, even past its end', () => {
    expect(onExpired(row({ status: 'paused', accessUntil: '2001-01-01T00:00:00.000Z' }), backoff)).toBeNull();
  });
});

describe('scheduled start', () => {
  const from = new Date(Date.now() + DAY);

  it('a purchase with a later start records an authorization due then, and sends nothing now', () => {
    const scheduled = onAuthorizeRequested(null, backoff, null, from);
    expect(scheduled).toMatchObject({ send: false, patch: { status: 'scheduled', pendingOperation: 'authorize', nextAttemptAt: from, operationAt: from, accessFrom: from, authorizedAt: null } });
    // A running or paused access is never delayed by a later start.
    expect(onAuthorizeRequested(row({}), backoff, null, from)).toBeNull();
    expect(onAuthorizeRequested(row({ status: 'paused' }), backoff, null, from)).toMatchObject({ send: true, patch: { status: 'pending' } });
  });

  it('a refund before anything left ends it here alone; after an attempt, it is sent', () => {
    const scheduled = row({ status: 'scheduled', pendingOperation: 'authorize', operationId: 'op', accessFrom: from.toISOString(), authorizedAt: null });
    expect(onRevokeRequested(backoff, scheduled)).toMatchObject({ status: 'revoked', pendingOperation: null, revokedAt: expect.any(Date) });
    expect(onRevokeRequested(backoff, { ...scheduled, attempts: 1, lastErrorCode: 'UPSTREAM_UNAVAILABLE' })).toMatchObject({ status: 'revoked', pendingOperation: 'revoke' });
    expect(onRevokeRequested(backoff, { ...scheduled, calls: [{ id: 'c', intent: 'authorize', until: '2001-01-01T00:00:00.000Z' }] })).toMatchObject({ pendingOperation: 'revoke' });
  });
});
