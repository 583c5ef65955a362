import type { Core } from '@strapi/strapi';
import { registerDocumentation } from './documentation';
import { registerGraphql } from './graphql';
import { registerMirroredCatalogGuard } from './middlewares/mirrored-catalog';
import { errorCodes } from './middlewares/error-codes';
import { registerEvents } from './services/events';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
  registerEvents(strapi);
  registerGraphql(strapi);
  registerMirroredCatalogGuard(strapi);
  // Registered before Strapi's own middlewares, so it sees their error replies too.
  strapi.server.use(errorCodes(strapi));
};

export default register;
