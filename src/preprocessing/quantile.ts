/** QuantileTransformer (scikit-learn's): maps each column through its empirical CDF to uniform or normal. */
import { readMatrix } from '../core/read-matrix.js';
import { int, oneOf, type ParamSpecs } from '../core/params.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { requireCols, Transformer } from './base.js';
import { linspace, percentile, sortedColumn } from '../core/numeric.js';
import { normalCdf, normalQuantile } from './normal-quantile.js';

export interface QuantileTransformerParams {
  /** Quantiles computed per column (at most the number of training rows are used), an integer >= 2. Default: 1000. */
  nQuantiles: number;
  /** The distribution of the transformed data: 'uniform' on [0, 1] or 'normal' (standard). Default: 'uniform'. */
  outputDistribution: 'uniform' | 'normal';
}

const QUANTILE_SPECS: ParamSpecs<QuantileTransformerParams> = { nQuantiles: int({ min: 2 }), outputDistribution: oneOf('uniform', 'normal') };

/** scikit-learn's margin for "at the edge of the training range", and the normal output's clip. */
const BOUNDS_THRESHOLD = 1e-7;
const CLIP = normalQuantile(1 - (BOUNDS_THRESHOLD - 2 ** -52));

export class QuantileTransformer extends Transformer<QuantileTransformerParams> {
  private state: { quantiles: Float64Array[]; references: Float64Array } | undefined;

  constructor(params: Partial<QuantileTransformerParams> = {}) {
    super({ nQuantiles: 1000, outputDistribution: 'uniform' }, params);
  }

  protected get paramSpecs(): ParamSpecs<QuantileTransformerParams> {
    return QUANTILE_SPECS;
  }

  get nQuantilesFitted(): number {
    return this.fitted(this.state).references.length;
  }
  /** Quantile values of each column (rows = quantiles, as scikit-learn's quantiles_). */
  get quantiles(): number[][] {
    const { quantiles, references } = this.fitted(this.state);
    return Array.from(references, (_, i) => quantiles.map((q) => q[i]));
  }
  get references(): Float64Array {
    return Float64Array.from(this.fitted(this.state).references);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'QuantileTransformer.fit: X', { nonFinite: 'missing' });
      const references = linspace(0, 1, Math.min(this.params.nQuantiles, m.rows));
      const quantiles: Float64Array[] = [];
      for (let c = 0; c < m.cols; c++) {
        const s = sortedColumn(m, c);
        const q = references.map((r) => percentile(s, r * 100));
        for (let i = 1; i < q.length; i++) q[i] = Math.max(q[i], q[i - 1]); // monotone, as scikit-learn enforces
        quantiles.push(q);
      }
      this.state = { quantiles, references };
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { quantiles, references } = this.fitted(this.state);
      const m = readMatrix(X, 'QuantileTransformer.transform: X', { nonFinite: 'missing' });
      requireCols(m, quantiles.length, 'QuantileTransformer.transform: X');
      const normal = this.params.outputDistribution === 'normal';
      const negQ = quantiles.map((q) => q.map((v) => -v).reverse()),
        negRef = references.map((v) => -v).reverse();
      const out = new Float64Array(m.data.length);
      for (let c = 0; c < m.cols; c++) {
        const q = quantiles[c],
          lo = q[0],
          hi = q[q.length - 1];
        for (let r = 0; r < m.rows; r++) {
          const x = m.data[r * m.cols + c];
          let u: number;
          if (Number.isNaN(x)) u = NaN;
          else if (normal ? x - BOUNDS_THRESHOLD < lo : x === lo) u = 0;
          else if (normal ? x + BOUNDS_THRESHOLD > hi : x === hi) u = 1;
          // forward and backward interpolation averaged: repeated quantiles map to their middle
          else u = 0.5 * (interp(x, q, references) - interp(-x, negQ[c], negRef));
          out[r * m.cols + c] = normal ? Math.min(CLIP, Math.max(-CLIP, normalQuantile(u))) : u;
        }
      }
      return new Matrix(out, m.rows, m.cols);
    });
  }

  /** Back to the original scale: through the output CDF, then the fitted quantiles (as scikit-learn). */
  async inverseTransform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const { quantiles, references } = this.fitted(this.state);
    const m = readMatrix(X, 'QuantileTransformer.inverseTransform: X', { nonFinite: 'missing' });
    requireCols(m, quantiles.length, 'QuantileTransformer.inverseTransform: X');
    const normal = this.params.outputDistribution === 'normal';
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < out.length; i++) {
      const q = quantiles[i % m.cols],
        x = m.data[i];
      const u = normal ? normalCdf(x) : x;
      out[i] = Number.isNaN(u)
        ? NaN
        : (normal ? u - BOUNDS_THRESHOLD < 0 : u === 0)
          ? q[0]
          : (normal ? u + BOUNDS_THRESHOLD > 1 : u === 1)
            ? q[q.length - 1]
            : interp(u, references, q);
    }
    return new Matrix(out, m.rows, m.cols);
  }
}

/** numpy's interp: piecewise linear through (xp, fp), constant beyond the ends. */
function interp(x: number, xp: Float64Array, fp: Float64Array): number {
  const n = xp.length;
  if (x < xp[0]) return fp[0];
  if (x >= xp[n - 1]) return fp[n - 1];
  let lo = 0,
    hi = n - 1; // largest j with xp[j] <= x
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
  return slope * (x - xp[lo]) + fp[lo];
}
