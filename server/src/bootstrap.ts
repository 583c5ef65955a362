import type { Core } from '@strapi/strapi';
import { ADMIN_ACTIONS } from './permissions';
import { configureContentManager } from './setup/content-manager';
import { grantDefaultPermissions } from './setup/default-permissions';
import { createEntitlementRepository } from './repositories/entitlement-repository';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ADMIN_ACTIONS);
  getService(strapi, 'crypto').assertKeyAvailable();
  await grantDefaultPermissions(strapi);
  const repaired = await createEntitlementRepository(strapi).repairLegacy();
  if (repaired) strapi.log.info(`[osteocom] ${repaired} entitlements from an earlier version queued for the outbox`);
  await configureContentManager(strapi);
  await getService(strapi, 'scheduler').start();
  // In the background: a long pass must not hold up the server's start.
  void getService(strapi, 'key-rotation').startIfNeeded();
};

export default bootstrap;
