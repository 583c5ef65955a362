/** The integration files (tests/integration) as one jest file: see ./files.ts. */
import path from 'node:path';
import { bundleFiles } from './files';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { OWN_JEST_FILE, runsOnThisDatabase } = require('../integration/databases') as {
  OWN_JEST_FILE: Record<string, string>;
  runsOnThisDatabase: (file: string) => boolean;
};

// The files of OWN_JEST_FILE run beside this one as jest files of their own (jest.config.js).
bundleFiles(path.join(__dirname, '..', 'integration'), '.test.ts', (file) => !(file in OWN_JEST_FILE) && runsOnThisDatabase(file));
