import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { compileStrapi } from '@strapi/strapi';
import { APP_DIR, PLUGIN_SERVER_ENTRY, ROOT_DIR } from './paths';

/**
 * Once per run: Strapi only loads a plugin whose built entry exists (tests then map it to the
 * TypeScript source), and the playground's TypeScript config is compiled once for every file.
 * `OSTEOCOM_PLAYGROUND_COMPILED=1`: `npm test` did both before starting jest runs side by side
 * (two compiles writing playground/dist at once would race).
 */
export default async function globalSetup() {
  if (process.env.OSTEOCOM_PLAYGROUND_COMPILED === '1') return;
  if (!fs.existsSync(PLUGIN_SERVER_ENTRY)) {
    execFileSync('npx', ['strapi-plugin', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
  }
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
}
