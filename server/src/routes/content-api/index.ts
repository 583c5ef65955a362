import type { PluginRouter } from '../plugin-router';

/**
 * Users-permissions roles and API tokens decide who may call each action. The plugin grants, once,
 * catalog reads to Public and Authenticated and video-token/me to Authenticated; authorizations
 * and revocations, single and bulk, pauses and resumptions, are for shop back ends with an API token and granted to no role.
 */
export default () =>
  ({
    type: 'content-api',
    routes: [
      { method: 'GET', path: '/channels', handler: 'catalog.find', config: {} },
      { method: 'GET', path: '/channels/:idChannelOrSlug', handler: 'catalog.findOne', config: {} },
      { method: 'POST', path: '/video-token', handler: 'video-token.create', config: { middlewares: ['plugin::osteocom.rate-limit'] } },
      { method: 'GET', path: '/me', handler: 'me.get', config: {} },
      { method: 'POST', path: '/authorizations', handler: 'access.authorize', config: {} },
      { method: 'POST', path: '/revocations', handler: 'access.revoke', config: {} },
      { method: 'POST', path: '/pauses', handler: 'access.pause', config: {} },
      { method: 'POST', path: '/resumptions', handler: 'access.resume', config: {} },
      { method: 'POST', path: '/authorizations/bulk', handler: 'access.bulkAuthorize', config: {} },
      { method: 'POST', path: '/revocations/bulk', handler: 'access.bulkRevoke', config: {} },
    ],
  }) satisfies PluginRouter;
