import type { Core } from '@strapi/strapi';
import { registerDocumentation } from './documentation';
import { errorCodes } from './middlewares/error-codes';
import { internalTypesGuard } from './middlewares/internal-types-guard';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
  // Registered before Strapi's own middlewares, so it sees their error replies too.
  strapi.server.use(errorCodes(strapi));
  strapi.documents.use(internalTypesGuard);
};

export default register;
