export { createSandbox, type Sandbox, type SandboxOptions, type RecordedRequest } from './server';
export { generateCatalog, loadCatalogFile, type SandboxChannel, type SandboxVideo, type CatalogSize } from './catalog';
export type { FaultRule, SandboxEndpoint } from './faults';
export type { SandboxCustomer } from './state';
