import type { TestDatabase } from './database';

/** Drops the run's template database (tests/helpers/integration-setup.ts). */
export default async function integrationTeardown() {
  await (globalThis as { osteocomTemplate?: TestDatabase }).osteocomTemplate?.drop();
}
