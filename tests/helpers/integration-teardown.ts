import type { TestDatabase } from './database';

/** Drops the run's template databases (tests/helpers/integration-setup.ts). */
export default async function integrationTeardown() {
  for (const template of (globalThis as { osteocomTemplates?: TestDatabase[] }).osteocomTemplates ?? []) await template.drop();
}
