/**
 * The defaults behind `createServer({ registry: 'path.db' | 'postgres://…', name })`: the registry
 * is opened read-only with ModelRegistry.open (better-sqlite3 or pg loads then, not on
 * `import 'kiln'`), and each
 * version's artifact is read with loadWithManifest — kiln's model files, which never execute code
 * on load and are checked against the registry's recorded SHA-256, their checksums and their structure.
 */
import { loadWithManifest } from '../model-file.js';
import { servedSchema } from '../warm-up.js';
import { ModelRegistry } from '../registry/index.js';
import type { ModelLoader, RegistryLike } from './registry-source.js';
import type { Predictor } from './types.js';

/** The server only reads the registry: it never migrates or writes it (promote from elsewhere). */
export async function openRegistry(location: string): Promise<RegistryLike & { listVersions?: unknown }> {
  return ModelRegistry.open(location, { readonly: true });
}

/** Every version and alias of the model, for GET /models (when the registry can list them). */
export function describeRegistry(registry: RegistryLike, name: string): () => Promise<unknown> {
  type Versions = { version: number; status: string; createdAt?: string; aliases?: string[]; metrics?: unknown }[];
  type Aliases = { alias: string; version: number; previousVersion?: number | null; updatedAt?: string }[];
  const r = registry as RegistryLike & {
    listVersions?(name: string): Versions | Promise<Versions>;
    listAliases?(name: string): Aliases | Promise<Aliases>;
  };
  return async () => {
    try {
      const versions = await r.listVersions?.(name);
      const aliases = await r.listAliases?.(name);
      return {
        versions: versions?.map((v) => ({ version: v.version, status: v.status, createdAt: v.createdAt, aliases: v.aliases, metrics: v.metrics })),
        aliases: aliases?.map((a) => ({ alias: a.alias, version: a.version, previousVersion: a.previousVersion ?? null, updatedAt: a.updatedAt })),
      };
    } catch {
      // the message may name the database file; /models is for clients
      return { error: 'the registry could not be listed just now' };
    }
  };
}

export const loadArtifact: ModelLoader = async (artifactPath, version) => {
  // one read of the file: its bytes against the SHA-256 the registry recorded, then every checksum and the structure
  const sha256 = typeof version?.artifactSha256 === 'string' ? version.artifactSha256 : undefined;
  const { model, manifest } = await loadWithManifest(artifactPath, sha256 === undefined ? {} : { sha256 });
  return {
    model: model as Predictor,
    inputSchema: servedSchema(manifest),
    info: { className: manifest.className, metrics: manifest.metrics, createdAt: manifest.createdAt },
    ...(manifest.reference ? { reference: manifest.reference } : {}),
  };
};
