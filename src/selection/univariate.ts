/**
 * scikit-learn's univariate score functions: fClassif (one-way ANOVA F per feature), fRegression
 * (F of each feature's univariate linear regression on y) and chi2 (class-wise sums of
 * non-negative features against their expected shares). Each returns one score and one p-value
 * per feature. A constant feature gives NaN in fClassif and chi2 (as scikit-learn and scipy);
 * fRegression follows scikit-learn's forceFinite (0 and p = 1, or the largest float and p = 0).
 */
import { DTypeError, ParamError } from '../core/errors.js';
import { encodeLabels, type Label } from '../core/labels.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';
import { checkOptions } from '../core/validate.js';
import { chi2Sf, fSf } from '../stats/dist.js';

export interface UnivariateScores {
  /** The statistic per feature. */
  scores: Float64Array;
  /** Its p-value per feature. */
  pvalues: Float64Array;
}

/** A score function: X and y to one score (and optionally a p-value) per feature. */
export type ScoreFunc = (X: MatrixLike, y: ArrayLike<any>) => UnivariateScores | Float64Array | Promise<UnivariateScores | Float64Array>;

function readXy(X: MatrixLike, y: ArrayLike<unknown>, fn: string): Matrix {
  const m = readMatrix(X, `${fn}: X`);
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number')
    throw new DTypeError(`${fn}: y must be an array, one value per row`);
  if (y.length !== m.rows) throw new ParamError(`${fn}: y has ${y.length} values but X has ${m.rows} rows; pass one per row`);
  return m;
}

function classesOf(y: ArrayLike<Label>, n: number, fn: string): { codes: Int32Array; K: number; counts: Float64Array } {
  const { classes, codes } = encodeLabels(y, `${fn}: y`);
  const counts = new Float64Array(classes.length);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  return { codes, K: classes.length, counts };
}

/** One-way ANOVA F-value of each feature across the classes of y (scikit-learn's f_classif). */
export function fClassif(X: MatrixLike, y: ArrayLike<Label>): UnivariateScores {
  const fn = 'fClassif';
  const m = readXy(X, y, fn);
  const { codes, K, counts } = classesOf(y, m.rows, fn);
  if (K < 2) throw new ParamError(`${fn}: y has a single class; the F-test compares at least 2`);
  const n = m.rows,
    p = m.cols;
  const scores = new Float64Array(p),
    pvalues = new Float64Array(p);
  const dfb = K - 1,
    dfw = n - K;
  const sums = new Float64Array(K);
  for (let j = 0; j < p; j++) {
    sums.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = m.data[i * p + j];
      sums[codes[i]] += v;
      total += v;
    }
    const mean = total / n;
    let sst = 0;
    for (let i = 0; i < n; i++) sst += (m.data[i * p + j] - mean) ** 2;
    let ssb = 0;
    for (let k = 0; k < K; k++) ssb += counts[k] * (sums[k] / counts[k] - mean) ** 2;
    const ssw = sst - ssb;
    const f = ssb / dfb / (ssw / dfw);
    scores[j] = f; // 0/0 (a constant feature) is NaN, as scikit-learn
    pvalues[j] = fSf(f, dfb, dfw);
  }
  return { scores, pvalues };
}

export interface FRegressionOptions {
  /** Centre X and y (the regression has an intercept): n − 2 degrees of freedom, else n − 1. Default: true. */
  center?: boolean;
  /** A constant feature scores 0 (p = 1) and a perfect fit the largest float (p = 0) instead of NaN / Infinity. Default: true. */
  forceFinite?: boolean;
}

/** F-statistic of each feature's univariate linear regression on y (scikit-learn's f_regression). */
export function fRegression(X: MatrixLike, y: ArrayLike<number>, opts: FRegressionOptions = {}): UnivariateScores {
  const fn = 'fRegression';
  checkOptions(opts, ['center', 'forceFinite'], fn);
  const m = readXy(X, y, fn);
  const n = m.rows,
    p = m.cols;
  const center = opts.center ?? true,
    forceFinite = opts.forceFinite ?? true;
  const yv = Float64Array.from(y as ArrayLike<number>, (v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DTypeError(`${fn}: y[${i}] is ${String(v)}; y must hold finite numbers`);
    return v;
  });
  const dof = n - (center ? 2 : 1);
  if (dof < 1) throw new ParamError(`${fn}: needs at least ${center ? 3 : 2} rows, got ${n}`);
  const ym = center ? yv.reduce((a, b) => a + b, 0) / n : 0;
  let yy = 0;
  for (let i = 0; i < n; i++) yy += (yv[i] - ym) ** 2;
  const scores = new Float64Array(p),
    pvalues = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let xm = 0;
    if (center) {
      for (let i = 0; i < n; i++) xm += m.data[i * p + j];
      xm /= n;
    }
    let xy = 0,
      xx = 0;
    for (let i = 0; i < n; i++) {
      const d = m.data[i * p + j] - xm;
      xy += d * (yv[i] - ym);
      xx += d * d;
    }
    const r2 = (xy * xy) / (xx * yy);
    let f = (r2 / (1 - r2)) * dof;
    let pv = fSf(f, 1, dof);
    if (forceFinite) {
      if (Number.isNaN(r2)) {
        f = 0;
        pv = 1;
      } else if (Math.abs(r2 - 1) <= 1e-8 + 1e-5) {
        f = Number.MAX_VALUE; // numpy.isclose(r², 1)
        pv = 0;
      }
    }
    scores[j] = f;
    pvalues[j] = pv;
  }
  return { scores, pvalues };
}

/** Chi-squared statistic of each non-negative feature against the classes (scikit-learn's chi2). */
export function chi2(X: MatrixLike, y: ArrayLike<Label>): UnivariateScores {
  const fn = 'chi2';
  const m = readXy(X, y, fn);
  const n = m.rows,
    p = m.cols;
  for (let i = 0; i < m.data.length; i++) {
    if (m.data[i] < 0)
      throw new ParamError(
        `${fn}: X has a negative value (${m.data[i]}) at row ${Math.floor(i / p)}, column ${i % p}; chi2 needs counts or frequencies (>= 0)`,
      );
  }
  const { codes, K, counts } = classesOf(y, n, fn);
  const observed = new Float64Array(K * p),
    featureSum = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const v = m.data[i * p + j];
      observed[codes[i] * p + j] += v;
      featureSum[j] += v;
    }
  }
  const scores = new Float64Array(p),
    pvalues = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const expected = (counts[k] / n) * featureSum[j];
      s += (observed[k * p + j] - expected) ** 2 / expected; // an all-zero feature: 0/0 = NaN, as scikit-learn
    }
    scores[j] = s;
    pvalues[j] = chi2Sf(s, K - 1);
  }
  return { scores, pvalues };
}
