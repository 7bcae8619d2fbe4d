/**
 * Outliers: detection by the interquartile rule or by z-score (per column, NaN ignored), and
 * Winsorizer, which clips each column at quantiles learned from the training data.
 */
import { readMatrix } from '../core/read-matrix.js';
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { num, pair, type ParamSpecs } from '../core/params.js';
import { checkOptions } from '../core/validate.js';
import { columnStats } from '../ops/column-stats.js';
import { requireCols, Transformer } from './base.js';
import { percentile, sortedColumn } from '../core/numeric.js';

export interface OutlierOptions {
  /** 'iqr': outside [Q1 − factor·IQR, Q3 + factor·IQR] (factor 1.5); 'zscore': |x − mean| > threshold·std (3). */
  method?: 'iqr' | 'zscore';
  factor?: number;
  threshold?: number;
}

export interface OutlierReport {
  /** rows × cols, row-major: 1 where the value is an outlier in its column (NaN never is). */
  cells: Uint8Array;
  /** 1 for each row with at least one outlier (to filter rows). */
  rows: Uint8Array;
  /** Outliers per column. */
  perColumn: Int32Array;
  /** The bounds used per column: values outside [lower, upper] are outliers. */
  lower: Float64Array;
  upper: Float64Array;
}

export async function detectOutliers(X: MatrixLike, opts: OutlierOptions = {}): Promise<OutlierReport> {
  checkOptions(opts, ['method', 'factor', 'threshold'], 'detectOutliers');
  const method = opts.method ?? 'iqr',
    factor = opts.factor ?? 1.5,
    threshold = opts.threshold ?? 3;
  if (method !== 'iqr' && method !== 'zscore') throw new ParamError("detectOutliers: method must be 'iqr' or 'zscore'");
  if (!(factor >= 0) || !(threshold > 0)) throw new ParamError('detectOutliers: factor must be >= 0 and threshold > 0');
  const m = readMatrix(X, 'detectOutliers: X', { nonFinite: 'missing' });
  const out = new Uint8Array(m.data.length),
    rowFlags = new Uint8Array(m.rows),
    perColumn = new Int32Array(m.cols);
  const lower = new Float64Array(m.cols),
    upper = new Float64Array(m.cols);
  // z-scores: mean and population std from the column-statistics kernel (NaN ignored)
  const stats = method === 'zscore' ? await columnStats(m, { nonFinite: 'ignore' }) : undefined;
  for (let c = 0; c < m.cols; c++) {
    let lo: number, hi: number;
    if (method === 'iqr') {
      const s = sortedColumn(m, c),
        q1 = percentile(s, 25),
        q3 = percentile(s, 75);
      [lo, hi] = [q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)];
    } else {
      const std = Math.sqrt(stats!.variance[c]);
      [lo, hi] = [stats!.mean[c] - threshold * std, stats!.mean[c] + threshold * std];
    }
    lower[c] = lo;
    upper[c] = hi;
    for (let r = 0; r < m.rows; r++) {
      const v = m.data[r * m.cols + c];
      if (v < lo || v > hi) {
        out[r * m.cols + c] = 1;
        rowFlags[r] = 1;
        perColumn[c]++;
      }
    }
  }
  return { cells: out, rows: rowFlags, perColumn, lower, upper };
}

export interface WinsorizerParams {
  /** Percentiles [low, high] of the training data each column is clipped to, 0 <= low <= high <= 100. Default: [5, 95]. */
  quantiles: [number, number];
}

const WINSORIZER_SPECS: ParamSpecs<WinsorizerParams> = { quantiles: pair(num({ min: 0, max: 100 }), '<=') };

export class Winsorizer extends Transformer<WinsorizerParams> {
  private bounds: { lo: Float64Array; hi: Float64Array } | undefined;

  constructor(params: Partial<WinsorizerParams> = {}) {
    super({ quantiles: [5, 95] }, params);
  }

  protected get paramSpecs(): ParamSpecs<WinsorizerParams> {
    return WINSORIZER_SPECS;
  }

  get lower(): Float64Array {
    return Float64Array.from(this.fitted(this.bounds).lo);
  }
  get upper(): Float64Array {
    return Float64Array.from(this.fitted(this.bounds).hi);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'Winsorizer.fit: X', { nonFinite: 'missing' });
      const lo = new Float64Array(m.cols),
        hi = new Float64Array(m.cols);
      for (let c = 0; c < m.cols; c++) {
        const s = sortedColumn(m, c);
        lo[c] = percentile(s, this.params.quantiles[0]);
        hi[c] = percentile(s, this.params.quantiles[1]);
      }
      this.bounds = { lo, hi };
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { lo, hi } = this.fitted(this.bounds);
      const m = readMatrix(X, 'Winsorizer.transform: X', { nonFinite: 'missing' });
      requireCols(m, lo.length, 'Winsorizer.transform: X');
      const out = new Float64Array(m.data.length);
      for (let i = 0; i < out.length; i++) {
        const c = i % m.cols,
          v = m.data[i];
        out[i] = Number.isNaN(v) ? v : Math.min(hi[c], Math.max(lo[c], v));
      }
      return new Matrix(out, m.rows, m.cols);
    });
  }
}
