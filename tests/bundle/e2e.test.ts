/** The browser test files (tests/e2e) as one jest file: see ./files.ts. */
import path from 'node:path';
import { bundleFiles } from './files';

bundleFiles(path.join(__dirname, '..', 'e2e'), '.e2e.test.ts');
