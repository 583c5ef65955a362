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

/** Strapi requires the plugin's built entry; in tests it runs from source instead. */
const pluginEntry = `^${escapeRegExp(path.join(__dirname, 'dist', 'server', 'index.js'))}$`;

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      moduleNameMapper: { [pluginEntry]: '<rootDir>/server/src/index.ts' },
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      testTimeout: 60_000,
    },
  ],
};
