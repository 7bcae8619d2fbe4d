/**
 * The kmeans family: the assignment step of k-means (nearest centre per row, squared distance to
 * it, and the weighted per-cluster sums a centre update needs) and squared distances to a set of
 * centres. Labels are an exact f64 argmin on every backend (ties to the smaller centre index);
 * sums, distances and inertia agree across backends to f64 rounding (summation order differs).
 */
import { ShapeError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';

export interface KmeansAssignArgs {
  /** n × d rows, row-major. */
  x: FloatArray;
  n: number;
  d: number;
  /** n sample weights, or null (all 1). */
  weights: Float64Array | null;
  /** k × d centres, row-major. */
  centers: Float64Array;
  k: number;
  /** Also accumulate Σ w·x and Σ w per cluster (a Lloyd update); off for predict. */
  accumulate: boolean;
}

export interface KmeansAssignResult {
  labels: Int32Array;
  /** Squared distance of each row to its centre. */
  dist2: Float64Array;
  /** Σ w · dist2. */
  inertia: number;
  /** k × d: Σ w·x per cluster (zeros unless accumulate). */
  sums: Float64Array;
  /** k: Σ w per cluster (zeros unless accumulate). */
  weightSums: Float64Array;
}

export interface KmeansKernels {
  assign(a: KmeansAssignArgs): Promise<KmeansAssignResult>;
  /** n × k squared Euclidean distances, row-major. */
  distances(x: FloatArray, n: number, d: number, centers: Float64Array, k: number): Promise<Float64Array>;
}

/** Lengths a backend trusts before it touches memory. */
export function checkKmeansArgs(a: KmeansAssignArgs): void {
  if (a.x.length !== a.n * a.d) throw new ShapeError(`kmeans: x has ${a.x.length} values, expected n × d = ${a.n * a.d}`);
  if (a.centers.length !== a.k * a.d) throw new ShapeError(`kmeans: centers has ${a.centers.length} values, expected k × d = ${a.k * a.d}`);
  if (a.weights && a.weights.length !== a.n) throw new ShapeError(`kmeans: weights has ${a.weights.length} values, expected n = ${a.n}`);
  if (a.k < 1 || a.d < 1) throw new ShapeError(`kmeans: needs k >= 1 and d >= 1, got k = ${a.k}, d = ${a.d}`);
}
