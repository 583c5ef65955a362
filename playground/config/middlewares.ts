import type { Core } from '@strapi/strapi';

/**
 * Channel covers come from Osteocom's CDN: the admin may show them. `npm start` sets
 * PLAYGROUND_MEDIA_ORIGIN to the sandbox's origin, which serves the demo catalog's covers.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const media = ["'self'", 'data:', 'blob:', 'https://*.osteocom.me', ...env.array('PLAYGROUND_MEDIA_ORIGIN', [])];
  return [
    'strapi::logger',
    'strapi::errors',
    {
      name: 'strapi::security',
      config: { contentSecurityPolicy: { useDefaults: true, directives: { 'img-src': media, 'media-src': media } } },
    },
    'strapi::cors',
    'strapi::poweredBy',
    'strapi::query',
    'strapi::body',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};

export default config;
