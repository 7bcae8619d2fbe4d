/** KMeans's parameters, their defaults and constraints (shared with MiniBatchKMeans where they agree). */
import { custom, int, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';

/** Initial centres: a method, or the centres themselves (nClusters rows of the input's width). */
export type KMeansInit = 'k-means++' | 'random' | number[][];

export interface KMeansParams {
  /** Number of clusters (centres), an integer >= 1 and at most the rows fitted. Default: 8. */
  nClusters: number;
  /**
   * 'k-means++' (greedy k-means++, 2 + floor(ln k) candidates per centre), 'random' (k distinct
   * rows), or the initial centres as nClusters rows (then one run). Default: 'k-means++'.
   */
  init: KMeansInit;
  /**
   * Runs from different initial centres, the lowest inertia kept: an integer >= 1, or 'auto'
   * (scikit-learn 1.2: 1 for 'k-means++' and given centres, 10 for 'random'). Default: 10.
   */
  nInit: number | 'auto';
  /** Iterations per run at most, an integer >= 1. Default: 300. */
  maxIter: number;
  /** Convergence: stop when the squared centre shift totals <= tol × the mean feature variance, >= 0. Default: 0.0001. */
  tol: number;
  /**
   * 'lloyd' (assignment on the kmeans kernels; on the native backend the iterations carry Hamerly
   * bounds with centre groups and skip the rows they prove unchanged: the same labels, about
   * 50 bytes per row of state) or 'elkan' (triangle-inequality bounds, n × k memory). Default: 'lloyd'.
   */
  algorithm: 'lloyd' | 'elkan';
  /** Seed of the initialisation, an integer in [0, 2^32). Default: 0. */
  randomState: number;
  /** Backend for the kmeans kernels; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

export const isCentres = (v: unknown): v is number[][] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((r) => Array.isArray(r) && r.length > 0 && r.length === v[0].length && r.every((x) => typeof x === 'number' && Number.isFinite(x)));

export const INIT_SPEC = union(
  oneOf('k-means++', 'random'),
  custom<number[][]>('initial centres as rows of finite numbers (number[][])', isCentres, { probes: [[[1], [1, 2]], [[NaN]]] }),
);

export const KMEANS_DEFAULTS: KMeansParams = {
  nClusters: 8,
  init: 'k-means++',
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  algorithm: 'lloyd',
  randomState: 0,
  backend: undefined,
};

export const KMEANS_SPECS: ParamSpecs<KMeansParams> = {
  nClusters: int({ min: 1 }),
  init: INIT_SPEC,
  nInit: union(int({ min: 1 }), oneOf('auto')),
  maxIter: int({ min: 1 }),
  tol: num({ min: 0, finite: true }),
  algorithm: oneOf('lloyd', 'elkan'),
  randomState: int({ min: 0, max: 0xffffffff }),
  backend: optional(BACKEND_CHOICE),
};
