export { ModelRegistry } from './registry.js';
export { PgModelRegistry, type PgOpenOptions } from './pg.js';
export { openModelRegistry, type AnyModelRegistry } from './open.js';
export { copyRegistry, type CopyRegistryOptions, type CopyReport } from './copy.js';
export type { ArtifactStore } from './store.js';
export type { RegistryDump } from './ops.js';
export type {
  ActorOption,
  AliasInfo,
  AuditEntry,
  ModelSummary,
  ModelVersion,
  OpenOptions,
  RegisterOptions,
  VersionStatus,
} from './types.js';
