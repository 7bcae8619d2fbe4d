/** The knn family: exact k nearest neighbours over a prepared base. Every backend runs it. */
import type { FloatArray } from '../../core/matrix.js';
import type { BackendName } from './names.js';

export type KnnMetric = 'sqeuclidean' | 'euclidean' | 'cosine' | 'inner_product' | 'manhattan';
/** Metric codes shared with the native binding. */
export const KNN_METRICS: readonly KnnMetric[] = ['sqeuclidean', 'euclidean', 'cosine', 'inner_product', 'manhattan'];

/** A k-NN base as a backend holds it between searches (packed, or resident on a device). */
export interface KnnIndex {
  readonly backend: BackendName;
  readonly base: FloatArray;
  readonly n: number;
  readonly d: number;
  readonly metric: KnnMetric;
  /** Releases what the backend holds for this index (device buffers); idempotent. */
  dispose(): void;
}

export interface KnnResult {
  /** nq × k, row-major: ascending distances (descending inner products). */
  distances: Float64Array;
  indices: Int32Array;
}

/** Radius neighbours as CSR lists: query q's hits are entries offsets[q] .. offsets[q+1]. */
export interface RadiusResult {
  /** nq + 1 running totals (exact integers). */
  offsets: Float64Array;
  /** Per query, ascending distance (descending inner product), ties to the smaller index. */
  indices: Int32Array;
  distances: Float64Array;
}

export interface KnnKernels {
  /** Prepares a base for exact k-NN (kept by reference: it must not change afterwards). */
  index(base: FloatArray, n: number, d: number, metric: KnnMetric, budgetBytes: number): Promise<KnnIndex>;
  /**
   * The k nearest base points of each query, exactly (ties: smaller index first).
   * excludeSelf: the queries are the base and query i never returns point i.
   */
  search(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult>;
  /**
   * Every base point within `radius` of each query (distance <= radius; inner product >= radius),
   * exactly, decided by f64 distances. excludeSelf as in search.
   */
  radius(index: KnnIndex, queries: FloatArray, nq: number, radius: number, excludeSelf: boolean): Promise<RadiusResult>;
}
