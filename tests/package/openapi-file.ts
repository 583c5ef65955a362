/**
 * The package's `openapi.json` is generated from server/src/documentation/openapi.ts.
 * `npm run openapi` rewrites it; tests/package/openapi.test.ts fails when it is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../../server/src/documentation/openapi';

export const ROOT_DIR = path.resolve(__dirname, '../..');
export const OPENAPI_FILE = path.join(ROOT_DIR, 'openapi.json');

const packageVersion = () => (JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export const renderOpenApi = () => `${JSON.stringify(openApiDocument({ version: packageVersion() }), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE) || OPENAPI_FILE}`);
}
