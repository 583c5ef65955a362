import type { Core } from '@strapi/strapi';
import { ADMIN_ACTIONS } from './permissions';
import { grantChannelSiteFields } from './setup/channel-site-permissions';
import { configureContentManager } from './setup/content-manager';
import { labelContentManager } from './setup/content-manager-labels';
import { removeMirroredWritePermissions } from './setup/mirrored-write-permissions';
import { grantDefaultPermissions } from './setup/default-permissions';
import { createChannelSiteRepository } from './repositories/channel-site-repository';
import { createEntitlementRepository } from './repositories/entitlement-repository';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ADMIN_ACTIONS);
  getService(strapi, 'crypto').assertKeyAvailable();
  await grantDefaultPermissions(strapi);
  const repaired = await createEntitlementRepository(strapi).repairLegacy();
  if (repaired) strapi.log.info(`[osteocom] ${repaired} entitlements from an earlier version queued for the outbox`);
  // A site upgraded to the report's ledger: its history so far, from the entitlements as they are.
  await getService(strapi, 'reports').backfillLedger();
  // ...and its tallies, from that ledger.
  await getService(strapi, 'reports').backfillTallies();
  // Channels synced by a version without the site-owned fields: listed, with unique slugs.
  const slugs = await createChannelSiteRepository(strapi).fillDefaults();
  if (slugs) strapi.log.info(`[osteocom] ${slugs} channels given a slug from their title`);
  await grantChannelSiteFields(strapi);
  await removeMirroredWritePermissions(strapi);
  await configureContentManager(strapi);
  await labelContentManager(strapi);
  await getService(strapi, 'scheduler').start();
  // In the background: a long pass must not hold up the server's start.
  void getService(strapi, 'key-rotation').startIfNeeded();
};

export default bootstrap;
