/**
 * Autocorrelation, as statsmodels 0.13 (tsa.stattools): acf (demeaned autocovariances over n,
 * Bartlett confidence intervals, Ljung–Box Q) and pacf with statsmodels' default method
 * 'ywadjusted' (Yule–Walker on autocovariances over n − k, solved for every order by the
 * Durbin–Levinson recursion, whose last coefficients are the partial autocorrelations).
 */
import { ParamError } from '../core/errors.js';
import { chi2Sf, normPpf } from './dist.js';
import { readSample, requireSize, type Sample } from './sample.js';

function demeaned(x: Sample, fn: string): Float64Array {
  const { values } = readSample(x, fn, 'x', 'raise');
  requireSize(values.length, 2, fn, 'x');
  let m = 0;
  for (const v of values) m += v;
  m /= values.length;
  return Float64Array.from(values, (v) => v - m);
}

/** Autocovariances of demeaned x for lags 0..nlags, over n (adjusted false) or n − k. */
function autocov(d: Float64Array, nlags: number, adjusted: boolean): Float64Array {
  const n = d.length,
    out = new Float64Array(nlags + 1);
  for (let k = 0; k <= nlags; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += d[i] * d[i - k];
    out[k] = s / (adjusted ? n - k : n);
  }
  return out;
}

function lagsOf(fn: string, nlags: number | undefined, fallback: number, max: number): number {
  const k = nlags ?? fallback;
  if (!Number.isInteger(k) || k < 1 || k > max) throw new ParamError(`${fn}: nlags must be an integer in [1, ${max}], got ${k}`);
  return k;
}

export interface AcfOptions {
  /** Number of lags. Default: min(⌊10·log10(n)⌋, n − 1), as statsmodels. */
  nlags?: number;
  /** Divide lag k's sum by n − k instead of n. Default: false. */
  adjusted?: boolean;
  /** Confidence level 1 − alpha for Bartlett intervals (omit for none). */
  alpha?: number;
  /** Also return the Ljung–Box Q statistics and p-values for lags 1..nlags. Default: false. */
  qstat?: boolean;
}

export interface AcfResult {
  /** Autocorrelations for lags 0..nlags (lag 0 is 1). */
  acf: Float64Array;
  /** [lower, upper] per lag when alpha is given (Bartlett's variance). */
  confint?: [number, number][];
  /** Ljung–Box Q for lags 1..nlags and their chi-square p-values, when qstat is true. */
  qstat?: Float64Array;
  pvalues?: Float64Array;
}

/** statsmodels' acf. NaN is refused (E_NONFINITE): fill or drop missing values first. */
export function acf(x: Sample, options: AcfOptions = {}): AcfResult {
  const fn = 'acf';
  const d = demeaned(x, fn);
  const n = d.length;
  const nlags = lagsOf(fn, options.nlags, Math.min(Math.floor(10 * Math.log10(n)), n - 1), n - 1);
  const cov = autocov(d, nlags, options.adjusted ?? false);
  const r = cov.map((v) => v / cov[0]);
  const out: AcfResult = { acf: r };
  if (options.alpha !== undefined) {
    if (!(options.alpha > 0 && options.alpha < 1)) throw new ParamError(`${fn}: alpha must be in (0, 1), got ${options.alpha}`);
    const z = normPpf(1 - options.alpha / 2);
    let cum = 0;
    out.confint = Array.from(r, (v, k) => {
      const variance = k === 0 ? 0 : k === 1 ? 1 / n : (1 + 2 * (cum += r[k - 1] ** 2)) / n;
      const half = z * Math.sqrt(variance);
      return [v - half, v + half] as [number, number];
    });
  }
  if (options.qstat) {
    const q = new Float64Array(nlags),
      p = new Float64Array(nlags);
    let s = 0;
    for (let k = 1; k <= nlags; k++) {
      s += (r[k] * r[k]) / (n - k);
      q[k - 1] = n * (n + 2) * s;
      p[k - 1] = chi2Sf(q[k - 1], k);
    }
    out.qstat = q;
    out.pvalues = p;
  }
  return out;
}

export interface PacfOptions {
  /** Number of lags, below n/2. Default: min(⌊10·log10(n)⌋, n/2 − 1), as statsmodels. */
  nlags?: number;
  /** Confidence level 1 − alpha for the intervals ±z/√n (omit for none). */
  alpha?: number;
}

/** statsmodels' pacf with method 'ywadjusted'. Returns lags 0..nlags (lag 0 is 1). */
export function pacf(x: Sample, options: PacfOptions = {}): { pacf: Float64Array; confint?: [number, number][] } {
  const fn = 'pacf';
  const d = demeaned(x, fn);
  const n = d.length;
  const max = Math.floor(n / 2) - 1;
  requireSize(n, 4, fn, 'x', 'partial autocorrelations need lags below half the sample');
  const nlags = lagsOf(fn, options.nlags, Math.min(Math.floor(10 * Math.log10(n)), max), max);
  const r = autocov(d, nlags, true);
  const out = new Float64Array(nlags + 1);
  out[0] = 1;
  // Durbin–Levinson: phi holds the order-k Yule–Walker coefficients
  let phi = new Float64Array(0),
    v = r[0];
  for (let k = 1; k <= nlags; k++) {
    let num = r[k];
    for (let j = 1; j < k; j++) num -= phi[j - 1] * r[k - j];
    const kk = num / v;
    const next = new Float64Array(k);
    for (let j = 1; j < k; j++) next[j - 1] = phi[j - 1] - kk * phi[k - j - 1];
    next[k - 1] = kk;
    phi = next;
    v *= 1 - kk * kk;
    out[k] = kk;
  }
  if (options.alpha === undefined) return { pacf: out };
  if (!(options.alpha > 0 && options.alpha < 1)) throw new ParamError(`${fn}: alpha must be in (0, 1), got ${options.alpha}`);
  const half = normPpf(1 - options.alpha / 2) * Math.sqrt(1 / n);
  return { pacf: out, confint: Array.from(out, (p, k) => (k === 0 ? [p, p] : [p - half, p + half]) as [number, number]) };
}
