import globalSetup from './global-setup';
import { testDatabaseKind } from './database';
import { makeTemplates } from './template';

/**
 * The integration project's globalSetup: the common one, then, with `OSTEOCOM_TEST_TEMPLATE=1`
 * (`npm test` sets it), the template databases for the kind under test (tests/helpers/template.ts)
 * that each file's fresh database copies instead of a first start. Making them costs one boot,
 * so they pay for a whole project run, not for one file.
 */
export default async function integrationSetup() {
  await globalSetup();
  if (process.env.OSTEOCOM_TEST_TEMPLATE !== '1') return;
  (globalThis as { osteocomTemplates?: unknown }).osteocomTemplates = await makeTemplates(testDatabaseKind());
}
