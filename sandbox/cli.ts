#!/usr/bin/env node
/**
 * `npm run sandbox` / `osteocom-sandbox`: the Osteocom simulator on its own, with public demo
 * credentials. Every setting comes from a flag (`--port 4010`, `--channels=20`), else the
 * environment, else its default.
 */
import { createSandbox, loadCatalogFile } from './src';

const SETTINGS = {
  port: { env: 'SANDBOX_PORT', fallback: '4010' },
  host: { env: 'SANDBOX_HOST', fallback: '127.0.0.1' },
  'client-id': { env: 'SANDBOX_CLIENT_ID', fallback: 'sandbox-client' },
  'client-secret': { env: 'SANDBOX_CLIENT_SECRET', fallback: 'sandbox-secret' },
  channels: { env: 'SANDBOX_CHANNELS', fallback: '12' },
  videos: { env: 'SANDBOX_VIDEOS', fallback: '8' },
  'catalog-file': { env: 'SANDBOX_CATALOG_FILE', fallback: '' },
  'latency-ms': { env: 'SANDBOX_LATENCY_MS', fallback: '0' },
};

type Setting = keyof typeof SETTINGS;

const USAGE = `Usage: osteocom-sandbox [--flag value]...
${Object.entries(SETTINGS)
  .map(
    ([flag, { env, fallback }]) =>
      `  --${flag.padEnd(14)} env ${env.padEnd(22)} default ${fallback || '(none)'}`
  )
  .join('\n')}`;

class UsageError extends Error {}

const isSetting = (name: string): name is Setting => name in SETTINGS;

const parseFlags = (args: string[]) => {
  const flags: Partial<Record<Setting, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!match || !isSetting(match[1])) throw new UsageError(`Unknown argument ${args[i]}`);
    const value = match[2] ?? args[(i += 1)];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    flags[match[1]] = value;
  }
  return flags;
};

const main = async () => {
  if (process.argv.includes('--help')) return console.log(USAGE);
  const flags = parseFlags(process.argv.slice(2));
  const setting = (name: Setting) =>
    flags[name] ?? process.env[SETTINGS[name].env] ?? SETTINGS[name].fallback;
  const integer = (name: Setting) => {
    const value = setting(name);
    if (!/^\d+$/.test(value))
      throw new UsageError(
        `--${name} (${SETTINGS[name].env}) must be a non-negative integer, got "${value}"`
      );
    return Number(value);
  };
  const catalogFile = setting('catalog-file');
  const sandbox = createSandbox({
    clientId: setting('client-id'),
    clientSecret: setting('client-secret'),
    latencyMs: integer('latency-ms'),
    catalog: catalogFile
      ? loadCatalogFile(catalogFile)
      : { channels: integer('channels'), videosPerChannel: integer('videos') },
  });
  const { url } = await sandbox.listen(integer('port'), setting('host'));
  const control = `${url.slice(0, url.length - sandbox.basePath.length)}/__sandbox`;
  console.log(
    `Osteocom sandbox at ${url} — clientId "${sandbox.clientId}", clientSecret "${sandbox.clientSecret}", ${sandbox.catalog.length} channels, control API ${control}`
  );
  const stop = () => void sandbox.close();
  // Once: a second Ctrl-C falls back to Node's default and exits at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
