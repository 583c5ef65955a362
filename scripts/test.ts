/**
 * `npm test`: typecheck, lint, build and verify the plugin, then every jest suite — the
 * integration suite on SQLite and, when their servers answer (always in CI), its files that can
 * differ by database (tests/integration/databases.js) on PostgreSQL and MySQL/MariaDB, the cluster
 * tests (two Strapi processes) on PostgreSQL and the cluster money model on MySQL too — then, in CI, the unit suite, an integration smoke
 * run and the package suite on the other Node LTS lines (scripts/node-lts.ts), a table of each
 * step's time and result, and a closing "tests: N passed, N failed" line over all of them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portAnswers } from '../tests/helpers/net';
import { DEFAULT_EXTRA_NODE_MAJORS, onNode } from './node-lts';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { NODE_SMOKE } = require('../tests/integration/databases') as { NODE_SMOKE: string[] };

const ROOT = path.resolve(__dirname, '..');
/** The cluster files that take TEST_DATABASE; the others are PostgreSQL's (their own database code). */
const CLUSTER_MYSQL = ['tests/cluster/money-model-cluster.test.ts'];
const RESULTS = path.join(ROOT, 'test-results');
/** In CI every database and the browser must be there; elsewhere a missing one is skipped, loudly. */
const requireAllDatabases = process.env.CI === 'true' || process.env.REQUIRE_ALL_DATABASES === '1';
const CHROMIUM = '/usr/bin/chromium';

const totals = { passed: 0, failed: 0 };
const failures: string[] = [];

interface Timing {
  title: string;
  seconds: number;
  ok: boolean;
  tests?: { passed: number; failed: number };
}
/** One row per step, printed at the end: where the run's time went. */
const timings: Timing[] = [];

const step = (title: string, command: string, args: string[], env: Record<string, string> = {}) => {
  process.stdout.write(`\n== ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  if (!ok) failures.push(title);
  timings.push({ title, seconds: (Date.now() - started) / 1000, ok });
  return ok;
};

const jest = (title: string, args: string[], env: Record<string, string> = {}) => {
  const output = path.join(RESULTS, `${title.replace(/\W+/g, '-')}.json`);
  fs.rmSync(output, { force: true });
  step(title, 'npx', ['jest', ...args, '--json', `--outputFile=${output}`], env);
  if (!fs.existsSync(output)) return;
  const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
  const failed = report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  totals.passed += report.numPassedTests;
  totals.failed += failed;
  timings[timings.length - 1].tests = { passed: report.numPassedTests, failed };
};

const printTimings = (wallSeconds: number) => {
  const rows = timings.map(({ title, seconds, ok, tests }) => [
    title,
    seconds.toFixed(0),
    ok ? 'ok' : 'FAILED',
    tests ? `${tests.passed} passed, ${tests.failed} failed` : '',
  ]);
  rows.push(['total (wall)', wallSeconds.toFixed(0), failures.length ? 'FAILED' : 'ok', `${totals.passed} passed, ${totals.failed} failed`]);
  const header = ['step', 's', 'result', 'tests'];
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write(`\n${[header, ...rows].map(line).join('\n')}\n`);
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
        const smoke = NODE_SMOKE.map((file) => `tests/integration/${file}`);
        jest(`integration smoke sqlite node ${major}`, ['--selectProjects', 'integration', '--runTestsByPath', ...smoke], { ...env, TEST_DATABASE: 'sqlite' });
        jest(`package node ${major}`, ['--selectProjects', 'package'], built ? { ...env, OSTEOCOM_PACKAGE_SKIP_BUILD: '1' } : env);
      });
    } catch (error) {
      failures.push(`node ${major}: ${(error as Error).message}`);
    }
    process.stdout.write(`== node ${major}: ${Math.round((Date.now() - started) / 1000)} s wall time\n`);
  }
};

const main = async () => {
  const started = Date.now();
  fs.mkdirSync(RESULTS, { recursive: true });
  step('typecheck', 'npm', ['run', 'typecheck']);
  step('lint', 'npm', ['run', 'lint']);
  const built = step('build', 'npm', ['run', 'build']);
  step('verify', 'npm', ['run', 'verify']);
  jest('unit', ['--selectProjects', 'unit']);
  jest('admin components', ['--selectProjects', 'admin']);
  // Each file's fresh database is a copy of one made once per run (tests/helpers/template.ts).
  jest('integration sqlite', ['--selectProjects', 'integration'], { TEST_DATABASE: 'sqlite', OSTEOCOM_TEST_TEMPLATE: '1' });
  for (const [kind, port] of [['postgres', 5432], ['mysql', 3306]] as const) {
    if (await portAnswers(port)) {
      jest(`integration ${kind}`, ['--selectProjects', 'integration'], { TEST_DATABASE: kind, OSTEOCOM_TEST_TEMPLATE: '1' });
    } else if (requireAllDatabases) {
      failures.push(`integration ${kind}: no server on 127.0.0.1:${port}`);
    } else {
      process.stdout.write(`\n== integration ${kind}: SKIPPED, no server answers on 127.0.0.1:${port}\n`);
    }
  }
  // Two Strapi processes on one PostgreSQL database (tests/cluster): leases, cron, outbox, kill -9,
  // the money-path model; the model again on MySQL/MariaDB.
  if (await portAnswers(5432)) {
    jest('cluster postgres', ['--selectProjects', 'cluster']);
  } else if (requireAllDatabases) {
    failures.push('cluster: no PostgreSQL on 127.0.0.1:5432');
  } else {
    process.stdout.write('\n== cluster: SKIPPED, no PostgreSQL answers on 127.0.0.1:5432\n');
  }
  if (await portAnswers(3306)) {
    jest('cluster mysql', ['--selectProjects', 'cluster', '--runTestsByPath', ...CLUSTER_MYSQL], { TEST_DATABASE: 'mysql' });
  } else if (requireAllDatabases) {
    failures.push('cluster mysql: no server on 127.0.0.1:3306');
  } else {
    process.stdout.write('\n== cluster mysql: SKIPPED, no server answers on 127.0.0.1:3306\n');
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
  jest('package', ['--selectProjects', 'package'], built ? { OSTEOCOM_PACKAGE_SKIP_BUILD: '1' } : {});
  otherNodeSuites(built);
  printTimings((Date.now() - started) / 1000);
  process.stdout.write(`\n${failures.length ? `Failed steps: ${failures.join(', ')}\n` : 'All steps passed.\n'}`);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed\n`);
  process.exit(failures.length || totals.failed ? 1 : 0);
};

void main();
