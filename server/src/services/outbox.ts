import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';

const LEASE = 'outbox';
const LEASE_SECONDS = 120;

/** Retries the purchases and refunds Osteocom could not take yet, one server at a time. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async runOnce(): Promise<number | null> {
    const lease = await getService(strapi, 'lock').acquire(LEASE, LEASE_SECONDS);
    if (!lease) return null;
    try {
      return await getService(strapi, 'access').retryDue();
    } finally {
      await lease.release();
    }
  },
});
