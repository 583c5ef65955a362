/**
 * Type tests, checked by `npm run typecheck` (tsconfig.json includes tests/): each `@ts-expect-error`
 * marks code that must not compile. If the types stopped catching it, the directive itself would
 * fail ("Unused '@ts-expect-error' directive").
 */
import { getOverview } from '../../shared/contracts/overview';
import { findCustomer } from '../../shared/contracts/customers';
import { defineRoute } from '../../server/src/utils/route';

const overview = {
  environment: 'test' as const,
  configured: true,
  syncEnabled: false,
  lastRun: null,
  nextSyncAt: null,
  currency: 'EUR',
};

// The contract's reply compiles.
export const matching = defineRoute(getOverview, async () => ({ data: overview }));

// A reply that is not the contract's fails.
// @ts-expect-error `data` must be the overview, not a string
export const notTheReply = defineRoute(getOverview, async () => ({ data: 'not counts at all' }));

// A field of the wrong type fails: dates travel as ISO strings, a Date is not one.
// @ts-expect-error nextSyncAt is a date-time string or null
export const wrongField = defineRoute(getOverview, async () => ({ data: { ...overview, nextSyncAt: new Date() } }));

// A missing field fails.
// @ts-expect-error `configured` is missing
export const missingField = defineRoute(getOverview, async () => ({ data: { environment: 'test' as const, syncEnabled: false, lastRun: null, nextSyncAt: null } }));

// The handler's params are the contract's, parsed: a param the contract does not declare fails.
export const params = defineRoute(findCustomer, async ({ params }) => {
  // @ts-expect-error findCustomer's params are { userId }
  void params.idChannel;
  throw new Error(params.userId);
});
