#!/usr/bin/env node
/**
 * `npm run sandbox` / `osteocom-sandbox`: the Osteocom simulator on its own, with public demo
 * credentials. Every setting comes from a flag (`--port 4010`, `--channels=20`), else the
 * environment, else its default. The control API's token is printed at startup (random unless
 * given); `--no-control` serves no control API at all.
 */
import fs from 'node:fs';
import { CONTROL_TOKEN_HEADER, createSandbox, loadCatalogFile } from './src';

interface SettingSpec {
  env: string;
  fallback: string;
  /** What the usage says the default is, when not the fallback itself. */
  shown?: string;
}

const SETTINGS = {
  port: { env: 'SANDBOX_PORT', fallback: '4010' },
  host: { env: 'SANDBOX_HOST', fallback: '127.0.0.1' },
  'client-id': { env: 'SANDBOX_CLIENT_ID', fallback: 'sandbox-client' },
  'client-secret': { env: 'SANDBOX_CLIENT_SECRET', fallback: 'sandbox-secret' },
  channels: { env: 'SANDBOX_CHANNELS', fallback: '12' },
  videos: { env: 'SANDBOX_VIDEOS', fallback: '8' },
  'catalog-file': { env: 'SANDBOX_CATALOG_FILE', fallback: '' },
  'latency-ms': { env: 'SANDBOX_LATENCY_MS', fallback: '0' },
  'marketing-consent': { env: 'SANDBOX_MARKETING_CONSENT', fallback: 'off' },
  control: { env: 'SANDBOX_CONTROL', fallback: 'on' },
  'control-token': { env: 'SANDBOX_CONTROL_TOKEN', fallback: '', shown: 'random' },
  'state-file': { env: 'SANDBOX_STATE_FILE', fallback: '', shown: '(none: nothing kept)' },
  fresh: { env: 'SANDBOX_FRESH', fallback: 'off' },
} satisfies Record<string, SettingSpec>;

/** Flags that stand for a setting's value. */
const SHORTHANDS: Record<string, [Setting, string]> = { 'no-control': ['control', 'off'], fresh: ['fresh', 'on'] };

type Setting = keyof typeof SETTINGS;

const USAGE = `Usage: osteocom-sandbox [--flag value]...
${Object.entries(SETTINGS as Record<string, SettingSpec>)
  .map(
    ([flag, { env, fallback, shown }]) =>
      `  --${flag.padEnd(17)} env ${env.padEnd(25)} default ${shown ?? (fallback || '(none)')}`
  )
  .join('\n')}
  --no-control        the same as --control off
  --fresh             delete the state file first: start with no customers
  (--control-token: at least 16 characters; --marketing-consent and --control: on or off)`;

class UsageError extends Error {}

const isSetting = (name: string): name is Setting => name in SETTINGS;

const parseFlags = (args: string[]) => {
  const flags: Partial<Record<Setting, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const shorthand = SHORTHANDS[args[i].replace(/^--/, '')];
    if (args[i].startsWith('--') && shorthand) {
      flags[shorthand[0]] = shorthand[1];
      continue;
    }
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
  const onOff = (name: Setting) => {
    const value = setting(name);
    if (value !== 'on' && value !== 'off')
      throw new UsageError(`--${name} (${SETTINGS[name].env}) must be on or off, got "${value}"`);
    return value === 'on';
  };
  const controlToken = setting('control-token');
  const catalogFile = setting('catalog-file');
  const stateFile = setting('state-file');
  if (stateFile && onOff('fresh')) fs.rmSync(stateFile, { force: true });
  const sandbox = createSandbox({
    stateFile: stateFile || undefined,
    clientId: setting('client-id'),
    clientSecret: setting('client-secret'),
    latencyMs: integer('latency-ms'),
    marketingConsentEnabled: onOff('marketing-consent'),
    control: onOff('control'),
    controlToken: controlToken || undefined,
    catalog: catalogFile
      ? loadCatalogFile(catalogFile)
      : { channels: integer('channels'), videosPerChannel: integer('videos') },
  });
  const { url } = await sandbox.listen(integer('port'), setting('host'));
  const control =
    sandbox.controlToken === undefined
      ? 'control API off'
      : `control API ${new URL(url).origin}/__sandbox with header ${CONTROL_TOKEN_HEADER}: ${sandbox.controlToken}`;
  const consent = sandbox.account.marketingConsentEnabled ? 'on' : 'off';
  console.log(
    `Osteocom sandbox at ${url} — clientId "${sandbox.clientId}", clientSecret "${sandbox.clientSecret}", ${sandbox.catalog.length} channels, account marketing consent ${consent}, ${control}`
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
