import fs from 'node:fs';
import path from 'node:path';

/** The root entry points of the Strapi plugin layout name the same built modules as package.json's exports (needs dist/: a package test). */
const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  exports: Record<string, { require: string }>;
};

const requiredTarget = (entry: string) => {
  const match = /require\('(\.\/[^']+)'\)/.exec(fs.readFileSync(path.join(ROOT, entry), 'utf8'));
  if (!match) throw new Error(`${entry} requires nothing`);
  return require.resolve(path.join(ROOT, match[1]));
};

describe('root entry points', () => {
  it.each([
    ['strapi-server.js', './strapi-server'],
    ['strapi-admin.js', './strapi-admin'],
  ])('%s re-exports what exports["%s"] names, and is published', (entry, exportKey) => {
    expect(requiredTarget(entry)).toBe(path.resolve(ROOT, manifest.exports[exportKey].require));
    expect(manifest.files).toContain(entry);
  });
});
