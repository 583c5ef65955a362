import type { Core } from '@strapi/strapi';
import { releaseStartupLock } from './database/schema-sync-lock';
import { getService } from './utils/get-service';

/**
 * How long a run in flight may take to notice the shutdown (the lease then expires by itself), and
 * an authorization or revocation in flight to record its outcome and answer (Strapi closes the
 * HTTP server and the database right after the plugins' destroy).
 */
const SHUTDOWN_GRACE_MS = 3_000;

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await releaseStartupLock(strapi);
  getService(strapi, 'scheduler').stop();
  getService(strapi, 'lock').abandonAll();
  await Promise.all([
    getService(strapi, 'catalog-sync').shutdown(SHUTDOWN_GRACE_MS),
    getService(strapi, 'access').shutdown(SHUTDOWN_GRACE_MS),
    getService(strapi, 'key-rotation').shutdown(SHUTDOWN_GRACE_MS),
  ]);
  // Only now: a call answered within the grace period settles its row; one still unanswered is cut
  // off and stays recorded as a call that may land (it was recorded before it left).
  getService(strapi, 'osteocom-client').destroy();
};

export default destroy;
