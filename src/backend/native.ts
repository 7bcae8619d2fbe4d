/**
 * The native backend: the C++ addon, loaded from one place. When it cannot be
 * loaded, the error lists every path tried and how to build it, and kiln carries
 * on with the other backends.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError, fromNativeError } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import { STATS_FIELDS, unpackStats, type Backend, type RawColumnStats, type SgemmArgs } from './backend.js';

/** The addon's exports (native/binding/addon.cc). */
export interface NativeAddon {
  info(): { simd: 'avx512' | 'avx2' | 'scalar'; gemmKernel: string; avx2Fma: boolean; avx512: boolean; threads: number };
  setThreads(n: number): number;
  sgemm(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number,
        a: Float32Array, b: Float32Array, beta: number, c: Float32Array): Promise<void>;
  sgemmSync(ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number,
            a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  columnStats(x: FloatArray, rows: number, cols: number, out: Float64Array): Promise<void>;
  columnStatsSync(x: FloatArray, rows: number, cols: number, out: Float64Array): void;
}

// src/backend/native.ts and dist/backend/native.js both sit two levels below the package root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let loaded: { addon: NativeAddon } | { error: string } | undefined;

function candidatePaths(): string[] {
  const paths = [join(packageRoot, 'build', 'Release', 'kiln.node'), join(packageRoot, 'build', 'Debug', 'kiln.node')];
  const override = process.env.KILN_NATIVE_PATH;
  return override ? [override, ...paths] : paths;
}

/** Loads the addon once; returns it, or the reason it could not be loaded. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: string } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  for (const path of candidatePaths()) {
    if (!existsSync(path)) {
      tried.push(`${path} (not found)`);
      continue;
    }
    try {
      loaded = { addon: require(path) as NativeAddon };
      return loaded;
    } catch (e) {
      tried.push(`${path} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  loaded = {
    error:
      `native addon not loaded; tried ${tried.join('; ')}. ` +
      'Build it with `npm run build:native` (needs cmake >= 3.15 and a C++17 compiler), or use the js backend.',
  };
  return loaded;
}

export function nativeAddon(): NativeAddon {
  const r = loadNativeAddon();
  if ('error' in r) throw new BackendUnavailableError(r.error);
  return r.addon;
}

export class NativeBackend implements Backend {
  readonly name = 'native' as const;
  constructor(readonly addon: NativeAddon) {}

  describe(): string {
    const i = this.addon.info();
    return `C++ ${i.simd} kernels, ${i.threads} thread${i.threads === 1 ? '' : 's'}`;
  }

  async sgemm(g: SgemmArgs): Promise<void> {
    try {
      await this.addon.sgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c);
    } catch (e) {
      throw fromNativeError(e, 'native sgemm');
    }
  }

  sgemmSync(g: SgemmArgs): void {
    try {
      this.addon.sgemmSync(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c);
    } catch (e) {
      throw fromNativeError(e, 'native sgemm');
    }
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    const out = new Float64Array(STATS_FIELDS.length * cols);
    try {
      await this.addon.columnStats(x, rows, cols, out);
    } catch (e) {
      throw fromNativeError(e, 'native columnStats');
    }
    return unpackStats(out, cols);
  }

  columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats {
    const out = new Float64Array(STATS_FIELDS.length * cols);
    try {
      this.addon.columnStatsSync(x, rows, cols, out);
    } catch (e) {
      throw fromNativeError(e, 'native columnStats');
    }
    return unpackStats(out, cols);
  }
}
