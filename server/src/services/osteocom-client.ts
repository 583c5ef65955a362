import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../config/schema';
import { createOsteocomClient } from './osteocom-client/index';
import { getService } from '../utils/get-service';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = strapi.config.get('plugin::osteocom') as PluginConfig;
  return createOsteocomClient({
    getConnection: () => getService(strapi, 'settings').getConnection(),
    http: config.http,
    token: config.token,
    log: strapi.log,
  });
};
