/**
 * Several test files in one jest file, for `npm test` (`OSTEOCOM_TEST_BUNDLE=1`): jest gives every
 * test file a module registry of its own, so a file that boots Strapi first loads Strapi's
 * thousands of modules again — most of a file's boot (docs/TESTING.md). In a bundle they load
 * once per run. Each file still boots its own Strapi on its own fresh database with its own
 * sandbox, in a describe block named after it; process.env is put back after each file (jest
 * gives each test file its own copy). `OSTEOCOM_TEST_FILES` (comma-separated names) narrows the
 * list.
 */
import fs from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { namedFiles } = require('../integration/databases') as { namedFiles: () => string[] | undefined };

const restoreEnv = (saved: NodeJS.ProcessEnv) => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
};

/** Registers every `*<suffix>` file of `dir` that `keep` accepts, each in a describe block of its own. */
export const bundleFiles = (dir: string, suffix: string, keep: (file: string) => boolean = () => true) => {
  const named = namedFiles();
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(suffix) && keep(file) && (!named || named.includes(file)))
    .sort();
  for (const file of files) {
    describe(file, () => {
      let saved: NodeJS.ProcessEnv = {};
      beforeAll(() => {
        saved = { ...process.env };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the file's hooks and tests in this block
      require(path.join(dir, file));
      afterAll(() => restoreEnv(saved));
    });
  }
};
