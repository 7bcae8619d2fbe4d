/**
 * The defaults behind `createServer({ registry: 'path.db', name })`: the registry is opened with
 * ModelRegistry.open, and each version's artifact read with load() and readManifest() — kiln's
 * model files, which never execute code on load. Imported on first use.
 */
import { BackendUnavailableError } from '../../core/errors.js';
import type { Schema } from '../../data/schema.js';
import type { ModelLoader, RegistryLike } from './registry-source.js';
import type { Predictor } from './types.js';

interface ManifestFacts {
  className?: string;
  inputSchema?: Schema;
  featureNames?: string[];
  classes?: unknown[];
  metrics?: unknown;
  createdAt?: unknown;
}

interface DeployModule {
  ModelRegistry?: { open(path: string): RegistryLike | Promise<RegistryLike> };
  load?(path: string): Promise<unknown>;
  loadWithManifest?(path: string): Promise<{ model: unknown; manifest: ManifestFacts }>;
  readManifest?(path: string): Promise<ManifestFacts> | ManifestFacts;
}

async function deployModule(): Promise<DeployModule> {
  return (await import('../index.js')) as DeployModule;
}

export async function openRegistry(path: string): Promise<RegistryLike> {
  const { ModelRegistry } = await deployModule();
  if (typeof ModelRegistry?.open !== 'function') {
    throw new BackendUnavailableError('createServer: this build of kiln has no ModelRegistry; pass an open registry or a source');
  }
  return ModelRegistry.open(path);
}

export const loadArtifact: ModelLoader = async (artifactPath) => {
  const m = await deployModule();
  let model: unknown, manifest: ManifestFacts;
  if (typeof m.loadWithManifest === 'function') {
    ({ model, manifest } = await m.loadWithManifest(artifactPath)); // one read of the file
  } else if (typeof m.load === 'function' && typeof m.readManifest === 'function') {
    [model, manifest] = await Promise.all([m.load(artifactPath), m.readManifest(artifactPath)]);
  } else {
    throw new BackendUnavailableError('createServer: this build of kiln cannot read model files (no load/readManifest); pass loadModel');
  }
  let inputSchema = manifest?.inputSchema;
  if (!inputSchema && Array.isArray(manifest?.featureNames)) {
    // feature names alone: numeric columns in that order, missing values left to the model
    inputSchema = Object.fromEntries(manifest.featureNames.map((f) => [f, { type: 'number' as const, nullable: true }]));
  }
  return {
    model: model as Predictor,
    inputSchema,
    info: { className: manifest?.className, metrics: manifest?.metrics, createdAt: manifest?.createdAt },
  };
};
