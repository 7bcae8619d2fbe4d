/** VarianceThreshold (scikit-learn's): drops columns whose variance is at most a threshold (NaN ignored). */
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { num, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { Selector } from './selector.js';

export interface VarianceThresholdParams {
  /** Columns with a (population, ddof 0) variance above this are kept; 0 drops constant columns only. Default: 0. */
  threshold: number;
}

const SPECS: ParamSpecs<VarianceThresholdParams> = { threshold: num({ min: 0, finite: true }) };

export class VarianceThreshold extends Selector<VarianceThresholdParams> {
  private variancesFit: Float64Array | undefined;

  constructor(params: Partial<VarianceThresholdParams> = {}) {
    super({ threshold: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<VarianceThresholdParams> {
    return SPECS;
  }

  /** Each column's variance over its non-missing values (with threshold 0: the smaller of variance and range, as scikit-learn). */
  get variances(): Float64Array {
    return Float64Array.from(this.fitted(this.variancesFit));
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'VarianceThreshold.fit: X', { nonFinite: 'missing' });
      const { threshold } = this.params;
      const v = new Float64Array(m.cols);
      for (let j = 0; j < m.cols; j++) {
        let n = 0,
          mean = 0,
          lo = Infinity,
          hi = -Infinity;
        for (let i = 0; i < m.rows; i++) {
          const x = m.data[i * m.cols + j];
          if (Number.isNaN(x)) continue;
          n++;
          mean += x;
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        mean /= n;
        let s = 0;
        for (let i = 0; i < m.rows; i++) {
          const x = m.data[i * m.cols + j];
          if (!Number.isNaN(x)) s += (x - mean) ** 2;
        }
        v[j] = n === 0 ? NaN : s / n;
        if (threshold === 0 && n > 0) v[j] = Math.min(v[j], hi - lo); // a constant column's rounding leaves a variance of 1e-33, its range is 0
      }
      if (!v.some((x) => x > threshold)) {
        throw new ParamError(`VarianceThreshold.fit: no feature in X has a variance above the threshold ${threshold}; lower the threshold`);
      }
      this.variancesFit = v;
      this.setSupport(
        Array.from(v, (x) => x > threshold),
        'no variance above the threshold',
      );
    });
  }
}
