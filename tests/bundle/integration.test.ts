/** The integration files (tests/integration) as one jest file: see ./files.ts. */
import path from 'node:path';
import { bundleFiles } from './files';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the list jest.config.js reads too (CommonJS)
const { SQLITE_ONLY, OWN_JEST_FILE } = require('../integration/databases') as Record<'SQLITE_ONLY' | 'OWN_JEST_FILE', Record<string, string>>;

const onSqlite = (process.env.TEST_DATABASE ?? 'sqlite') === 'sqlite' || process.env.OSTEOCOM_TEST_EVERY_FILE === '1';

// The files of OWN_JEST_FILE run beside this one as jest files of their own (jest.config.js).
bundleFiles(path.join(__dirname, '..', 'integration'), '.test.ts', (file) => !(file in OWN_JEST_FILE) && (onSqlite || !(file in SQLITE_ONLY)));
