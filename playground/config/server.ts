import type { Core } from '@strapi/strapi';

/** Playground-only fallbacks so `npm start` works on a fresh clone; never use them in production. */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    keys: env.array('APP_KEYS', ['playground-key-1', 'playground-key-2']),
  },
});

export default config;
