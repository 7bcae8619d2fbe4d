/** Regression metrics: pure functions of value arrays (scikit-learn 1.2 semantics). */
import { ParamError, ShapeError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { average as mean, floats, isTable, sameLength, table, weights } from './check.js';

/** One value per sample, or an n × outputs matrix (number[][] or Matrix) for several outputs. */
export type Targets = ArrayLike<number> | MatrixLike;
/** How per-output scores combine: plain mean, one per output, by target variance (r2 / explained variance), or given weights. */
export type MultiOutput = 'uniform_average' | 'raw_values' | 'variance_weighted' | ArrayLike<number>;

export interface RegressionOptions {
  sampleWeight?: ArrayLike<number>;
  multioutput?: MultiOutput;
}
interface Raw {
  multioutput: 'raw_values';
}

interface Pair {
  t: Matrix;
  p: Matrix;
  w?: Float64Array;
  rows: number;
  cols: number;
}

function pair(fn: string, yTrue: Targets, yPred: Targets, opts: RegressionOptions, extra: string[] = [], outputs = 1): Pair {
  checkOptions(opts, ['sampleWeight', 'multioutput', ...extra], fn);
  let t = table(yTrue, 'yTrue', fn),
    p = table(yPred, 'yPred', fn);
  if (outputs > 1 && !isTable(yTrue)) {
    // flat row-major values of `outputs` columns (the estimators' score() form)
    t = new Matrix(t.data, t.rows / outputs, outputs);
    p = new Matrix(p.data, p.rows / outputs, outputs);
  }
  sameLength(t.rows, p.rows, 'yTrue', 'yPred', fn);
  if (t.cols !== p.cols) throw new ShapeError(`${fn}: yTrue has ${t.cols} outputs but yPred has ${p.cols}; pass the same columns in both`);
  return { t, p, w: weights(opts.sampleWeight, t.rows, fn), rows: t.rows, cols: t.cols };
}

/** Column-wise (weighted) mean of f(true, pred). */
function columnMeans(d: Pair, f: (t: number, p: number) => number): Float64Array {
  const out = new Float64Array(d.cols);
  for (let o = 0; o < d.cols; o++) {
    const v = new Float64Array(d.rows);
    for (let i = 0; i < d.rows; i++) v[i] = f(d.t.data[i * d.cols + o], d.p.data[i * d.cols + o]);
    out[o] = mean(v, d.w);
  }
  return out;
}

function combine(fn: string, scores: Float64Array, multioutput: MultiOutput | undefined, variance?: Float64Array): number | Float64Array {
  if (multioutput === undefined || multioutput === 'uniform_average') return mean(scores);
  if (multioutput === 'raw_values') return scores;
  if (multioutput === 'variance_weighted') {
    if (!variance) throw new ParamError(`${fn}: multioutput 'variance_weighted' is only defined for r2Score and explainedVarianceScore`);
    return variance.some((v) => v !== 0) ? mean(scores, variance) : mean(scores);
  }
  if (typeof multioutput === 'string') {
    throw new ParamError(`${fn}: multioutput must be 'uniform_average', 'raw_values', 'variance_weighted' or an array of weights; got '${multioutput}'`);
  }
  const w = floats(multioutput, 'multioutput', fn);
  if (scores.length === 1) throw new ParamError(`${fn}: multioutput weights are only useful with several outputs`);
  sameLength(scores.length, w.length, 'the outputs', 'multioutput', fn);
  return mean(scores, w);
}

type Metric = ((yTrue: Targets, yPred: Targets, opts: RegressionOptions & Raw) => Float64Array) &
  ((yTrue: Targets, yPred: Targets, opts?: RegressionOptions) => number);

function meanMetric(fn: string, f: (t: number, p: number) => number, post = (v: number) => v): Metric {
  return ((yTrue: Targets, yPred: Targets, opts: RegressionOptions = {}) => {
    const d = pair(fn, yTrue, yPred, opts);
    return combine(fn, columnMeans(d, f).map(post), opts.multioutput);
  }) as Metric;
}

/** Mean |y − ŷ| (scikit-learn's mean_absolute_error). */
export const meanAbsoluteError = meanMetric('meanAbsoluteError', (t, p) => Math.abs(p - t));
/** Mean (y − ŷ)² (scikit-learn's mean_squared_error); see also rootMeanSquaredError. */
export const meanSquaredError = ((yTrue: Targets, yPred: Targets, opts: RegressionOptions & { squared?: boolean } = {}) => {
  const fn = 'meanSquaredError';
  const d = pair(fn, yTrue, yPred, opts, ['squared']);
  const mse = columnMeans(d, (t, p) => (t - p) ** 2);
  // squared: false is scikit-learn 1.2's RMSE: the root of each output's MSE, then averaged
  return combine(fn, opts.squared === false ? mse.map(Math.sqrt) : mse, opts.multioutput);
}) as ((yTrue: Targets, yPred: Targets, opts: RegressionOptions & Raw & { squared?: boolean }) => Float64Array) &
  ((yTrue: Targets, yPred: Targets, opts?: RegressionOptions & { squared?: boolean }) => number);
/** √MSE per output, then averaged (scikit-learn 1.2's mean_squared_error(squared=False)). */
export const rootMeanSquaredError = meanMetric('rootMeanSquaredError', (t, p) => (t - p) ** 2, Math.sqrt);
/** Mean |y − ŷ| / max(|y|, ε): a fraction, not a percentage (scikit-learn's mean_absolute_percentage_error). */
export const meanAbsolutePercentageError = meanMetric('meanAbsolutePercentageError', (t, p) => Math.abs(p - t) / Math.max(Math.abs(t), Number.EPSILON));

/** Median |y − ŷ| per output; with weights, scikit-learn's weighted 50th percentile (scikit-learn's median_absolute_error). */
export const medianAbsoluteError = ((yTrue: Targets, yPred: Targets, opts: RegressionOptions = {}) => {
  const fn = 'medianAbsoluteError';
  const d = pair(fn, yTrue, yPred, opts);
  const out = new Float64Array(d.cols);
  for (let o = 0; o < d.cols; o++) {
    const err = Float64Array.from({ length: d.rows }, (_, i) => Math.abs(d.p.data[i * d.cols + o] - d.t.data[i * d.cols + o]));
    out[o] = d.w ? weightedMedian(err, d.w) : median(err);
  }
  return combine(fn, out, opts.multioutput);
}) as Metric;

function median(v: Float64Array): number {
  const s = v.slice().sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** scikit-learn's _weighted_percentile(…, 50): the first sorted value whose weight CDF reaches half the total. */
export function weightedMedian(v: Float64Array, w: Float64Array): number {
  return weightedPercentile(v, w, 50);
}

/** scikit-learn's _weighted_percentile(v, w, q), q in [0, 100]: the first sorted value whose weight CDF reaches q% of the total. */
export function weightedPercentile(v: Float64Array, w: Float64Array, q: number): number {
  const idx = Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
  const cdf: number[] = [];
  let c = 0;
  for (const i of idx) cdf.push((c += w[i]));
  let at = (q / 100) * c;
  if (at === 0) at = Number.MIN_VALUE; // nextafter(0, 1)
  let k = 0;
  while (k < cdf.length && cdf[k] < at) k++; // searchsorted, side 'left'
  return v[idx[Math.min(k, idx.length - 1)]];
}

/** 1 − num/den per output with scikit-learn's force_finite rule: 0/0 → 1, x/0 → 0. */
function assemble(fn: string, num: Float64Array, den: Float64Array, multioutput: MultiOutput | undefined): number | Float64Array {
  const scores = num.map((n, o) => (den[o] !== 0 && n !== 0 ? 1 - n / den[o] : n !== 0 ? 0 : 1));
  return combine(fn, scores, multioutput, den);
}

/**
 * Coefficient of determination R² (scikit-learn's r2_score). The third argument may also be a
 * number of outputs for flat row-major values (the estimators' score()). Fewer than 2 samples: NaN.
 */
export function r2Score(yTrue: Targets, yPred: Targets, opts: RegressionOptions & Raw): Float64Array;
export function r2Score(yTrue: Targets, yPred: Targets, opts?: RegressionOptions | number): number;
export function r2Score(yTrue: Targets, yPred: Targets, opts: RegressionOptions | number = {}): number | Float64Array {
  const fn = 'r2Score';
  const o = typeof opts === 'number' ? {} : opts;
  const d = pair(fn, yTrue, yPred, o, [], typeof opts === 'number' ? opts : 1);
  if (d.rows < 2) return NaN; // undefined for one sample (scikit-learn warns and returns nan)
  const w = d.w;
  const num = new Float64Array(d.cols),
    den = new Float64Array(d.cols);
  for (let c = 0; c < d.cols; c++) {
    const col = Float64Array.from({ length: d.rows }, (_, i) => d.t.data[i * d.cols + c]);
    const m = mean(col, w);
    for (let i = 0; i < d.rows; i++) {
      const wi = w ? w[i] : 1;
      num[c] += wi * (col[i] - d.p.data[i * d.cols + c]) ** 2;
      den[c] += wi * (col[i] - m) ** 2;
    }
  }
  return assemble(fn, num, den, o.multioutput);
}

/** 1 − Var(y − ŷ) / Var(y) (scikit-learn's explained_variance_score). */
export const explainedVarianceScore = ((yTrue: Targets, yPred: Targets, opts: RegressionOptions = {}) => {
  const fn = 'explainedVarianceScore';
  const d = pair(fn, yTrue, yPred, opts);
  const diffMean = columnMeans(d, (t, p) => t - p),
    trueMean = columnMeans(d, (t) => t);
  const num = new Float64Array(d.cols),
    den = new Float64Array(d.cols);
  const at = (c: number, f: (t: number, p: number) => number) => {
    const v = Float64Array.from({ length: d.rows }, (_, i) => f(d.t.data[i * d.cols + c], d.p.data[i * d.cols + c]));
    return mean(v, d.w);
  };
  for (let c = 0; c < d.cols; c++) {
    num[c] = at(c, (t, p) => (t - p - diffMean[c]) ** 2);
    den[c] = at(c, (t) => (t - trueMean[c]) ** 2);
  }
  return assemble(fn, num, den, opts.multioutput);
}) as Metric;

/** Largest |y − ŷ| (scikit-learn's max_error; one output only). */
export function maxError(yTrue: Targets, yPred: Targets): number {
  const fn = 'maxError';
  const d = pair(fn, yTrue, yPred, {});
  if (d.cols !== 1) throw new ShapeError(`${fn}: supports one output only; yTrue has ${d.cols} — score each column separately`);
  let m = 0;
  for (let i = 0; i < d.rows; i++) m = Math.max(m, Math.abs(d.t.data[i] - d.p.data[i]));
  return m;
}

/** Mean pinball loss at quantile alpha in (0, 1): α·max(y − ŷ, 0) + (1 − α)·max(ŷ − y, 0) (scikit-learn's mean_pinball_loss). */
export const meanPinballLoss = ((yTrue: Targets, yPred: Targets, opts: RegressionOptions & { alpha?: number } = {}) => {
  const fn = 'meanPinballLoss';
  const d = pair(fn, yTrue, yPred, opts, ['alpha']);
  const alpha = opts.alpha ?? 0.5;
  if (!(alpha > 0 && alpha < 1)) throw new ParamError(`${fn}: alpha must be in (0, 1), got ${alpha}`);
  return combine(
    fn,
    columnMeans(d, (t, p) => (t >= p ? alpha * (t - p) : (1 - alpha) * (p - t))),
    opts.multioutput,
  );
}) as ((yTrue: Targets, yPred: Targets, opts: RegressionOptions & Raw & { alpha?: number }) => Float64Array) &
  ((yTrue: Targets, yPred: Targets, opts?: RegressionOptions & { alpha?: number }) => number);

/**
 * Mean Tweedie deviance of power 0 (squared error), 1 (Poisson), 2 (Gamma) or any power > 1
 * (scikit-learn's mean_tweedie_deviance, one output). Power in [1, 2) needs y >= 0, power >= 2
 * needs y > 0, and every power but 0 needs predictions > 0.
 */
export function meanTweedieDeviance(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts: { sampleWeight?: ArrayLike<number>; power?: number } = {},
): number {
  return tweedie('meanTweedieDeviance', yTrue, yPred, opts, opts.power ?? 0);
}

/** Mean Poisson deviance, 2·(y·log(y/ŷ) − y + ŷ) (scikit-learn's mean_poisson_deviance): y >= 0, ŷ > 0. */
export function meanPoissonDeviance(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: { sampleWeight?: ArrayLike<number> } = {}): number {
  return tweedie('meanPoissonDeviance', yTrue, yPred, opts, 1);
}

/** Mean Gamma deviance, 2·(log(ŷ/y) + y/ŷ − 1) (scikit-learn's mean_gamma_deviance): y > 0, ŷ > 0. */
export function meanGammaDeviance(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts: { sampleWeight?: ArrayLike<number> } = {}): number {
  return tweedie('meanGammaDeviance', yTrue, yPred, opts, 2);
}

function tweedie(
  fn: string,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts: { sampleWeight?: ArrayLike<number>; power?: number },
  power: number,
): number {
  if (!(power === 0 || power >= 1)) throw new ParamError(`${fn}: power must be 0 or >= 1 (scikit-learn's domain), got ${power}`);
  const d = pair(fn, yTrue, yPred, { sampleWeight: opts.sampleWeight }, fn === 'meanTweedieDeviance' ? ['power'] : []);
  if (d.cols !== 1) throw new ShapeError(`${fn}: supports one output only; yTrue has ${d.cols}`);
  const y = d.t.data,
    mu = d.p.data;
  for (let i = 0; i < d.rows; i++) {
    if (power > 0 && !(mu[i] > 0)) throw new ParamError(`${fn}: yPred must be > 0 for power ${power}, got ${mu[i]} at ${i}`);
    if (power >= 2 ? !(y[i] > 0) : power >= 1 && !(y[i] >= 0))
      throw new ParamError(`${fn}: yTrue must be ${power >= 2 ? '> 0' : '>= 0'} for power ${power}, got ${y[i]} at ${i}`);
  }
  const dev = new Float64Array(d.rows);
  for (let i = 0; i < d.rows; i++) {
    const t = y[i],
      m = mu[i];
    if (power === 0) dev[i] = (t - m) ** 2;
    else if (power === 1) dev[i] = 2 * ((t === 0 ? 0 : t * Math.log(t / m)) - t + m);
    else if (power === 2) dev[i] = 2 * (Math.log(m / t) + t / m - 1);
    else dev[i] = 2 * (Math.max(t, 0) ** (2 - power) / ((1 - power) * (2 - power)) - (t * m ** (1 - power)) / (1 - power) + m ** (2 - power) / (2 - power));
  }
  return mean(dev, d.w);
}
