/**
 * What every neighbour-based estimator shares: parameters, the index built at fit
 * (packed or device-resident, by the backend), and exact kneighbors queries.
 */
import { readMatrix } from '../../core/read-matrix.js';
import { toDenseMatrix, type MatrixOrSparse } from '../../core/dense.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { Estimator } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import { checkOptions, requireFinite, requireNonEmpty } from '../../core/validate.js';
import type { Backend, BackendChoice, KnnIndex, KnnMetric } from '../../backend/backend.js';
import { resolveBackend } from '../../backend/select.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { hint, int, num, oneOf, optional, type ParamSpecs } from '../../core/params.js';
import { kernelMetric, type NeighborsMetric } from './metric.js';

export interface NeighborsParams {
  /** Neighbours per query, an integer >= 1. Default: 5. */
  nNeighbors: number;
  /**
   * The distance: 'minkowski' (with p), 'euclidean' (or 'l2'), 'sqeuclidean', 'manhattan' (or
   * 'l1', 'cityblock'), 'cosine', or 'inner_product' (a similarity: larger is nearer). Default: 'minkowski'.
   */
  metric: NeighborsMetric;
  /** Minkowski power, a number > 0: 2 (euclidean) or 1 (manhattan) are the ones supported with metric 'minkowski'. Default: 2. */
  p: number;
  /** Backend for fit and queries; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
  /** Bytes the native engine may use for the packed base (at least 1 MiB); a larger base is searched in chunks. Default: 64 MiB (67108864). */
  memoryBudget: number;
}

export const NEIGHBORS_DEFAULTS: NeighborsParams = {
  nNeighbors: 5,
  metric: 'minkowski',
  p: 2,
  backend: undefined,
  memoryBudget: 64 * 1024 * 1024,
};

export const NEIGHBORS_SPECS: ParamSpecs<NeighborsParams> = {
  nNeighbors: int({ min: 1 }),
  metric: oneOf('minkowski', 'euclidean', 'l2', 'sqeuclidean', 'manhattan', 'l1', 'cityblock', 'cosine', 'inner_product'),
  p: num({ min: 0, minExclusive: true }),
  backend: optional(BACKEND_CHOICE),
  memoryBudget: hint(num({ min: 2 ** 20, finite: true }), '1 MiB, in bytes'),
};

/** nq × k neighbours, row-major: distances ascending (inner products descending), indices into the fitted data. */
export interface KNeighborsResult {
  distances: Matrix<Float64Array>;
  indices: Int32Array;
  k: number;
}

interface Fitted {
  X: Matrix;
  backend: Backend;
  index: KnnIndex;
  metric: KnnMetric;
}

export abstract class NeighborsBase<P extends NeighborsParams> extends Estimator<P> {
  private state: Fitted | undefined;

  /** metric 'minkowski' runs for p = 1 and p = 2 only. */
  protected override checkTogether(p: P): void {
    kernelMetric(p.metric, p.p, this.constructor.name);
  }

  /** Builds the index over X (kept by reference, like scikit-learn: do not modify X afterwards). */
  protected async fitIndex(Xin: MatrixOrSparse): Promise<Matrix> {
    const name = this.constructor.name;
    const X = readMatrix(Xin, `${name}.fit: X`, { sparse: 'densify' });
    const metric = kernelMetric(this.params.metric, this.params.p, name);
    const backend = await resolveBackend(this.params.backend, X.rows * X.cols * 64);
    this.state?.index.dispose();
    this.state = undefined;
    const index = await backend.knn.index(X.data, X.rows, X.cols, metric, this.params.memoryBudget);
    this.state = { X, backend, index, metric };
    return X;
  }

  protected get fittedState(): Fitted {
    return this.fitted(this.state);
  }

  /** Training points seen at fit. */
  get nSamplesFit(): number {
    return this.fittedState.X.rows;
  }

  get nFeaturesIn(): number {
    return this.fittedState.X.cols;
  }

  /**
   * The nNeighbors (or opts.nNeighbors) nearest fitted points of each row of X, exactly;
   * ties go to the smaller index. Without X, the neighbours of each fitted point,
   * never counting the point itself (scikit-learn's convention).
   */
  async kneighbors(X?: MatrixOrSparse, opts: { nNeighbors?: number } = {}): Promise<KNeighborsResult> {
    const name = `${this.constructor.name}.kneighbors`;
    checkOptions(opts, ['nNeighbors'], name);
    const st = this.fittedState;
    const k = opts.nNeighbors ?? this.params.nNeighbors;
    const excludeSelf = X === undefined;
    const Q = excludeSelf ? st.X : this.queries(X, name);
    const available = excludeSelf ? st.X.rows - 1 : st.X.rows;
    if (!Number.isInteger(k) || k < 1) throw new ParamError(`${name}: nNeighbors must be a positive integer, got ${k}`);
    if (k > available) {
      throw new ParamError(
        `${name}: nNeighbors = ${k} but only ${available} fitted point(s) can be neighbours` +
          (excludeSelf ? ' (each point is excluded from its own neighbours)' : '') +
          '; lower nNeighbors or fit more data',
      );
    }
    const r = await st.backend.knn.search(st.index, Q.data, Q.rows, k, excludeSelf);
    return { distances: new Matrix(r.distances, Q.rows, k), indices: r.indices, k };
  }

  /** Validates query rows against the fitted data. */
  protected queries(X: MatrixOrSparse, name: string): Matrix {
    const Q = toDenseMatrix(X, `${name}: X`);
    requireNonEmpty(Q, `${name}: X`);
    if (Q.cols !== this.fittedState.X.cols) {
      throw new ShapeError(`${name}: X has ${Q.cols} features but the estimator was fitted with ${this.fittedState.X.cols}`);
    }
    requireFinite(Q, `${name}: X`);
    return Q;
  }

  /** Frees what the backend holds for the index (GPU buffers); the estimator must be fitted again. */
  dispose(): void {
    this.state?.index.dispose();
    this.state = undefined;
  }
}
