export { createSandbox, type RecordedRequest, type Sandbox, type SandboxOptions } from './server';
export {
  generateCatalog,
  loadCatalogFile,
  type CatalogSize,
  type SandboxChannel,
  type SandboxVideo,
} from './catalog';
export type { FaultRule, SandboxEndpoint } from './faults';
export { CONTROL_TOKEN_HEADER } from './control-guard';
export type { SandboxAccount, SandboxActivation, SandboxCustomer, VideoTokenClaims } from './state';
