#!/usr/bin/env node
/** `npm run sandbox` / `osteocom-sandbox`: the Osteocom simulator on its own, with public demo credentials. */
import { createSandbox, loadCatalogFile } from './src';

const flag = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > -1 ? process.argv[index + 1] : undefined;
};

const setting = (name: string, env: string, fallback: string) => flag(name) ?? process.env[env] ?? fallback;

const main = async () => {
  const catalogFile = setting('catalog', 'SANDBOX_CATALOG_FILE', '');
  const sandbox = createSandbox({
    clientId: setting('client-id', 'SANDBOX_CLIENT_ID', 'sandbox-client'),
    clientSecret: setting('client-secret', 'SANDBOX_CLIENT_SECRET', 'sandbox-secret'),
    latencyMs: Number(setting('latency', 'SANDBOX_LATENCY_MS', '0')),
    catalog: catalogFile
      ? loadCatalogFile(catalogFile)
      : { channels: Number(setting('channels', 'SANDBOX_CHANNELS', '12')), videosPerChannel: Number(setting('videos', 'SANDBOX_VIDEOS', '8')) },
  });
  const { url } = await sandbox.listen(Number(setting('port', 'SANDBOX_PORT', '4010')), setting('host', 'SANDBOX_HOST', '127.0.0.1'));
  console.log(`Osteocom sandbox at ${url} — clientId "${sandbox.clientId}", clientSecret "${sandbox.clientSecret}"`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
