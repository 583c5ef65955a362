import type { Core } from '@strapi/strapi';
import { mergeDuplicates } from './database/merge-duplicates';
import { createSchemaSyncLock } from './database/schema-sync-lock';
import { registerDocumentation } from './documentation';
import { errorCodes } from './middlewares/error-codes';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
  // Registered before Strapi's own middlewares, so it sees their error replies too.
  strapi.server.use(errorCodes(strapi));
  // One server of a cluster at a time syncs the schema; duplicates written before the unique
  // indexes existed are merged first, or creating the indexes would fail.
  const schemaSync = createSchemaSyncLock(strapi);
  strapi.hook('strapi::content-types.beforeSync').register(async () => {
    await schemaSync.acquire();
    await mergeDuplicates(strapi);
  });
  strapi.hook('strapi::content-types.afterSync').register(() => schemaSync.release());
};

export default register;
