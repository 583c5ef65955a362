/**
 * `npm test`: typecheck, lint, build and verify the plugin, then every jest suite — the
 * integration suite on SQLite and, when their servers answer (always in CI), on PostgreSQL and
 * MySQL/MariaDB, the cluster test (two Strapi processes) on PostgreSQL — then, in CI, the unit,
 * SQLite-integration and package suites on the other Node LTS lines (scripts/node-lts.ts), and a
 * closing "tests: N passed, N failed" line over all of them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portAnswers } from '../tests/helpers/net';
import { DEFAULT_EXTRA_NODE_MAJORS, onNode } from './node-lts';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'test-results');
/** In CI every database and the browser must be there; elsewhere a missing one is skipped, loudly. */
const requireAllDatabases = process.env.CI === 'true' || process.env.REQUIRE_ALL_DATABASES === '1';
const CHROMIUM = '/usr/bin/chromium';

const totals = { passed: 0, failed: 0 };
const failures: string[] = [];

const step = (title: string, command: string, args: string[], env: Record<string, string> = {}) => {
  process.stdout.write(`\n== ${title}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
};

const jest = (title: string, args: string[], env: Record<string, string> = {}) => {
  const output = path.join(RESULTS, `${title.replace(/\W+/g, '-')}.json`);
  fs.rmSync(output, { force: true });
  step(title, 'npx', ['jest', ...args, '--json', `--outputFile=${output}`], env);
  if (!fs.existsSync(output)) return;
  const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
};

/** `OSTEOCOM_TEST_NODE_MAJORS=22,24` (or empty for none) overrides CI's default. */
const extraNodeMajors = () => {
  const listed = process.env.OSTEOCOM_TEST_NODE_MAJORS;
  if (listed !== undefined) return listed.split(',').map((major) => major.trim()).filter(Boolean);
  return process.env.CI === 'true' ? DEFAULT_EXTRA_NODE_MAJORS : [];
};

/** After every Node-20 suite: each other Node swaps better-sqlite3's binary in and back out. */
const otherNodeSuites = (built: boolean) => {
  for (const major of extraNodeMajors()) {
    const started = Date.now();
    try {
      onNode(major, ({ env }) => {
        jest(`unit node ${major}`, ['--selectProjects', 'unit'], env);
        jest(`integration sqlite node ${major}`, ['--selectProjects', 'integration'], { ...env, TEST_DATABASE: 'sqlite' });
        jest(`package node ${major}`, ['--selectProjects', 'package'], built ? { ...env, OSTEOCOM_PACKAGE_SKIP_BUILD: '1' } : env);
      });
    } catch (error) {
      failures.push(`node ${major}: ${(error as Error).message}`);
    }
    process.stdout.write(`== node ${major}: ${Math.round((Date.now() - started) / 1000)} s wall time\n`);
  }
};

const main = async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  step('typecheck', 'npm', ['run', 'typecheck']);
  step('lint', 'npm', ['run', 'lint']);
  const built = step('build', 'npm', ['run', 'build']);
  step('verify', 'npm', ['run', 'verify']);
  jest('unit', ['--selectProjects', 'unit']);
  jest('admin components', ['--selectProjects', 'admin']);
  jest('integration sqlite', ['--selectProjects', 'integration'], { TEST_DATABASE: 'sqlite' });
  for (const [kind, port] of [['postgres', 5432], ['mysql', 3306]] as const) {
    if (await portAnswers(port)) {
      jest(`integration ${kind}`, ['--selectProjects', 'integration'], { TEST_DATABASE: kind });
    } else if (requireAllDatabases) {
      failures.push(`integration ${kind}: no server on 127.0.0.1:${port}`);
    } else {
      process.stdout.write(`\n== integration ${kind}: SKIPPED, no server answers on 127.0.0.1:${port}\n`);
    }
  }
  // Two Strapi processes on one PostgreSQL database (tests/cluster): leases, cron, outbox, kill -9.
  if (await portAnswers(5432)) {
    jest('cluster postgres', ['--selectProjects', 'cluster']);
  } else if (requireAllDatabases) {
    failures.push('cluster: no PostgreSQL on 127.0.0.1:5432');
  } else {
    process.stdout.write('\n== cluster: SKIPPED, no PostgreSQL answers on 127.0.0.1:5432\n');
  }
  if (fs.existsSync(CHROMIUM)) {
    if (step('admin panel build', 'node', ['-r', '@swc-node/register', 'scripts/build-if-needed.ts'])) jest('e2e', ['--selectProjects', 'e2e']);
  } else if (requireAllDatabases) {
    failures.push(`e2e: no browser at ${CHROMIUM} (apt-get install chromium)`);
  } else {
    process.stdout.write(`\n== e2e: SKIPPED, no browser at ${CHROMIUM} (apt-get install chromium)\n`);
  }
  // The packed plugin installed into a Strapi app made by create-strapi-app, plus openapi.json and
  // the exported types (tests/package): about 3 minutes with a warm npm cache, 5–6 cold.
  const packageStarted = Date.now();
  jest('package', ['--selectProjects', 'package'], built ? { OSTEOCOM_PACKAGE_SKIP_BUILD: '1' } : {});
  process.stdout.write(`== package: ${Math.round((Date.now() - packageStarted) / 1000)} s wall time\n`);
  otherNodeSuites(built);
  process.stdout.write(`\n${failures.length ? `Failed steps: ${failures.join(', ')}\n` : 'All steps passed.\n'}`);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed\n`);
  process.exit(failures.length || totals.failed ? 1 : 0);
};

void main();
