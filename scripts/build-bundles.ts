/**
 * The plugin's admin and server bundles only (dist/admin, dist/server), as `strapi-plugin build`
 * makes them but without type declarations, dist/shared or dist/sandbox: what the playground
 * loads, for `npm start` and the browser tests. The published package is built by `npm run build`.
 *
 * The options mirror @strapi/sdk-plugin's vite config (vite-config-*.js): the package's
 * dependencies and peers and Node's built-ins stay external, ESM and CommonJS from one entry.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, type InlineConfig } from 'vite';
import pkg from '../package.json';

const ROOT = path.resolve(__dirname, '..');

const EXTERNALS = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
const isExternal = (id: string) => isBuiltin(id) || EXTERNALS.some((name) => id === name || id.startsWith(`${name}/`));

type Entry = { source: string; require: string };

const configOf = (entry: Entry, admin: boolean): InlineConfig => ({
  root: ROOT,
  configFile: false,
  logLevel: 'warn',
  plugins: admin ? [react()] : [],
  build: {
    outDir: path.dirname(path.join(ROOT, entry.require)),
    emptyOutDir: true,
    minify: false,
    target: admin ? 'es2020' : 'node20',
    lib: {
      entry: path.join(ROOT, entry.source),
      formats: ['es', 'cjs'],
      fileName: (format) => (format === 'es' ? 'index.mjs' : 'index.js'),
    },
    rollupOptions: { external: isExternal, output: { interop: 'auto', exports: 'named' } },
    commonjsOptions: { include: [/node_modules/], extensions: ['.js', '.jsx', '.cjs'] },
  },
});

export const buildBundles = async () => {
  await build(configOf(pkg.exports['./strapi-admin'], true));
  await build(configOf(pkg.exports['./strapi-server'], false));
};

if (require.main === module) {
  buildBundles().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
