export { ModelRegistry } from './registry.js';
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
