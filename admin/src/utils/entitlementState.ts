import type { Entitlement } from '../types';

type Row = Pick<Entitlement, 'status' | 'pendingOperation' | 'needsReconciliation'>;

/**
 * What Osteocom should end up holding for this row; the server's `intentOf`
 * (server/src/services/entitlement-lifecycle.ts), which a re-send sends again.
 */
export const intentOf = (row: Row): 'authorize' | 'revoke' =>
  row.pendingOperation ?? (row.status === 'revoked' ? 'revoke' : 'authorize');

/** Unconfirmed, refused or flagged: a row an editor may re-send. */
export const isOpen = (row: Row) =>
  row.status === 'pending' ||
  row.status === 'failed' ||
  row.pendingOperation !== null ||
  row.needsReconciliation;

/**
 * Whether this editor gets "Re-send" on the row: open rows only; the re-send route needs
 * `authorize`, and a refund can also be re-posted as a revocation with `revoke` alone.
 */
export const canResend = (
  row: Row,
  { canAuthorize, canRevoke }: { canAuthorize: boolean; canRevoke: boolean }
) => isOpen(row) && (canAuthorize || (intentOf(row) === 'revoke' && canRevoke));
