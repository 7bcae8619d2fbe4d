/** The reduce family: per-column statistics and per-row norms. Every backend runs it. */
import type { FloatArray } from '../../core/matrix.js';

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
    count: view(0),
    nonFinite: view(1),
    sum: view(2),
    mean: view(3),
    m2: view(4),
    min: view(5),
    max: view(6),
  };
}

export interface ReduceKernels {
  columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats>;
  /** Euclidean norm (or its square) of each row, accumulated in f64. */
  rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array>;
}

export interface ReduceSyncKernels extends ReduceKernels {
  columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats;
  rowNormsSync(x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array;
}
