/**
 * Local outlier factor (scikit-learn 1.2's LocalOutlierFactor, Euclidean): a row's local
 * reachability density (1 / mean reachability distance to its k nearest neighbours) compared with
 * its neighbours'. novelty false: the training rows' factors (negativeOutlierFactor, fitPredict);
 * novelty true: scoreSamples / decisionFunction / predict on new rows. Neighbours come from the
 * exact k-NN engine (NearestNeighbors).
 */
import { ParamError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { Matrix } from '../core/matrix.js';
import { bool, int, num, oneOf, optional, type ParamSpecs, union } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';
import { NearestNeighbors } from '../models/neighbors/index.js';
import { percentile } from '../core/numeric.js';
import { sortedCopy } from '../ops/sort.js';

export interface LocalOutlierFactorParams {
  /** Neighbours per row, an integer >= 1 (capped at rows − 1). Default: 20. */
  nNeighbors: number;
  /** Share of outliers, in (0, 0.5], setting offset (the factor's percentile); 'auto': offset −1.5. Default: 'auto'. */
  contamination: number | 'auto';
  /** false: score the training rows (fitPredict); true: score new rows (predict, scoreSamples, decisionFunction). Default: false. */
  novelty: boolean;
  /** Backend for the k-NN engine; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const DEFAULTS: LocalOutlierFactorParams = { nNeighbors: 20, contamination: 'auto', novelty: false, backend: undefined };
const SPECS: ParamSpecs<LocalOutlierFactorParams> = {
  nNeighbors: int({ min: 1 }),
  contamination: union(num({ min: 0, max: 0.5, minExclusive: true }), oneOf('auto')),
  novelty: bool(),
  backend: optional(BACKEND_CHOICE),
};

interface Fitted {
  X: Float64Array;
  rows: number;
  p: number;
  k: number;
  /** k-distance of each training row. */
  kDist: Float64Array;
  lrd: Float64Array;
  nof: Float64Array;
  offset: number;
}

export class LocalOutlierFactor extends Estimator<LocalOutlierFactorParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<LocalOutlierFactorParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<LocalOutlierFactorParams> {
    return SPECS;
  }

  /** Minus each training row's local outlier factor (about −1 for inliers, lower for outliers). */
  get negativeOutlierFactor(): Float64Array {
    return Float64Array.from(this.fitted(this.state).nof);
  }

  /** Threshold on the negative factor: below it is an outlier. */
  get offset(): number {
    return this.fitted(this.state).offset;
  }

  get nNeighborsFitted(): number {
    return this.fitted(this.state).k;
  }

  private async neighbours(X: Float64Array, rows: number, p: number, Q: MatrixLike | undefined, k: number) {
    const nn = await new NearestNeighbors({ nNeighbors: k, metric: 'euclidean', backend: this.params.backend }).fit(new Matrix(X, rows, p));
    try {
      return await nn.kneighbors(Q, { nNeighbors: k });
    } finally {
      nn.dispose();
    }
  }

  /** Local reachability densities of rows with these neighbours (reach-dist = max(d, k-distance of the neighbour)). */
  private static lrd(dist: ArrayLike<number>, idx: Int32Array, rows: number, k: number, kDist: Float64Array): Float64Array {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += Math.max(dist[i * k + t], kDist[idx[i * k + t]]);
      out[i] = 1 / (s / k + 1e-10);
    }
    return out;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'LocalOutlierFactor.fit: X');
      const { rows: n, cols: p } = Xm;
      if (n < 2) throw new ParamError('LocalOutlierFactor.fit: X needs at least 2 rows (each row is compared with its neighbours)');
      const k = Math.max(1, Math.min(this.params.nNeighbors, n - 1));
      const data = Float64Array.from(Xm.data);
      const r = await this.neighbours(data, n, p, undefined, k);
      const d = r.distances.data;
      const kDist = Float64Array.from({ length: n }, (_, i) => d[i * k + k - 1]);
      const lrd = LocalOutlierFactor.lrd(d, r.indices, n, k, kDist);
      const nof = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += lrd[r.indices[i * k + t]] / lrd[i];
        nof[i] = -s / k;
      }
      const c = this.params.contamination;
      const offset = c === 'auto' ? -1.5 : percentile(sortedCopy(nof), 100 * c);
      this.state = { X: data, rows: n, p, k, kDist, lrd, nof, offset };
    });
  }

  /** novelty false: fit, then +1 (inlier) or −1 (outlier) per training row. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    if (this.params.novelty) throw new ParamError('LocalOutlierFactor.fitPredict is for novelty false; with novelty true use fit, then predict on new rows');
    await this.fit(X, y, opts);
    const s = this.fitted(this.state);
    return Int32Array.from(s.nof, (v) => (v < s.offset ? -1 : 1));
  }

  private requireNovelty(method: string): Fitted {
    if (!this.params.novelty) {
      throw new ParamError(
        `LocalOutlierFactor.${method} scores new rows only with novelty true; for the training rows use fitPredict and negativeOutlierFactor`,
      );
    }
    return this.fitted(this.state);
  }

  /** novelty true: minus the local outlier factor of each new row (its neighbours among the training rows). */
  async scoreSamples(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('scoreSamples', opts, SIGNAL_ONLY);
    const s = this.requireNovelty('scoreSamples');
    return this.reading(opts.signal, async () => {
      const Q = readMatrix(X, 'LocalOutlierFactor.scoreSamples: X', { features: s.p });
      const r = await this.neighbours(s.X, s.rows, s.p, Q, s.k);
      const lrdQ = LocalOutlierFactor.lrd(r.distances.data, r.indices, Q.rows, s.k, s.kDist);
      return Float64Array.from({ length: Q.rows }, (_, i) => {
        let sum = 0;
        for (let t = 0; t < s.k; t++) sum += s.lrd[r.indices[i * s.k + t]] / lrdQ[i];
        return -sum / s.k;
      });
    });
  }

  /** novelty true: scoreSamples − offset (negative: outlier). */
  async decisionFunction(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    const sc = await this.scoreSamples(X, opts);
    const off = this.fitted(this.state).offset;
    return sc.map((v) => v - off);
  }

  /** novelty true: +1 (inlier) or −1 (outlier) per new row. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Int32Array> {
    const dfn = await this.decisionFunction(X, opts);
    return Int32Array.from(dfn, (v) => (v < 0 ? -1 : 1));
  }
}
