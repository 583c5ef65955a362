/**
 * The integration files in one jest test file, for `npm test` (`OSTEOCOM_TEST_BUNDLE=1`): jest
 * gives every test file a module registry of its own, so a file that boots Strapi first loads
 * Strapi's thousands of modules again — most of a file's boot (measured in docs/TESTING.md). Here
 * they load once per run. Each file still boots its own Strapi on its own fresh database with its
 * own sandbox, in a describe block named after it; process.env is put back after each file (jest
 * gives each test file its own copy). `OSTEOCOM_TEST_FILES` (comma-separated names) narrows the
 * list; `OSTEOCOM_TEST_SHARD=i/n` takes every n-th file from the i-th.
 */
import fs from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { SQLITE_ONLY } = require('../integration/databases') as { SQLITE_ONLY: Record<string, string> };

const DIR = path.join(__dirname, '..', 'integration');

const filesToRun = () => {
  const onSqlite = (process.env.TEST_DATABASE ?? 'sqlite') === 'sqlite' || process.env.OSTEOCOM_TEST_EVERY_FILE === '1';
  const named = process.env.OSTEOCOM_TEST_FILES?.split(',').map((name) => name.trim());
  const [index, count] = (process.env.OSTEOCOM_TEST_SHARD ?? '1/1').split('/').map(Number);
  return fs
    .readdirSync(DIR)
    .filter((file) => file.endsWith('.test.ts'))
    .filter((file) => onSqlite || !(file in SQLITE_ONLY))
    .filter((file) => !named || named.includes(file))
    .sort()
    .filter((_, position) => position % count === index - 1);
};

const restoreEnv = (saved: NodeJS.ProcessEnv) => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
};

for (const file of filesToRun()) {
  describe(file, () => {
    let saved: NodeJS.ProcessEnv = {};
    beforeAll(() => {
      saved = { ...process.env };
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the file's hooks and tests in this block
    require(path.join(DIR, file));
    afterAll(() => restoreEnv(saved));
  });
}
