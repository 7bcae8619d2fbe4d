/** What the model registry stores and returns. */
import type { Lineage, ModelMeta } from '../manifest.js';

export type VersionStatus = 'active' | 'archived' | 'retired';

/** One registered version of a model. (A type alias, not an interface, so it fits `Record<string, unknown>`-style consumers.) */
export type ModelVersion = {
  name: string;
  version: number;
  status: VersionStatus;
  /** Absolute path of the model file in the registry's store (load it with `load`). */
  artifactPath: string;
  artifactSha256: string;
  artifactBytes: number;
  className: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  lineage: Lineage;
  description?: string;
  createdAt: string;
  createdBy: string;
  /** Aliases that point to this version now. */
  aliases: string[];
};

export interface ModelSummary {
  name: string;
  createdAt: string;
  createdBy: string;
  /** Number of versions, and the highest version number (0 when none). */
  versions: number;
  latestVersion: number;
  /** alias → version. */
  aliases: Record<string, number>;
}

export interface AliasInfo {
  alias: string;
  version: number;
  /** Where the alias pointed before its last move (null for a new alias). */
  previousVersion: number | null;
  updatedAt: string;
  updatedBy: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  model: string | null;
  version: number | null;
  detail: Record<string, unknown>;
}

export interface ActorOption {
  /** Who did it, for the audit log (default: the registry's actor, else the OS user name). */
  actor?: string;
}

export interface RegisterOptions extends ActorOption {
  /** A model-file path (copied into the store) or a fitted model object (saved into the store). */
  artifact: string | object;
  /** Recorded parameters (default: the model file's). */
  params?: Record<string, unknown>;
  /** Evaluation results, name → finite number (default: the model file's). */
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  /** Lineage; parentVersion must be a version of the same model. */
  lineage?: Lineage;
  description?: string;
  /** Extra manifest data when `artifact` is a model object (schema, feature names, card text). */
  meta?: Omit<ModelMeta, 'metrics' | 'lineage' | 'tags' | 'description'>;
}

export interface OpenOptions {
  /** Actor recorded in the audit log when a call names none (default: the OS user name). */
  actor?: string;
  /**
   * Where artifacts are stored (SQLite default: `<db path without .db>.artifacts` next to the
   * database; PostgreSQL: env KILN_REGISTRY_STORE, else the store the registry recorded when it
   * was created, else `./kiln-registry.artifacts` — a directory every process that loads models must see).
   */
  storeDir?: string;
  /** How long a write waits for another process's transaction, ms (default 10000). */
  busyTimeoutMs?: number;
  /** Open without writing (no migrations; every write is refused). */
  readonly?: boolean;
}
