/**
 * IsotonicRegression (scikit-learn's): the monotone step function closest to y in weighted least
 * squares, by pool-adjacent-violators over the distinct x values (ties merged by their weighted
 * mean), predicted by linear interpolation between the kept thresholds. `increasing: 'auto'`
 * takes the sign of Spearman's rho, as scikit-learn's check_increasing. It is also the
 * calibrator of CalibratedClassifierCV's 'isotonic' method.
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import type { MatrixLike } from '../../core/matrix.js';
import { bool, nullable, num, oneOf, union, type ParamSpecs } from '../../core/params.js';
import { readMatrix } from '../../core/read-matrix.js';
import { spearmanr } from '../../stats/correlation.js';
import { readSampleWeight } from '../common/targets.js';

export interface IsotonicRegressionParams {
  /** Lower bound of the fitted values; null for none. Default: null. */
  yMin: number | null;
  /** Upper bound of the fitted values; null for none. Default: null. */
  yMax: number | null;
  /** true (non-decreasing), false (non-increasing) or 'auto' (the sign of Spearman's rho). Default: true. */
  increasing: boolean | 'auto';
  /** x outside the training range: 'nan', 'clip' (to the nearest end) or 'raise'. Default: 'nan'. */
  outOfBounds: 'nan' | 'clip' | 'raise';
}

const SPECS: ParamSpecs<IsotonicRegressionParams> = {
  yMin: nullable(num({ finite: true })),
  yMax: nullable(num({ finite: true })),
  increasing: union(bool(), oneOf('auto')),
  outOfBounds: oneOf('nan', 'clip', 'raise'),
};

/** x as one feature: a 1-D array or an n × 1 matrix. */
function readX(X: MatrixLike | ArrayLike<number>, name: string): Float64Array {
  const flat = Array.isArray(X) ? X.every((v) => typeof v === 'number' || v === null) : ArrayBuffer.isView(X);
  if (flat) return Float64Array.from(X as ArrayLike<number>, (v) => (v === null ? NaN : v));
  const m = readMatrix(X as MatrixLike, name);
  if (m.cols !== 1) throw new ShapeError(`${name} has ${m.cols} columns; isotonic regression takes one feature (a 1-D array or an n × 1 matrix)`);
  return Float64Array.from(m.data);
}

/** Weighted pool-adjacent-violators, non-decreasing, in place. */
export function poolAdjacentViolators(y: Float64Array, w: Float64Array): Float64Array {
  const n = y.length;
  const value = new Float64Array(n),
    weight = new Float64Array(n),
    end = new Int32Array(n); // block k covers [start_k, end_k)
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    value[blocks] = y[i];
    weight[blocks] = w[i];
    end[blocks] = i + 1;
    blocks++;
    while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
      const a = blocks - 2,
        b = blocks - 1;
      const ww = weight[a] + weight[b];
      value[a] = (value[a] * weight[a] + value[b] * weight[b]) / ww;
      weight[a] = ww;
      end[a] = end[b];
      blocks--;
    }
  }
  const out = new Float64Array(n);
  for (let k = 0, i = 0; k < blocks; k++) for (; i < end[k]; i++) out[i] = value[k];
  return out;
}

export class IsotonicRegression extends Estimator<IsotonicRegressionParams> {
  private state: { x: Float64Array; y: Float64Array; xMin: number; xMax: number; increasing: boolean } | undefined;

  constructor(params: Partial<IsotonicRegressionParams> = {}) {
    super({ yMin: null, yMax: null, increasing: true, outOfBounds: 'nan' }, params);
  }

  protected get paramSpecs(): ParamSpecs<IsotonicRegressionParams> {
    return SPECS;
  }

  protected override checkTogether(p: IsotonicRegressionParams): void {
    if (p.yMin !== null && p.yMax !== null && p.yMin > p.yMax) throw new ParamError(`IsotonicRegression: yMin (${p.yMin}) must not exceed yMax (${p.yMax})`);
  }

  /** The kept x thresholds (ascending) and the fitted values there. */
  get xThresholds(): Float64Array {
    return Float64Array.from(this.fitted(this.state).x);
  }
  get yThresholds(): Float64Array {
    return Float64Array.from(this.fitted(this.state).y);
  }
  get xMin(): number {
    return this.fitted(this.state).xMin;
  }
  get xMax(): number {
    return this.fitted(this.state).xMax;
  }
  /** The direction fitted (what 'auto' chose). */
  get increasingFit(): boolean {
    return this.fitted(this.state).increasing;
  }

  async fit(X: MatrixLike | ArrayLike<number>, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const fn = 'IsotonicRegression.fit';
      const x = readX(X, `${fn}: X`);
      if (y === null || typeof (y as ArrayLike<number>)?.length !== 'number') throw new ParamError(`${fn}: y must be an array of numbers`);
      if (y.length !== x.length) throw new ShapeError(`${fn}: X has ${x.length} values but y has ${y.length}; pass one target per value`);
      if (x.length === 0) throw new ShapeError(`${fn}: X is empty`);
      const yy = Float64Array.from(y);
      for (const [v, name] of [
        [x, 'X'],
        [yy, 'y'],
      ] as const) {
        const bad = v.findIndex((e) => !Number.isFinite(e));
        if (bad >= 0) throw new ParamError(`${fn}: ${name}[${bad}] is ${v[bad]}; isotonic regression takes finite values`);
      }
      const w = readSampleWeight(opts.sampleWeight, x.length, `${fn}: sampleWeight`) ?? new Float64Array(x.length).fill(1);
      const p = this.params;
      const increasing = p.increasing === 'auto' ? !(spearmanr(x, yy).statistic < 0) : p.increasing;
      // drop zero weights, sort by (x, y), merge equal x into their weighted mean
      const idx = Array.from(x.keys())
        .filter((i) => w[i] > 0)
        .sort((a, b) => x[a] - x[b] || yy[a] - yy[b]);
      if (idx.length === 0) throw new ParamError(`${fn}: every sampleWeight is 0; nothing to fit`);
      const ux: number[] = [],
        uy: number[] = [],
        uw: number[] = [];
      for (let k = 0; k < idx.length; ) {
        const xv = x[idx[k]];
        let sw = 0,
          sy = 0;
        for (; k < idx.length && x[idx[k]] === xv; k++) {
          sw += w[idx[k]];
          sy += w[idx[k]] * yy[idx[k]];
        }
        ux.push(xv);
        uy.push(sy / sw);
        uw.push(sw);
      }
      let target: Float64Array = Float64Array.from(uy);
      const weights = Float64Array.from(uw);
      if (!increasing) target.reverse(), weights.reverse();
      target = poolAdjacentViolators(target, weights);
      if (!increasing) target.reverse();
      const lo = p.yMin ?? -Infinity,
        hi = p.yMax ?? Infinity;
      for (let i = 0; i < target.length; i++) target[i] = Math.min(hi, Math.max(lo, target[i]));
      // keep the ends and every point whose value differs from a neighbour's (scikit-learn's trim)
      const keptX: number[] = [],
        keptY: number[] = [];
      for (let i = 0; i < target.length; i++) {
        if (i === 0 || i === target.length - 1 || target[i] !== target[i - 1] || target[i] !== target[i + 1]) {
          keptX.push(ux[i]);
          keptY.push(target[i]);
        }
      }
      this.state = { x: Float64Array.from(keptX), y: Float64Array.from(keptY), xMin: ux[0], xMax: ux[ux.length - 1], increasing };
      return this;
    });
  }

  /** The fitted function at each x. */
  async predict(X: MatrixLike | ArrayLike<number>, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.predictSync(X));
  }

  /** The same as predict (scikit-learn's transform). */
  async transform(X: MatrixLike | ArrayLike<number>, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.predictSync(X));
  }

  predictSync(X: MatrixLike | ArrayLike<number>): Float64Array {
    const { x, y, xMin, xMax } = this.fitted(this.state);
    const t = readX(X, 'IsotonicRegression.predict: X');
    const mode = this.params.outOfBounds;
    const out = new Float64Array(t.length);
    for (let i = 0; i < t.length; i++) {
      let v = t[i];
      if (Number.isNaN(v)) {
        out[i] = NaN;
        continue;
      }
      if (v < xMin || v > xMax) {
        if (mode === 'raise')
          throw new ParamError(`IsotonicRegression.predict: X[${i}] = ${v} is outside the training range [${xMin}, ${xMax}] (outOfBounds: 'raise')`);
        if (mode === 'nan') {
          out[i] = NaN;
          continue;
        }
        v = Math.min(xMax, Math.max(xMin, v));
      }
      if (x.length === 1) {
        out[i] = y[0];
        continue;
      }
      // the segment [x[j], x[j + 1]] holding v
      let lo = 0,
        hi = x.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= v) lo = mid;
        else hi = mid;
      }
      out[i] = x[hi] === x[lo] ? y[lo] : y[lo] + ((y[hi] - y[lo]) * (v - x[lo])) / (x[hi] - x[lo]);
    }
    return out;
  }
}
