/**
 * Fills missing values (NaN) from the k nearest training rows that have the value
 * (scikit-learn's KNNImputer): nan-euclidean distance, uniform or distance weights,
 * the training column mean when no donor shares a coordinate with the row.
 * Distances run as an exact f64 scan in TypeScript (not yet on the native kernels).
 */
import { readMatrix } from '../../core/read-matrix.js';
import { ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { TopList } from '../../backend/knn/exact-order.js';
import { bool, int, type ParamSpecs } from '../../core/params.js';
import { neighborWeights, WEIGHTS, type NeighborWeights } from './weights.js';

export interface KNNImputerParams {
  /** Donors per missing value: the nearest training rows (nan-euclidean) that have the value, an integer >= 1. Default: 5. */
  nNeighbors: number;
  /** How the donors' values are averaged: 'uniform', or 'distance' (weighted by 1/distance). Default: 'uniform'. */
  weights: NeighborWeights;
  /** Keep columns with no observed value at fit (filled with 0) instead of dropping them. Default: false. */
  keepEmptyFeatures: boolean;
}

const KNN_IMPUTER_SPECS: ParamSpecs<KNNImputerParams> = { nNeighbors: int({ min: 1 }), weights: WEIGHTS, keepEmptyFeatures: bool() };

interface Fitted {
  X: Float64Array;
  rows: number;
  cols: number;
  means: Float64Array; // NaN for an empty column
  kept: number[]; // columns in the output
}

export class KNNImputer extends Estimator<KNNImputerParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<KNNImputerParams> = {}) {
    super({ nNeighbors: 5, weights: 'uniform', keepEmptyFeatures: false }, params);
  }

  protected get paramSpecs(): ParamSpecs<KNNImputerParams> {
    return KNN_IMPUTER_SPECS;
  }

  async fit(Xin: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const X = readMatrix(Xin, 'KNNImputer.fit: X', { nonFinite: 'missing' });
      const means = new Float64Array(X.cols);
      const kept: number[] = [];
      for (let c = 0; c < X.cols; c++) {
        let s = 0,
          n = 0;
        for (let r = 0; r < X.rows; r++) {
          const v = X.data[r * X.cols + c];
          if (!Number.isNaN(v)) {
            s += v;
            n++;
          }
        }
        means[c] = n > 0 ? s / n : NaN;
        if (n > 0 || this.params.keepEmptyFeatures) kept.push(c);
      }
      this.state = { X: Float64Array.from(X.data), rows: X.rows, cols: X.cols, means, kept };
      return this;
    });
  }

  async transform(Xin: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const st = this.fitted(this.state);
      const X = readMatrix(Xin, 'KNNImputer.transform: X', { nonFinite: 'missing' });
      if (X.cols !== st.cols) throw new ShapeError(`KNNImputer.transform: X has ${X.cols} features but the imputer was fitted with ${st.cols}`);
      const { rows, cols } = X;
      const k = this.params.nNeighbors;
      const filled = Float64Array.from(X.data);
      const dist = new Float64Array(st.rows);
      const w = new Float64Array(k);
      const donors = new TopList(k);
      for (let i = 0; i < rows; i++) {
        let missing = false;
        for (let c = 0; c < cols; c++) if (Number.isNaN(X.data[i * cols + c])) missing = true;
        if (!missing) continue;
        for (let r = 0; r < st.rows; r++) dist[r] = nanEuclidean(X.data, i, st.X, r, cols);
        for (let c = 0; c < cols; c++) {
          if (!Number.isNaN(X.data[i * cols + c])) continue;
          if (Number.isNaN(st.means[c])) {
            filled[i * cols + c] = 0; // an empty training column (kept only with keepEmptyFeatures)
            continue;
          }
          donors.size = 0;
          for (let r = 0; r < st.rows; r++) {
            if (!Number.isNaN(st.X[r * cols + c]) && !Number.isNaN(dist[r])) donors.offer(dist[r], r);
          }
          if (donors.size === 0) {
            filled[i * cols + c] = st.means[c];
            continue;
          }
          neighborWeights(this.params.weights, donors.keys, 0, donors.size, w);
          let s = 0,
            total = 0;
          for (let t = 0; t < donors.size; t++) {
            s += w[t] * st.X[donors.idx[t] * cols + c];
            total += w[t];
          }
          filled[i * cols + c] = s / total;
        }
      }
      if (st.kept.length === cols) return new Matrix(filled, rows, cols);
      const out = new Float64Array(rows * st.kept.length);
      for (let r = 0; r < rows; r++) st.kept.forEach((c, j) => (out[r * st.kept.length + j] = filled[r * cols + c]));
      return new Matrix(out, rows, st.kept.length);
    });
  }

  async fitTransform(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }
}

/**
 * scikit-learn's nan_euclidean distance: sqrt(cols / present · Σ over coordinates
 * present in both rows of the squared differences); NaN when none is shared.
 */
function nanEuclidean(a: ArrayLike<number>, i: number, b: ArrayLike<number>, r: number, cols: number): number {
  let s = 0,
    present = 0;
  for (let c = 0; c < cols; c++) {
    const x = a[i * cols + c],
      y = b[r * cols + c];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    s += (x - y) ** 2;
    present++;
  }
  return present === 0 ? NaN : Math.sqrt((cols / present) * s);
}
