/**
 * Models from the model registry: the primary variant is `name@alias` (production by default),
 * the candidate `name@candidateAlias` when that alias exists. A registry that can push changes
 * (`watch`: PostgreSQL's LISTEN/NOTIFY) is listened to; otherwise its change counter is polled
 * (every 500 ms by default; it moves whenever an alias does, from any process). A moved alias
 * loads the new version in full before the server switches to it. Loaded versions
 * are cached, so only what changed is read from disk.
 */
import { ParamError } from '../../core/errors.js';
import type { Schema } from '../../data/schema.js';
import type { ModelSource, Predictor, ServedModel, SourceState } from './types.js';

/** One registered version, as the registry resolves an alias or version number. */
export interface RegistryVersion {
  name: string;
  version: number | string;
  artifactPath: string;
  status?: string;
  [more: string]: unknown;
}

/** What the server needs of a model registry (ModelRegistry fits it). */
export interface RegistryLike {
  resolve(name: string, aliasOrVersion: string | number): RegistryVersion | Promise<RegistryVersion>;
  /** Cheap; changes whenever an alias moves or a version is added, also from another process. */
  changeCounter(): number | bigint | Promise<number | bigint>;
  /**
   * Calls onChange whenever a version or an alias changes (PostgreSQL: LISTEN/NOTIFY); returns the
   * function that stops it. When a registry has it, the source listens instead of polling.
   */
  watch?(onChange: () => void): () => void;
  close?(): void | Promise<void>;
}

/** Reads a model file: the fitted estimator and what its manifest says about inputs. */
export type ModelLoader = (
  artifactPath: string,
  version: RegistryVersion,
) => Promise<{
  model: Predictor;
  inputSchema?: Schema;
  info?: Record<string, unknown>;
  /** The manifest's monitoring reference profile, when it has one. */
  reference?: Record<string, unknown>;
}>;

export interface RegistrySourceOptions {
  registry: RegistryLike;
  /** The registered model's name. */
  name: string;
  /** Alias or version number the primary variant serves (default 'production'). */
  alias?: string | number;
  /** Alias or version the candidate variant serves (default 'candidate'); null for none. */
  candidateAlias?: string | number | null;
  /** How often the change counter is read, ms (default 500). */
  pollMs?: number;
  loadModel: ModelLoader;
  /** Close the registry when the source closes (when the server opened it). */
  ownsRegistry?: boolean;
  /** Extra facts for GET /models (e.g. every version and alias of the model). */
  describe?: () => unknown;
  onError?: (err: unknown) => void;
}

export function registrySource(opts: RegistrySourceOptions): ModelSource {
  const { registry, name, loadModel } = opts;
  if (typeof registry?.resolve !== 'function' || typeof registry?.changeCounter !== 'function') {
    throw new ParamError('registrySource: registry must have resolve(name, aliasOrVersion) and changeCounter()');
  }
  if (typeof name !== 'string' || name === '') throw new ParamError('registrySource: name must be the registered model name');
  if (typeof loadModel !== 'function') throw new ParamError('registrySource: loadModel must be a function (artifactPath) => { model, inputSchema? }');
  const alias = opts.alias ?? 'production';
  const candidateAlias = opts.candidateAlias === undefined ? 'candidate' : opts.candidateAlias;
  const pollMs = opts.pollMs ?? 500;
  if (!(pollMs > 0)) throw new ParamError(`registrySource: pollMs must be > 0, got ${pollMs}`);

  /** Loaded versions by "version\0artifactPath"; pruned to what is live after each resolve. */
  let cache = new Map<string, Promise<ServedModel>>();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let unwatch: (() => void) | undefined;
  let last: number | bigint | undefined;
  let polling = false;

  const served = (v: RegistryVersion, next: Map<string, Promise<ServedModel>>): Promise<ServedModel> => {
    const key = `${v.version}\0${v.artifactPath}`;
    let p = next.get(key) ?? cache.get(key);
    if (!p) {
      p = loadModel(v.artifactPath, v).then((m) => ({
        name: v.name ?? name,
        version: v.version,
        model: m.model,
        inputSchema: m.inputSchema,
        // no artifactPath: GET /models shows info, and a server does not tell clients where its files live
        info: { ...(v.status !== undefined ? { status: v.status } : {}), ...m.info },
        ...(m.reference ? { reference: m.reference } : {}),
      }));
    }
    next.set(key, p);
    return p;
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const c = await registry.changeCounter();
      if (last !== undefined && c !== last) for (const l of listeners) l();
      last = c;
    } catch (err) {
      opts.onError?.(err); // a locked or busy database: try again next tick
    } finally {
      polling = false;
    }
  };

  return {
    async resolve(): Promise<SourceState> {
      if (last === undefined) {
        try {
          last = await registry.changeCounter();
        } catch {
          /* polled again later */
        }
      }
      const next = new Map<string, Promise<ServedModel>>();
      const p = await registry.resolve(name, alias);
      let c: RegistryVersion | undefined;
      if (candidateAlias !== null) {
        try {
          c = await registry.resolve(name, candidateAlias);
        } catch (err) {
          // no candidate alias (E_NOT_FOUND) is the usual case: all traffic on the primary
          if ((err as { code?: unknown })?.code !== 'E_NOT_FOUND') opts.onError?.(err);
          c = undefined;
        }
      }
      // a candidate that fails to load leaves all traffic on the primary rather than blocking it
      const candidateLoad = c
        ? served(c, next).catch((err) => {
            opts.onError?.(err);
            next.delete(`${c!.version}\0${c!.artifactPath}`);
            return undefined;
          })
        : undefined;
      const [primary, candidate] = await Promise.all([served(p, next), candidateLoad]);
      cache = next;
      return candidate ? { primary, candidate } : { primary };
    },
    subscribe(onChange) {
      listeners.add(onChange);
      if (typeof registry.watch === 'function') {
        unwatch ??= registry.watch(() => {
          for (const l of listeners) l();
        });
      } else if (!timer) {
        timer = setInterval(poll, pollMs);
        timer.unref();
      }
      return () => {
        listeners.delete(onChange);
        if (listeners.size > 0) return;
        if (timer) clearInterval(timer);
        timer = undefined;
        unwatch?.();
        unwatch = undefined;
      };
    },
    async describe() {
      return {
        source: 'registry',
        name,
        alias,
        candidateAlias,
        ...(typeof registry.watch === 'function' ? { changes: 'notify' } : { changes: 'poll', pollMs }),
        ...(opts.describe ? { registry: await opts.describe() } : {}),
      };
    },
    close() {
      if (timer) {
        clearInterval(timer);
        timer = undefined;
      }
      unwatch?.();
      unwatch = undefined;
      listeners.clear();
      if (opts.ownsRegistry) registry.close?.();
    },
  };
}
