/**
 * Builds what the browser tests need, only when it is stale:
 *  - the plugin's bundles (scripts/build-bundles.ts: no type declarations) when dist/admin is
 *    older than admin/src or server/src;
 *  - the playground's admin panel (`npx strapi build`) when playground/dist/build is older than
 *    the plugin's admin sources or the playground's config and src.
 * Shared by `npm start` (the plugin only: it serves the admin through Vite's dev server) and
 * the browser tests, and runnable:
 *   node -r @swc-node/register scripts/build-if-needed.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'playground');

export const PLUGIN_ADMIN_ENTRY = path.join(ROOT, 'dist/admin/index.mjs');
export const ADMIN_PANEL_INDEX = path.join(APP, 'dist/build/index.html');

const newestMtime = (target: string): number => {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), 0);
};

export const isStale = (output: string, sources: string[]) =>
  !fs.existsSync(output) ||
  sources.some((source) => newestMtime(source) > fs.statSync(output).mtimeMs);

const run = (command: string, args: string[], cwd: string) => {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status})`);
  return Date.now() - started;
};

export interface BuildReport {
  pluginMs: number | null;
  adminPanelMs: number | null;
}

/**
 * The admin panel bundles the plugin's built admin (dist/admin), so its staleness is judged
 * against admin/src itself: a server-only rebuild of the plugin does not force the 60 s Vite build.
 */
export const buildIfNeeded = ({ adminPanel = true }: { adminPanel?: boolean } = {}): BuildReport => {
  const report: BuildReport = { pluginMs: null, adminPanelMs: null };
  if (isStale(PLUGIN_ADMIN_ENTRY, [path.join(ROOT, 'admin/src'), path.join(ROOT, 'server/src')])) {
    // The bundles only: declarations and the package-only output are for `npm run build`.
    report.pluginMs = run('node', ['-r', '@swc-node/register', 'scripts/build-bundles.ts'], ROOT);
  }
  const panelSources = [
    path.join(ROOT, 'admin/src'),
    path.join(APP, 'config'),
    path.join(APP, 'src'),
    path.join(APP, 'package.json'),
  ];
  if (adminPanel && isStale(ADMIN_PANEL_INDEX, panelSources)) {
    report.adminPanelMs = run('npx', ['strapi', 'build'], APP);
  }
  return report;
};

if (require.main === module) {
  try {
    const { pluginMs, adminPanelMs } = buildIfNeeded();
    const took = (ms: number | null) =>
      ms === null ? 'up to date' : `built in ${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(`plugin: ${took(pluginMs)}; admin panel: ${took(adminPanelMs)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
