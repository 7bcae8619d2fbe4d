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

/**
 * The state one k-means run carries between its assignments (assignBounded): per row its label, an
 * upper bound on the distance to its centre and, per group of centres, a lower bound on the
 * distance to the group's other centres (Hamerly's bounds with Yinyang's groups), stored as of an
 * epoch (one per call) and moved by the centres' cumulative drift since; the running per-cluster
 * sums; the centres of the last call (null before the first, which sets everything).
 */
export interface KmeansBounds {
  groups: number;
  labels: Int32Array;
  epoch: Int32Array;
  upper: Float64Array;
  /** n × (groups + 1): per group, then their minimum. */
  lower: Float32Array;
  /** Per past call, cumulative shifts: k per centre, groups per-group maxima, the overall maximum. */
  drift: Float64Array[];
  /** k × d. */
  sums: Float64Array;
  /** n: the squared distances assignBounded returns (when it writes them). */
  dist2: Float64Array;
  prevCenters: Float64Array | null;
}

/** Fresh bounds for a run on n rows and k centres of d features: groups (centre j in group j mod groups) about k / 10, a power of 2 up to 16. */
export function kmeansBounds(n: number, k: number, d: number): KmeansBounds {
  let groups = 1;
  while (groups < 16 && groups * 2 <= k / 10) groups *= 2;
  return {
    groups,
    labels: new Int32Array(n),
    epoch: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float32Array(n * (groups + 1)),
    drift: [],
    sums: new Float64Array(k * d),
    dist2: new Float64Array(n),
    prevCenters: null,
  };
}

export interface KmeansKernels {
  assign(a: KmeansAssignArgs): Promise<KmeansAssignResult>;
  /**
   * assign() on a run's next centres, skipping the rows whose bounds prove their label unchanged,
   * plus how many labels changed (n on a first call). The same labels and weight sums as assign();
   * the sums are kept running, so they differ from assign()'s by f64 rounding; dist2 and inertia
   * are filled only when a.accumulate is false or a cluster is empty (else stale). labels and
   * dist2 are the bounds' own arrays (no copies): read them before the next call. Updates the
   * bounds in place (prevCenters becomes a.centers). Optional: without it, runs call assign().
   */
  assignBounded?(a: KmeansAssignArgs, bounds: KmeansBounds): Promise<KmeansAssignResult & { changed: number }>;
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
