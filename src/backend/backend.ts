/**
 * The Backend interface: the only door from the TypeScript layer to kernels.
 * Kernel arguments are raw typed arrays plus shapes; the ops layer validates
 * user input before it gets here, and each backend re-checks what it must.
 */
import type { FloatArray } from '../core/matrix.js';

export type BackendName = 'native' | 'webgpu' | 'js';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'webgpu', 'js'];

/** C = alpha · op(A) · op(B) + beta · C over row-major f32; op(A) is m×k, op(B) is k×n. */
export interface SgemmArgs {
  transA: boolean; // A is stored k×m
  transB: boolean; // B is stored n×k
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  b: Float32Array;
  beta: number; // 0 overwrites C, so NaN already in C does not propagate
  c: Float32Array; // m×n, read when beta ≠ 0, always written
}

/** Per-column statistics; non-finite values are skipped and counted in `nonFinite`. */
export interface RawColumnStats {
  count: Float64Array;
  nonFinite: Float64Array;
  sum: Float64Array;
  mean: Float64Array;
  /** Sum of squared deviations from the mean (variance × count). */
  m2: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export const STATS_FIELDS = ['count', 'nonFinite', 'sum', 'mean', 'm2', 'min', 'max'] as const;

/** Splits a packed [count | nonFinite | sum | mean | m2 | min | max] buffer into views. */
export function unpackStats(packed: Float64Array, cols: number): RawColumnStats {
  const view = (i: number) => packed.subarray(i * cols, (i + 1) * cols);
  return {
    count: view(0), nonFinite: view(1), sum: view(2), mean: view(3), m2: view(4), min: view(5), max: view(6),
  };
}

export interface Backend {
  readonly name: BackendName;
  sgemm(args: SgemmArgs): Promise<void>;
  /** Same result as sgemm on the calling thread; absent on backends that are async by nature. */
  sgemmSync?(args: SgemmArgs): void;
  columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats>;
  columnStatsSync?(x: FloatArray, rows: number, cols: number): RawColumnStats;
}

export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** What runs it: CPU features and threads, the GPU adapter, ... */
  description: string;
  /** Why it is unavailable, and how to fix that. */
  reason?: string;
  /** webgpu only: true for a hardware adapter, false for a CPU one such as lavapipe. */
  hardware?: boolean;
}
