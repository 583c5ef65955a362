const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const { SQLITE_ONLY, OWN_JEST_FILE, runsOnThisDatabase, namedFiles } = require('./tests/integration/databases');

/** On PostgreSQL and MySQL the integration project leaves out the SQLite-only files (tests/integration/databases.js). */
const sqliteOnlyIgnored = Object.keys(SQLITE_ONLY)
  .filter((file) => !runsOnThisDatabase(file))
  .map((file) => `/tests/integration/${escapeRegExp(file)}$`);

/**
 * Strapi requires the plugin's built entry; in tests it runs from source instead, unless
 * `OSTEOCOM_TEST_BUILT_PLUGIN=1` (the smoke run on Node 22/24: the packed dist/ on that Node).
 */
const pluginEntry = `^${escapeRegExp(path.join(__dirname, 'dist', 'server', 'index.js'))}$`;
const fromSource = process.env.OSTEOCOM_TEST_BUILT_PLUGIN === '1' ? {} : { [pluginEntry]: '<rootDir>/server/src/index.ts' };

/** The OWN_JEST_FILE files a bundled run takes (`OSTEOCOM_TEST_FILES` narrows them as it narrows the bundle). */
const named = namedFiles();
const ownJestFiles = Object.keys(OWN_JEST_FILE).filter((file) => !named || named.includes(file));
const bundleHasFiles = !named || named.some((file) => !(file in OWN_JEST_FILE));

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testEnvironment: 'node',
  // scripts/node-lts.ts keeps Node binaries there, and the npm start test a playground copy: not modules of this project.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
};

module.exports = {
  // Global in Jest: a per-project testTimeout is ignored. Booting Strapi takes seconds.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      // OSTEOCOM_TEST_BUNDLE=1 (npm test): every file in one, so Strapi's modules load once (tests/bundle).
      testMatch:
        process.env.OSTEOCOM_TEST_BUNDLE === '1'
          ? [...(bundleHasFiles ? ['<rootDir>/tests/bundle/integration.test.ts'] : []), ...ownJestFiles.map((file) => `<rootDir>/tests/integration/${file}`)]
          : ['<rootDir>/tests/integration/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...sqliteOnlyIgnored],
      moduleNameMapper: fromSource,
      // Also makes the template database each file's fresh database copies (tests/helpers/template.ts).
      globalSetup: '<rootDir>/tests/helpers/integration-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/integration-teardown.ts',
    },
    {
      ...common,
      displayName: 'admin',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/tests/unit/admin/**/*.test.tsx'],
      setupFilesAfterEnv: ['<rootDir>/tests/unit/admin/setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: process.env.OSTEOCOM_TEST_BUNDLE === '1' ? ['<rootDir>/tests/bundle/e2e.test.ts'] : ['<rootDir>/tests/e2e/**/*.e2e.test.ts'],
      moduleNameMapper: { [pluginEntry]: '<rootDir>/server/src/index.ts' },
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
    },
    {
      ...common,
      displayName: 'cluster',
      // Two Strapi processes on one PostgreSQL database (tests/cluster/server.ts); run by `npm test`
      // when PostgreSQL answers on 127.0.0.1:5432. The file also sets its own timeout.
      testMatch: ['<rootDir>/tests/cluster/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      testTimeout: 180_000,
    },
    {
      ...common,
      displayName: 'package',
      // fresh-app.test.ts packs the plugin and installs it into a new Strapi app: minutes, its own timeouts.
      testMatch: ['<rootDir>/tests/package/**/*.test.ts'],
    },
  ],
};
