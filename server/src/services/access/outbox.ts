import type { Core } from '@strapi/strapi';
import { clearExpiredCounters } from '../../middlewares/rate-limit-store';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { getService } from '../../utils/get-service';

const LEASE = 'outbox';
const BATCH = 100;

interface OutboxConfig {
  alertAfterSeconds: number;
  /** Renewed every third of it while a pass runs, so a dead holder is taken over after at most this long. */
  leaseSeconds: number;
}

/**
 * The retry engine: sends the purchases and refunds Osteocom could not take yet, one server at a
 * time, for as long as it takes; raises an alert once an operation stays unconfirmed too long.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const entitlements = createEntitlementRepository(strapi);
  const config = () => strapi.plugin('osteocom').config('outbox') as OutboxConfig;
  const alertCutoff = () => new Date(Date.now() - config().alertAfterSeconds * 1000);

  /** Once per operation: an audit event and a warning that the site must look at Osteocom's side. */
  const raiseAlerts = async () => {
    for (const row of await entitlements.overdue(alertCutoff())) {
      if (!(await entitlements.compareAndSet(row, { alertedAt: new Date() }))) continue;
      strapi.log.warn(
        `[osteocom] an operation is still not confirmed by Osteocom: ${row.pendingOperation} since ${row.operationAt}, ${row.attempts} attempts, last code ${row.lastErrorCode ?? 'none'}`
      );
      await getService(strapi, 'audit').record({
        action: 'alert',
        outcome: 'pending',
        actor: { type: 'system', id: 'outbox' },
        subjectUserId: row.customerKey,
        channelKey: row.channelKey,
        details: { operation: row.pendingOperation, since: row.operationAt, attempts: row.attempts, code: row.lastErrorCode },
      });
    }
  };

  /** Housekeeping last, and never in the way of the money path: a failure is logged and tried next pass. */
  const clearCounters = async () => {
    try {
      await clearExpiredCounters(strapi);
    } catch (error) {
      strapi.log.warn(`[osteocom] expired rate-limit counters were not cleared this pass (${(error as Error).message})`);
    }
  };

  return {
    /** One pass under the cluster lease: how many operations were due, or null when another server holds it. */
    async runOnce(): Promise<number | null> {
      const lease = await getService(strapi, 'lock').acquire(LEASE, config().leaseSeconds);
      if (!lease) return null;
      try {
        await raiseAlerts();
        await getService(strapi, 'access').expire(BATCH);
        const due = await entitlements.due(BATCH);
        await getService(strapi, 'access').sendDue(due);
        await clearCounters();
        return due.length;
      } finally {
        await lease.release();
      }
    },

    alertCutoff,
  };
};
