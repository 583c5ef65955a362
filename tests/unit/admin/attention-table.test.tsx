import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import {
  AttentionTable,
  attentionKey,
  type AttentionTableProps,
} from '../../../admin/src/components/AttentionTable';
import type { ListedEntitlement } from '../../../admin/src/types';
import { renderWithProviders } from './render';

/** Rows as `GET /osteocom/entitlements?attention=true` returns them. */
const row = (over: Partial<ListedEntitlement>): ListedEntitlement => ({
  userId: 'user-1',
  channelKey: 'ch-knee',
  channelTitle: 'Knee Arthroscopy',
  status: 'failed',
  price: 120,
  authorizedAt: null,
  revokedAt: null,
  accessUntil: null,
  accessFrom: null,
  pausedAt: null,
  pendingOperation: null,
  lastError: 'Osteocom refused the purchase (HTTP 400): "Product not enabled for this client".',
  lastErrorCode: 'UPSTREAM_REJECTED',
  attempts: 0,
  nextAttemptAt: null,
  needsReconciliation: false,
  operationAt: '2026-11-30T08:00:00.000Z',
  remindedFor: null,
  reminderOutcome: null,
  updatedAt: '2026-11-30T08:00:05.000Z',
  ...over,
});

const refused = row({});
const unconfirmed = row({
  userId: 'user/2',
  channelKey: 'ch-hip',
  channelTitle: null,
  status: 'pending',
  pendingOperation: 'authorize',
  lastError: 'Osteocom did not answer (HTTP 503).',
  lastErrorCode: 'UPSTREAM_UNAVAILABLE',
  attempts: 16,
  nextAttemptAt: '2026-11-30T10:00:00.000Z',
  operationAt: '2026-11-29T07:30:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
});
const flagged = row({
  userId: 'user-3',
  status: 'revoked',
  revokedAt: '2026-11-30T06:00:00.000Z',
  lastError: 'Osteocom refused the revocateActivation call (HTTP 404): Not found.',
  needsReconciliation: true,
});

const setup = (props: Partial<AttentionTableProps> = {}) => {
  const onResend = jest.fn();
  renderWithProviders(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AttentionTable
        rows={[refused, unconfirmed, flagged]}
        permissions={{ canAuthorize: true, canRevoke: true }}
        busy={null}
        onResend={onResend}
        {...props}
      />
    </MemoryRouter>
  );
  return { onResend, user: userEvent.setup() };
};

const rows = () => screen.getAllByTestId('attention-row');

describe('AttentionTable (Needs attention)', () => {
  it('lists each entitlement with its customer link, channel, state and reason in words (code in the details), failed attempts and since', () => {
    setup();
    const [first, second, third] = rows().map((element) => within(element));

    const link = first.getByRole('link', { name: 'user-1' });
    expect(link.getAttribute('href')).toBe('/plugins/osteocom/customers/user-1');
    expect(first.getByText('Knee Arthroscopy')).toBeTruthy();
    expect(first.getByText('Failed')).toBeTruthy();
    // In words first; the raw code and Osteocom's message stay in the details for support.
    expect(first.getByTestId('plain-state').textContent).toBe("This purchase did not go through: the customer can't watch.");
    expect(first.getByTestId('plain-reason').textContent).toMatch(/^Osteocom refused it .*grant another channel or refund\.$/);
    expect(first.getByTestId('last-error-code').textContent).toBe('Code: UPSTREAM_REJECTED');
    expect(first.getByTestId('last-error').textContent).toBe(
      'Message: Osteocom refused the purchase (HTTP 400): "Product not enabled for this client".'
    );
    // A refused row needs attention since its refusal (its last change).
    expect(first.getByRole('time').getAttribute('datetime')).toBe(refused.updatedAt);

    // The customer id is encoded in the link; a channel without a title shows its id.
    expect(second.getByRole('link', { name: 'user/2' }).getAttribute('href')).toBe(
      '/plugins/osteocom/customers/user%2F2'
    );
    expect(second.getAllByText('ch-hip')).toHaveLength(2);
    expect(second.getByText('Pending')).toBeTruthy();
    // 16 calls Osteocom did not confirm: the next automatic one is the 17th.
    expect(second.getByTestId('attention-attempts').textContent).toBe('16');
    expect(second.getByTestId('plain-state').textContent).toBe("Osteocom hasn't confirmed this purchase yet: the customer can't watch until it does.");
    expect(second.getByTestId('plain-reason').textContent).toBe("Osteocom couldn't be reached or was busy; we'll retry automatically.");
    expect(second.getByTestId('plain-retry').textContent).toMatch(/^We'll retry automatically at .+ \(attempt 17\)\.$/);
    expect(second.getByTestId('failed-attempts').textContent).toBe('16 failed attempts');
    // An unconfirmed operation needs attention since it was recorded, not since its last retry.
    const times = second.getAllByRole('time').map((time) => time.getAttribute('datetime'));
    expect(times).toContain(unconfirmed.operationAt);
    expect(times).not.toContain(unconfirmed.updatedAt);

    expect(third.getByText('Revoked')).toBeTruthy();
    expect(third.getByTestId('needs-reconciliation').textContent).toBe('Needs reconciliation');
    expect(third.getByTestId('plain-reconcile').textContent).toMatch(/^Osteocom refused the refund/);
    expect(first.queryByTestId('needs-reconciliation')).toBeNull();
  });

  it('re-sends the clicked row', async () => {
    const { onResend, user } = setup();
    await user.click(
      within(rows()[1]).getByRole('button', { name: 'Re-send “ch-hip” for user/2' })
    );
    expect(onResend).toHaveBeenCalledTimes(1);
    expect(onResend).toHaveBeenCalledWith(unconfirmed);
  });

  it('offers no Re-send without the authorize and revoke permissions', () => {
    setup({ permissions: { canAuthorize: false, canRevoke: false } });
    expect(rows()).toHaveLength(3);
    expect(screen.queryByRole('button', { name: /Re-send/ })).toBeNull();
  });

  it('offers Re-send of a refund only with revoke, of a purchase only with authorize', () => {
    setup({ permissions: { canAuthorize: true, canRevoke: false } });
    // A refused purchase, an unconfirmed purchase, a flagged refund.
    const offered = () => rows().map((each) => within(each).queryAllByRole('button', { name: /Re-send/ }).length);
    expect(offered()).toEqual([1, 1, 0]);
  });

  it('offers Re-send of the refund alone with revoke only', () => {
    setup({ permissions: { canAuthorize: false, canRevoke: true } });
    expect(rows().map((each) => within(each).queryAllByRole('button', { name: /Re-send/ }).length)).toEqual([0, 0, 1]);
  });

  it('disables every Re-send while one runs', async () => {
    const { onResend, user } = setup({ busy: attentionKey(refused) });
    const buttons = screen.getAllByRole('button', { name: /Re-send/ });
    expect(buttons).toHaveLength(3);
    for (const button of buttons) expect(button.hasAttribute('disabled')).toBe(true);
    await user.click(buttons[2]).catch(() => undefined);
    expect(onResend).not.toHaveBeenCalled();
  });

  it('says when nothing needs attention', () => {
    setup({ rows: [] });
    expect(screen.getByTestId('attention-empty').textContent).toBe(
      'Nothing needs attention: every purchase and refund is confirmed by Osteocom.'
    );
    expect(screen.queryByRole('table')).toBeNull();
  });
});
