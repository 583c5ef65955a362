import { ERROR_CODES, type ErrorCode } from '../../../shared/contracts/errors';
import type { Entitlement } from '../types';
import type { MessageKey } from './getTranslation';
import { isOpen } from './entitlementState';

/**
 * The entitlement lifecycle's states (server/src/services/access/entitlement-lifecycle.ts `stateOf`),
 * and the statuses a paused or scheduled access adds: each has a sentence for editors.
 */
export const ENTITLEMENT_STATES = [
  'pending-authorize',
  'active',
  'confirming',
  'pending-revoke',
  'revoked',
  'failed',
  'pending-pause',
  'paused',
  'scheduled',
] as const;
export type EntitlementState = (typeof ENTITLEMENT_STATES)[number];

/** Every code an error reply or a stored upstream error may carry (shared/contracts/errors.ts). */
export const KNOWN_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

type Row = Pick<Entitlement, 'status' | 'pendingOperation'> & { status: string };

/** The server's `stateOf`: the pair (status, pendingOperation) as one state. */
export const stateOf = (row: Row): EntitlementState => {
  if (row.status === 'scheduled') return 'scheduled';
  if (row.status === 'paused') return row.pendingOperation === 'revoke' ? 'pending-pause' : 'paused';
  if (row.pendingOperation === 'authorize')
    return row.status === 'active' ? 'confirming' : 'pending-authorize';
  if (row.pendingOperation === 'revoke') return 'pending-revoke';
  if (row.status === 'pending') return 'pending-authorize';
  return (ENTITLEMENT_STATES as readonly string[]).includes(row.status)
    ? (row.status as EntitlementState)
    : 'failed';
};

export const stateMessage = (state: EntitlementState): MessageKey => `plain.state.${state}`;

/** The sentence for a code; a code the admin does not know yet gets a general one (the raw code stays in the details). */
export const errorMessage = (code: string | null | undefined): MessageKey =>
  code && (KNOWN_CODES as readonly string[]).includes(code)
    ? (`plain.error.${code}` as MessageKey)
    : 'plain.error.unknown';

/**
 * What an editor reads about a row, as message keys: its state, why the last call did not go
 * through (open rows only), whether Osteocom may hold something else, and when the next automatic
 * attempt is — `attempts` counts the calls Osteocom did not confirm, the first one included, so the
 * next is attempt `attempts + 1`.
 */
export const describe = (row: Entitlement) => {
  const state = stateOf(row);
  const open = isOpen(row);
  const reason =
    open && row.lastErrorCode
      ? errorMessage(row.lastErrorCode)
      : open && row.lastError
        ? errorMessage(null)
        : null;
  const reconcile: MessageKey | null = row.needsReconciliation
    ? row.status === 'revoked' && !row.pendingOperation
      ? 'plain.reconcileRefund'
      : 'plain.reconcile'
    : null;
  const retry =
    row.pendingOperation && row.nextAttemptAt
      ? { at: row.nextAttemptAt, attempt: (row.attempts ?? 0) + 1 }
      : null;
  return { state, headline: stateMessage(state), reason, reconcile, retry };
};
