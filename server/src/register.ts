import type { Core } from '@strapi/strapi';
import { subscribeEpochInstants } from './database/epoch-instants';
import { mergeDuplicates } from './database/merge-duplicates';
import { migrateInstants } from './database/migrate-instants';
import { createSchemaSyncLock } from './database/schema-sync-lock';
import { applySqliteBusyTimeout } from './database/sqlite-busy-timeout';
import { registerDocumentation } from './documentation';
import { registerGraphql } from './graphql';
import { registerMirroredCatalogGuard } from './middlewares/mirrored-catalog';
import { errorCodes } from './middlewares/error-codes';
import { internalTypesGuard } from './middlewares/internal-types-guard';
import { registerEvents } from './services/platform/events';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
  registerEvents(strapi);
  registerGraphql(strapi);
  registerMirroredCatalogGuard(strapi);
  // Registered before Strapi's own middlewares, so it sees their error replies too.
  strapi.server.use(errorCodes(strapi));
  strapi.documents.use(internalTypesGuard);
  subscribeEpochInstants(strapi);
  // One server of a cluster at a time syncs the schema and bootstraps; duplicates written before
  // the unique indexes existed are merged first, or creating the indexes would fail. Held until
  // the server listens: Strapi's admin creates its default roles after the plugins' bootstrap, and
  // two servers doing so on an empty database race too ("role Author already exists"). The
  // instants of an earlier version's datetime columns become epoch ms under the same lock.
  const startup = createSchemaSyncLock(strapi);
  strapi.hook('strapi::content-types.beforeSync').register(async () => {
    // First: this server's schema sync may already wait for another's write lock.
    await applySqliteBusyTimeout(strapi);
    await startup.acquire();
    await mergeDuplicates(strapi);
    await migrateInstants(strapi);
  });
  strapi.server.httpServer.once('listening', () => void startup.release());
};

export default register;
