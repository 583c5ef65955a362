/**
 * Type tests, checked by `npm run typecheck`: an entitlement write names only the row's columns
 * (server/src/repositories/entitlement-repository.ts), so a misspelt column fails to compile
 * instead of being written nowhere.
 */
import type { Core } from '@strapi/strapi';
import { createEntitlementRepository, type EntitlementRow, type Patch } from '../../server/src/repositories/entitlement-repository';

export const writes = (strapi: Core.Strapi, row: EntitlementRow) => {
  const entitlements = createEntitlementRepository(strapi);
  return [
    entitlements.compareAndSet(row, { lastError: 'refused', needsReconciliation: true, nextAttemptAt: new Date() }),
    // @ts-expect-error `lastEror` is not a column
    entitlements.compareAndSet(row, { lastEror: 'refused' }),
    // @ts-expect-error a column with a value of the wrong type
    entitlements.compareAndSet(row, { status: 'cancelled' }),
    // @ts-expect-error the repository owns `version`: a patch cannot set it
    entitlements.update(1, () => ({ version: 7 })),
  ];
};

// @ts-expect-error a patch is the row's columns only
export const misspelt: Patch = { pendingOperaton: 'revoke' };
