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

export default ({ env }: { env: (key: string, fallback: string) => string }) => ({
  ...graphql(env('PLAYGROUND_GRAPHQL', 'false') === 'true'),
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
