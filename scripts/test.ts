/**
 * `npm test`: typecheck, lint, build and verify the plugin, then every jest suite — the
 * integration suite on SQLite and, when their servers answer (always in CI), its files that can
 * differ by database (tests/integration/databases.js) on PostgreSQL and MySQL/MariaDB, the cluster
 * tests (two Strapi processes) on PostgreSQL and the cluster money model on MySQL too, the browser
 * tests, the package suite — and, in CI, the unit suite, an integration smoke run and the package
 * suite on the other Node LTS lines (scripts/node-lts.ts); then a table of each step's time and
 * result, and a closing "tests: N passed, N failed" line over all of them.
 *
 * After the build, the steps run in two lanes side by side (2 cores: one jest worker each, the
 * databases and Strapi's boots leave the other core idle otherwise). A lane's step writes its
 * output to test-results/<step>.log, printed whole when the step ends. `OSTEOCOM_TEST_LANES=1`
 * runs them one after the other. Each other Node line ends a lane.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { portAnswers } from '../tests/helpers/net';
import { DEFAULT_EXTRA_NODE_MAJORS, onNode } from './node-lts';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { NODE_SMOKE } = require('../tests/integration/databases') as { NODE_SMOKE: string[] };

const ROOT = path.resolve(__dirname, '..');
/** Cluster files that run on MySQL/MariaDB as well (the others are PostgreSQL-only). */
const CLUSTER_MYSQL = ['tests/cluster/money-model-cluster.test.ts'];
const RESULTS = path.join(ROOT, 'test-results');
/** In CI every database and the browser must be there; elsewhere a missing one is skipped, loudly. */
const requireAllDatabases = process.env.CI === 'true' || process.env.REQUIRE_ALL_DATABASES === '1';
const CHROMIUM = '/usr/bin/chromium';

const totals = { passed: 0, failed: 0 };
const failures: string[] = [];

interface Timing {
  title: string;
  lane: string;
  seconds: number;
  ok: boolean;
  tests?: { passed: number; failed: number };
}
/** One row per step, printed at the end: where the run's time went. */
const timings: Timing[] = [];

const slug = (title: string) => title.replace(/\W+/g, '-');
const LANES = process.env.OSTEOCOM_TEST_LANES === '1' ? 1 : 2;

/** Runs a step; in a lane its output goes to a log printed when it ends (lanes would interleave). */
const run = (title: string, lane: string, command: string, args: string[], env: Record<string, string>) =>
  new Promise<boolean>((resolve) => {
    const started = Date.now();
    const log = path.join(RESULTS, `${slug(title)}.log`);
    const toLog = lane !== '-' && LANES > 1;
    process.stdout.write(toLog ? `\n== ${title} (lane ${lane}, started; output when it ends)\n` : `\n== ${title}\n`);
    const out = toLog ? fs.openSync(log, 'w') : 'inherit';
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    child.once('close', (code) => {
      if (typeof out === 'number') {
        fs.closeSync(out);
        process.stdout.write(`\n== ${title} (lane ${lane}): output\n${fs.readFileSync(log, 'utf8')}`);
      }
      const ok = code === 0;
      if (!ok) failures.push(title);
      timings.push({ title, lane, seconds: (Date.now() - started) / 1000, ok });
      resolve(ok);
    });
  });

const step = (title: string, command: string, args: string[], env: Record<string, string> = {}, lane = '-') => run(title, lane, command, args, env);

const jest = async (title: string, args: string[], env: Record<string, string> = {}, lane = '-') => {
  const output = path.join(RESULTS, `${slug(title)}.json`);
  fs.rmSync(output, { force: true });
  await run(title, lane, 'npx', ['jest', ...args, '--json', `--outputFile=${output}`], env);
  if (!fs.existsSync(output)) return;
  const report = JSON.parse(fs.readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
  const failed = report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  totals.passed += report.numPassedTests;
  totals.failed += failed;
  timings.find((row) => row.title === title)!.tests = { passed: report.numPassedTests, failed };
};

/** Runs the lanes side by side (or one after the other with OSTEOCOM_TEST_LANES=1). */
const lanes = async (...work: (() => Promise<void>)[]) => {
  if (LANES > 1) await Promise.all(work.map((lane) => lane()));
  else for (const lane of work) await lane();
};

const printTimings = (wallSeconds: number) => {
  const rows = timings.map(({ title, lane, seconds, ok, tests }) => [
    title,
    lane,
    seconds.toFixed(0),
    ok ? 'ok' : 'FAILED',
    tests ? `${tests.passed} passed, ${tests.failed} failed` : '',
  ]);
  rows.push(['total (wall)', '', wallSeconds.toFixed(0), failures.length ? 'FAILED' : 'ok', `${totals.passed} passed, ${totals.failed} failed`]);
  const header = ['step', 'lane', 's', 'result', 'tests'];
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  process.stdout.write(`\n${[header, ...rows].map(line).join('\n')}\n`);
};

/** `OSTEOCOM_TEST_NODE_MAJORS=22,24` (or empty for none) overrides CI's default. */
const extraNodeMajors = () => {
  const listed = process.env.OSTEOCOM_TEST_NODE_MAJORS;
  if (listed !== undefined) return listed.split(',').map((major) => major.trim()).filter(Boolean);
  return process.env.CI === 'true' ? DEFAULT_EXTRA_NODE_MAJORS : [];
};

/**
 * One other Node line, at the end of a lane: its setup (the Node binary; a child process, so the
 * other lane's steps go on), then the unit project, a smoke run of the integration project with
 * the built dist/ (what `npm pack` ships) on PostgreSQL (no native addon to build for
 * this Node: node_modules serves every line), and the package suite without its fresh
 * create-strapi-app install (packing and installing a tarball cannot differ by Node; the plugin
 * has no native code).
 */
const otherNodeSuites = async (major: string, built: boolean, lane: string) => {
  const prepared = await step(`node ${major} setup`, 'node', ['-r', '@swc-node/register', 'scripts/node-lts.ts', '--prepare', major], {}, lane);
  if (!prepared) return;
  await onNode(major, async ({ env }) => {
    await jest(`unit node ${major}`, ['--selectProjects', 'unit'], env, lane);
    const plugin: Record<string, string> = built ? { OSTEOCOM_TEST_BUILT_PLUGIN: '1' } : {};
    // PostgreSQL, whose driver is plain JavaScript. (MySQL on Node 24 once left Strapi's unawaited
    // telemetry count waiting 60 s for a connection after the last test, failing the step with
    // every test passed: see docs/TESTING.md.)
    await serverIntegration('postgres', 5432, lane, { title: `integration smoke postgres node ${major}`, env: { ...env, ...plugin, OSTEOCOM_TEST_FILES: NODE_SMOKE.join(',') } });
    await jest(`package node ${major}`, ['--selectProjects', 'package', '--testPathIgnorePatterns', 'fresh-app'], env, lane);
  });
};

/** The integration project (or part of it, through `env`) on PostgreSQL or MySQL when its server answers (required in CI). */
const serverIntegration = async (
  kind: 'postgres' | 'mysql',
  port: number,
  lane: string,
  { title = `integration ${kind}`, env = {} }: { title?: string; env?: Record<string, string> } = {}
) => {
  if (await portAnswers(port)) {
    await jest(title, ['--selectProjects', 'integration'], { ...env, TEST_DATABASE: kind, OSTEOCOM_TEST_TEMPLATE: '1', ...COMPILED, ...BUNDLE }, lane);
  } else if (requireAllDatabases) {
    failures.push(`${title}: no server on 127.0.0.1:${port}`);
  } else {
    process.stdout.write(`\n== ${title}: SKIPPED, no server answers on 127.0.0.1:${port}\n`);
  }
};

/** .ci/run installs the browser in the background and writes apt's exit status to this file when it ends. */
const BROWSER_INSTALL_DONE = process.env.OSTEOCOM_BROWSER_INSTALL_DONE;

/** Whether the browser is there, once .ci/run's background install (if any) has ended. */
const browserReady = async () => {
  if (BROWSER_INSTALL_DONE) {
    const started = Date.now();
    while (!fs.existsSync(BROWSER_INSTALL_DONE)) await new Promise((resolve) => setTimeout(resolve, 1000));
    const status = fs.readFileSync(BROWSER_INSTALL_DONE, 'utf8').trim();
    process.stdout.write(`\n== browser install ended (exit ${status}); e2e waited ${Math.round((Date.now() - started) / 1000)} s for it\n`);
    const log = process.env.OSTEOCOM_BROWSER_INSTALL_LOG;
    if (status !== '0' && log && fs.existsSync(log)) process.stdout.write(fs.readFileSync(log, 'utf8').slice(-4000));
  }
  return fs.existsSync(CHROMIUM);
};

/** Set once the playground is compiled and its admin panel built (tests/helpers/global-setup.ts). */
const COMPILED = { OSTEOCOM_PLAYGROUND_COMPILED: '1' };
/** The integration (or browser) files as one jest file, so Strapi's modules load once per run (tests/bundle). */
const BUNDLE = { OSTEOCOM_TEST_BUNDLE: '1' };

const main = async () => {
  const started = Date.now();
  fs.mkdirSync(RESULTS, { recursive: true });
  const built = await step('build', 'npm', ['run', 'build']);
  await step('verify', 'npm', ['run', 'verify']);
  // .ci/run may still be installing the browser: the panel is built meanwhile, e2e waits for it.
  const hasBrowser = fs.existsSync(CHROMIUM) || Boolean(BROWSER_INSTALL_DONE);
  let panelBuilt = false;
  await lanes(
    async () => {
      await jest('unit', ['--selectProjects', 'unit'], {}, 'A');
      await jest('admin components', ['--selectProjects', 'admin'], {}, 'A');
    },
    async () => {
      // Before any Strapi boots: the admin panel's build compiles the playground as well; the
      // jest runs below then skip their own compile (two at once would write the same files).
      if (hasBrowser) panelBuilt = await step('admin panel build', 'node', ['-r', '@swc-node/register', 'scripts/build-if-needed.ts'], {}, 'B');
      await step('playground compile', 'node', ['-r', '@swc-node/register', '-e', "require('./tests/helpers/global-setup').default().catch((e) => { console.error(e); process.exit(1); })"], {}, 'B');
    }
  );
  const pgAnswers = await portAnswers(5432);
  // The other Node lines end the lanes, one each (they no longer touch node_modules).
  const majors = extraNodeMajors();
  const nodeLane = async (lane: number) => {
    const mine = LANES > 1 ? majors.filter((_, index) => index % 2 === lane) : lane === 0 ? majors : [];
    for (const major of mine) await otherNodeSuites(major, built, lane === 0 ? 'A' : 'B');
  };
  await lanes(
    async () => {
      // Each file's fresh database is a copy of templates made once per run (tests/helpers/template.ts).
      await jest('integration sqlite', ['--selectProjects', 'integration'], { TEST_DATABASE: 'sqlite', OSTEOCOM_TEST_TEMPLATE: '1', ...COMPILED, ...BUNDLE }, 'A');
      // Two Strapi processes on one PostgreSQL database (tests/cluster): leases, cron, outbox, kill -9.
      if (pgAnswers) await jest('cluster postgres', ['--selectProjects', 'cluster'], COMPILED, 'A');
      else if (requireAllDatabases) failures.push('cluster: no PostgreSQL on 127.0.0.1:5432');
      else process.stdout.write('\n== cluster: SKIPPED, no PostgreSQL answers on 127.0.0.1:5432\n');
      if (panelBuilt && (await browserReady())) await jest('e2e', ['--selectProjects', 'e2e'], { ...COMPILED, ...BUNDLE }, 'A');
      else if (requireAllDatabases) failures.push(`e2e: no browser at ${CHROMIUM} (apt-get install chromium)`);
      else process.stdout.write(`\n== e2e: SKIPPED, no browser at ${CHROMIUM} (apt-get install chromium)\n`);
      await nodeLane(0);
    },
    async () => {
      // Nothing waits on them, and this lane ends earlier than the other.
      await step('typecheck', 'npm', ['run', 'typecheck'], {}, 'B');
      await step('lint', 'npm', ['run', 'lint'], {}, 'B');
      await serverIntegration('postgres', 5432, 'B');
      await serverIntegration('mysql', 3306, 'B');
      // The cluster money model again on MySQL/MariaDB (two Strapi processes on one database).
      if (await portAnswers(3306)) await jest('cluster mysql', ['--selectProjects', 'cluster', '--runTestsByPath', ...CLUSTER_MYSQL], { TEST_DATABASE: 'mysql', ...COMPILED }, 'B');
      else if (requireAllDatabases) failures.push('cluster mysql: no server on 127.0.0.1:3306');
      // The packed plugin installed into a Strapi app made by create-strapi-app, plus openapi.json and
      // the exported types (tests/package): about 3 minutes with a warm npm cache, 5–6 cold.
      await jest('package', ['--selectProjects', 'package'], built ? { OSTEOCOM_PACKAGE_SKIP_BUILD: '1' } : {}, 'B');
      await nodeLane(1);
    }
  );
  printTimings((Date.now() - started) / 1000);
  process.stdout.write(`\n${failures.length ? `Failed steps: ${failures.join(', ')}\n` : 'All steps passed.\n'}`);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed\n`);
  process.exit(failures.length || totals.failed ? 1 : 0);
};

void main();
