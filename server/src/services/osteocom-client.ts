import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../config/schema';
import { getService } from '../utils/get-service';
import { createOsteocomClient } from './osteocom-client/index';

/** The Osteocom client of this Strapi process: config is read on use, settings on every call. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const plugin = () => strapi.plugin('osteocom');
  return createOsteocomClient({
    getConnection: () => getService(strapi, 'settings').getConnection(),
    http: () => plugin().config('http') as PluginConfig['http'],
    token: () => plugin().config('token') as PluginConfig['token'],
    log: strapi.log,
  });
};
