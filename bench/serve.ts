/** A playground Strapi (built plugin, no admin panel) for the HTTP benchmarks, in its own process. */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { APP_DIR } from './lib';

const main = async () => {
  const strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), autoReload: false, serveAdminPanel: false });
  await strapi.start();
  process.stdout.write(`BENCH SERVER READY ${process.env.PORT}\n`);
  const stop = () => void strapi.destroy().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
