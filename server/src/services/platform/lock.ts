import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { createLeaseRepository } from '../../repositories/lease-repository';

export interface Lease {
  readonly name: string;
  /** Set once a renewal found the lease taken over: the holder must stop writing. */
  readonly lost: boolean;
  /**
   * Renews the lease inside the caller's transaction, as its last write: false (and `lost`) when
   * another server holds it. Committed together, the work and the renewal fence each other.
   */
  confirm(trx: Knex.Transaction): Promise<boolean>;
  release(): Promise<void>;
}

/** Identifies this process in lease rows, so operators can tell which server holds a lock. */
export const SERVER_ID = `${hostname()}:${process.pid}`;

/**
 * A cluster-wide lease on a database row: compare-and-set on the expiry, renewed while held,
 * released at the end, and taken over once expired if its holder died.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const held = new Set<NodeJS.Timeout>();
  const leases = createLeaseRepository(strapi);

  return {
    /** The lease, or null when another holder's lease has not expired. */
    async acquire(name: string, leaseSeconds: number): Promise<Lease | null> {
      await leases.ensure(name);
      const owner = `${SERVER_ID}:${randomBytes(4).toString('hex')}`;
      const leaseMs = leaseSeconds * 1000;
      if ((await leases.take(name, owner, leaseMs)) !== 1) return null;

      let lost = false;
      const timer = setInterval(() => {
        leases
          .renew(name, owner, leaseMs)
          .then((updated) => {
            if (updated === 1) return;
            lost = true;
            clearInterval(timer);
            strapi.log.warn(`[osteocom] lease ${name} lost to another server`);
          })
          .catch((error: Error) => strapi.log.warn(`[osteocom] lease ${name} renewal failed: ${error.message}`));
      }, Math.max(250, leaseMs / 3));
      timer.unref();
      held.add(timer);

      return {
        name,
        get lost() {
          return lost;
        },
        async confirm(trx) {
          if (!lost && (await leases.renew(name, owner, leaseMs, trx)) !== 1) lost = true;
          return !lost;
        },
        async release() {
          clearInterval(timer);
          held.delete(timer);
          if (!lost) await leases.release(name, owner);
        },
      };
    },

    /** Whether any server holds the lease now (for status displays; acquire decides who runs). */
    isHeld: (name: string): Promise<boolean> => leases.isHeld(name),

    /**
     * Stops renewing without releasing: on shutdown the lease then expires on its own, so a
     * server that stops mid-run never hands over a half-written state as if it were done.
     */
    abandonAll() {
      for (const timer of held) clearInterval(timer);
      held.clear();
    },
  };
};
