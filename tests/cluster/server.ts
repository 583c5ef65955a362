/**
 * One playground Strapi server process for the cluster test (`node -r @swc-node/register
 * tests/cluster/server.ts`), configured by the environment like a real deployment: PORT, HOST,
 * DATABASE_*, OSTEOCOM_*, PLAYGROUND_OSTEOCOM_CONFIG. No admin panel.
 *
 * Strapi loads the plugin's built entry (dist/server/index.js must exist: `npm run build`); as in
 * the integration tests, that entry is redirected to the TypeScript source, so the servers run
 * the code under test even when the build is older than the last edit.
 */
import Module from 'node:module';
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { APP_DIR, APP_DIST_DIR, PLUGIN_SERVER_ENTRY, ROOT_DIR } from '../helpers/paths';

const SOURCE_ENTRY = path.join(ROOT_DIR, 'server', 'src', 'index.ts');

type Resolver = (request: string, ...rest: unknown[]) => string;

const runPluginFromSource = () => {
  const loader = Module as unknown as { _resolveFilename: Resolver };
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    const resolved = resolveFilename.call(this, request, ...rest);
    return resolved === PLUGIN_SERVER_ENTRY ? SOURCE_ENTRY : resolved;
  };
};

/** The line the test waits for. */
const READY = 'CLUSTER SERVER READY';

const main = async () => {
  runPluginFromSource();
  const strapi = createStrapi({ appDir: APP_DIR, distDir: APP_DIST_DIR, autoReload: false, serveAdminPanel: false });
  await strapi.start();
  // Strapi itself destroys the instance and exits on SIGTERM / SIGINT (a second handler would destroy it twice).
  process.stdout.write(`${READY} ${process.pid}\n`);
};

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
