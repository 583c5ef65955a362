import { screen } from '@testing-library/react';
import { EntitlementState } from '../../../admin/src/components/EntitlementState';
import type { Entitlement } from '../../../admin/src/types';
import { canResend } from '../../../admin/src/utils/entitlementState';
import { renderWithProviders } from './render';

/**
 * The customer page's access rows: what EntitlementsTable shows in the state column and when it
 * offers "Re-send". (The table itself also renders Strapi's ConfirmDialog, which jest cannot load.)
 */
const entitlement = (over: Partial<Entitlement>): Entitlement => ({
  channelKey: 'ch-knee',
  status: 'active',
  price: 120,
  authorizedAt: '2026-11-30T08:00:00.000Z',
  revokedAt: null,
  accessUntil: null,
  accessFrom: null,
  pausedAt: null,
  pendingOperation: null,
  lastError: null,
  lastErrorCode: null,
  attempts: 0,
  nextAttemptAt: null,
  needsReconciliation: false,
  remindedFor: null,
  reminderOutcome: null,
  updatedAt: '2026-11-30T08:00:00.000Z',
  ...over,
});

const active = entitlement({});
const failed = entitlement({
  channelKey: 'ch-hip',
  status: 'failed',
  authorizedAt: null,
  lastError: 'Osteocom refused the purchase (HTTP 400): "Product not enabled for this client".',
  lastErrorCode: 'UPSTREAM_REJECTED',
});
/** A refund Osteocom refused: ended here, flagged for a check. */
const flaggedRefund = entitlement({
  channelKey: 'ch-spine',
  status: 'revoked',
  revokedAt: '2026-11-30T09:00:00.000Z',
  lastError: 'Osteocom refused the revocateActivation call (HTTP 404).',
  lastErrorCode: 'UPSTREAM_REJECTED',
  needsReconciliation: true,
});

const pendingRefund = entitlement({ status: 'revoked', pendingOperation: 'revoke' });

const all = { canAuthorize: true, canRevoke: true };

describe('an entitlement’s state (customer page)', () => {
  it('says in words why a row failed; the code and Osteocom’s message are in the details', () => {
    renderWithProviders(<EntitlementState entitlement={failed} />);
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(screen.getByTestId('plain-reason').textContent).toContain('grant another channel or refund');
    expect(screen.getByTestId('plain-details').tagName).toBe('DETAILS');
    expect(screen.getByTestId('last-error-code').textContent).toBe('Code: UPSTREAM_REJECTED');
    expect(screen.getByTestId('last-error').textContent).toBe(
      'Message: Osteocom refused the purchase (HTTP 400): "Product not enabled for this client".'
    );
    expect(screen.queryByTestId('needs-reconciliation')).toBeNull();
  });

  it('marks a row that needs reconciliation, with its reason', () => {
    renderWithProviders(<EntitlementState entitlement={flaggedRefund} />);
    expect(screen.getByText('Revoked')).toBeTruthy();
    expect(screen.getByTestId('needs-reconciliation').textContent).toBe('Needs reconciliation');
    expect(screen.getByTestId('last-error').textContent).toContain('HTTP 404');
  });

  it('shows neither marker nor error on a settled row', () => {
    renderWithProviders(<EntitlementState entitlement={active} />);
    expect(screen.getByText('Active')).toBeTruthy();
    expect(screen.queryByTestId('needs-reconciliation')).toBeNull();
    expect(screen.queryByTestId('last-error')).toBeNull();
  });
});

describe('Re-send on a customer’s access row', () => {
  it('is offered on failed, flagged and unconfirmed rows, never on a settled one', () => {
    expect(
      [active, failed, flaggedRefund, pendingRefund].map((row) => canResend(row, all))
    ).toEqual([false, true, true, true]);
    expect(canResend(entitlement({ status: 'revoked' }), all)).toBe(false);
  });

  it('a refund with revoke, a purchase with authorize (as the server checks)', () => {
    const revokeOnly = { canAuthorize: false, canRevoke: true };
    expect(canResend(failed, revokeOnly)).toBe(false);
    expect(canResend(flaggedRefund, revokeOnly)).toBe(true);
    expect(canResend(pendingRefund, revokeOnly)).toBe(true);
    const authorizeOnly = { canAuthorize: true, canRevoke: false };
    expect([failed, flaggedRefund, pendingRefund].map((row) => canResend(row, authorizeOnly))).toEqual([true, false, false]);
    const readOnly = { canAuthorize: false, canRevoke: false };
    expect([failed, flaggedRefund, pendingRefund].some((row) => canResend(row, readOnly))).toBe(
      false
    );
  });
});

describe('paused and scheduled accesses (issue 26)', () => {
  const paused = entitlement({ status: 'paused', pausedAt: '2026-12-01T08:00:00.000Z' });
  const scheduled = entitlement({ status: 'scheduled', pendingOperation: 'authorize', authorizedAt: null, accessFrom: '2099-01-01T00:00:00.000Z' });

  it('says since when an access is paused and when a scheduled one starts', () => {
    renderWithProviders(<EntitlementState entitlement={paused} />);
    expect(screen.getByText('Paused')).toBeTruthy();
    expect(screen.getByTestId('paused-since').textContent).toContain('Paused since');
    renderWithProviders(<EntitlementState entitlement={scheduled} />);
    expect(screen.getByText('Scheduled')).toBeTruthy();
    expect(screen.getByTestId('starts-at').textContent).toContain('Starts');
  });

  it('offers no Re-send before a scheduled access starts (the server would refuse it), and re-sends a pause as a revocation', () => {
    expect(canResend(scheduled, all)).toBe(false);
    expect(canResend({ ...scheduled, accessFrom: '2001-01-01T00:00:00.000Z' }, all)).toBe(true);
    expect(canResend({ ...paused, pendingOperation: 'revoke' }, { canAuthorize: true, canRevoke: false })).toBe(false);
    expect(canResend({ ...paused, pendingOperation: 'revoke' }, { canAuthorize: false, canRevoke: true })).toBe(true);
  });
});
