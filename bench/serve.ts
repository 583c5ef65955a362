/** A playground Strapi (built plugin, no admin panel) for the HTTP benchmarks, in its own process. */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { APP_DIR } from './lib';

const main = async () => {
  const strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false });
  await strapi.start();
  // Strapi itself destroys the instance and exits on SIGTERM / SIGINT (a second handler would destroy it twice).
  process.stdout.write(`BENCH SERVER READY ${process.env.PORT}\n`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
