import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** How long a run in flight may take to notice the shutdown; the lease then expires by itself. */
const SHUTDOWN_GRACE_MS = 3_000;

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'scheduler').stop();
  getService(strapi, 'lock').abandonAll();
  const settling = getService(strapi, 'catalog-sync').shutdown(SHUTDOWN_GRACE_MS);
  getService(strapi, 'osteocom-client').destroy();
  await settling;
};

export default destroy;
