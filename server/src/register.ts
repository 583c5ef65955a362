import type { Core } from '@strapi/strapi';
import { mergeDuplicates } from './database/merge-duplicates';
import { registerDocumentation } from './documentation';
import { errorCodes } from './middlewares/error-codes';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
  // Registered before Strapi's own middlewares, so it sees their error replies too.
  strapi.server.use(errorCodes(strapi));
  // Duplicates written before the unique indexes existed would make their creation fail.
  strapi.hook('strapi::content-types.beforeSync').register(() => mergeDuplicates(strapi));
};

export default register;
