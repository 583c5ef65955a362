import fs from 'node:fs';
import path from 'node:path';

/** The plugin is loaded from the repository root, whether this file runs from src or dist. */
const findPluginRoot = (from: string): string => {
  const manifest = path.join(from, 'package.json');
  if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'strapi-plugin-osteocom') {
    return from;
  }
  const parent = path.dirname(from);
  if (parent === from) throw new Error('strapi-plugin-osteocom root not found above the playground');
  return findPluginRoot(parent);
};

/** `@strapi/plugin-graphql`, an optional peer of the plugin: on only when a test or a demo asks for it. */
const graphql = (enabled: boolean) =>
  enabled ? { graphql: { enabled: true, resolve: require.resolve('@strapi/plugin-graphql/package.json'), config: { landingPage: false } } } : {};

/**
 * Strapi's email plugin with a provider when PLAYGROUND_EMAIL_PROVIDER names one (tests use the
 * recorder in tests/helpers/email-recorder); otherwise Strapi's default, which the plugin's
 * reminders treat as not configured.
 */
const email = (provider: string, options: string) =>
  provider ? { email: { config: { provider, providerOptions: JSON.parse(options || '{}'), settings: { defaultFrom: 'Playground Academy <no-reply@playground.test>' } } } } : {};

export default ({ env }: { env: (key: string, fallback: string) => string }) => ({
  ...graphql(env('PLAYGROUND_GRAPHQL', 'false') === 'true'),
  ...email(env('PLAYGROUND_EMAIL_PROVIDER', ''), env('PLAYGROUND_EMAIL_OPTIONS', '')),
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'playground-users-permissions-jwt-secret') },
  },
  osteocom: {
    enabled: true,
    resolve: findPluginRoot(__dirname),
    // Tests and benchmarks tune the plugin through this JSON; a real app writes its config here.
    config: JSON.parse(env('PLAYGROUND_OSTEOCOM_CONFIG', '{}')),
  },
});
