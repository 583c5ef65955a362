import type { Entitlement } from '../types';

type Row = Pick<Entitlement, 'status' | 'pendingOperation' | 'needsReconciliation'> & Partial<Pick<Entitlement, 'accessFrom'>>;

/**
 * What Osteocom should end up holding for this row; the server's `intentOf`
 * (server/src/services/access/entitlement-lifecycle.ts), which a re-send sends again.
 */
export const intentOf = (row: Row): 'authorize' | 'revoke' =>
  row.pendingOperation ?? (row.status === 'revoked' || row.status === 'paused' ? 'revoke' : 'authorize');

/** Unconfirmed, refused or flagged: a row an editor may re-send. */
export const isOpen = (row: Row) =>
  row.status === 'pending' ||
  row.status === 'failed' ||
  row.pendingOperation !== null ||
  row.needsReconciliation;

/**
 * Whether this editor gets "Re-send" on the row: open rows only, and the action the server asks
 * for what it sends again: `revoke` for a refund, `authorize` for a purchase.
 */
export const canResend = (
  row: Row,
  { canAuthorize, canRevoke }: { canAuthorize: boolean; canRevoke: boolean }
) => isOpen(row) && !notStarted(row) && (intentOf(row) === 'revoke' ? canRevoke : canAuthorize);

/** A scheduled access before its start: nothing to re-send (the server refuses it with ACCESS_NOT_STARTED). */
export const notStarted = (row: Row, now = Date.now()) =>
  row.status === 'scheduled' && Boolean(row.accessFrom) && Date.parse(row.accessFrom!) > now;
