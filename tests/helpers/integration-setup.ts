import globalSetup from './global-setup';
import { testDatabaseKind } from './database';
import { makeTemplate } from './template';

/**
 * The integration project's globalSetup: the common one, then, with `OSTEOCOM_TEST_TEMPLATE=1`
 * (`npm test` sets it), a template database for the kind under test (tests/helpers/template.ts)
 * that each file's fresh database copies instead of creating the schema. Making it costs one boot,
 * so it pays for a whole project run, not for one file.
 */
export default async function integrationSetup() {
  await globalSetup();
  if (process.env.OSTEOCOM_TEST_TEMPLATE !== '1') return;
  const template = await makeTemplate(testDatabaseKind());
  (globalThis as { osteocomTemplate?: typeof template }).osteocomTemplate = template;
}
