import type { Modules } from '@strapi/strapi';
import { ACCESS_EVENT_UID } from '../repositories/access-event-repository';
import { ACCESS_COUNT_UID, ACCESS_DAY_UID } from '../repositories/access-tally-repository';
import { AUDIT_EVENT_UID } from '../repositories/audit-event-repository';
import { CUSTOMER_UID } from '../repositories/customer-repository';
import { ENTITLEMENT_UID } from '../repositories/entitlement-repository';
import { LEASE_UID } from '../repositories/lease-repository';
import { SYNC_RUN_UID } from '../repositories/sync-run-repository';

/**
 * Customers (emails, names, the encrypted access key), entitlements, the report's ledger of access
 * events (customers' ids and prices) and its tallies, audit events, leases and sync runs belong to the plugin: it
 * reads and writes them with `strapi.db.query` behind its own RBAC actions. The Document Service is
 * how the Content Manager, GraphQL and any site code reach content types, and a role can be granted
 * Content Manager actions on these types, so every Document Service call on them is refused,
 * whatever the caller holds.
 */
export const INTERNAL_TYPES: ReadonlySet<string> = new Set([CUSTOMER_UID, ENTITLEMENT_UID, ACCESS_EVENT_UID, ACCESS_DAY_UID, ACCESS_COUNT_UID, AUDIT_EVENT_UID, LEASE_UID, SYNC_RUN_UID]);

/**
 * Shaped as an exposed HTTP error (status, expose), so Strapi's error middleware answers 403
 * with this message and code rather than a 500.
 */
class InternalTypeError extends Error {
  readonly status = 403;
  readonly expose = true;
  readonly details: { code: 'INTERNAL_TYPE'; uid: string };

  constructor(uid: string) {
    super(`${uid} is internal to the Osteocom plugin: it is read and changed only through the plugin's own admin pages and routes, not the Content Manager or the Document Service.`);
    this.name = 'ForbiddenError';
    this.details = { code: 'INTERNAL_TYPE', uid };
  }
}

export const internalTypesGuard: Modules.Documents.Middleware.Middleware = async (ctx, next) => {
  if (INTERNAL_TYPES.has(ctx.uid)) throw new InternalTypeError(ctx.uid);
  return next();
};
