import type { Core } from '@strapi/strapi';
import { registerDocumentation } from './documentation';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  registerDocumentation(strapi);
};

export default register;
