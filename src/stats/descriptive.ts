/**
 * Descriptive statistics of one sample, as scipy.stats names them: skew, kurtosis, moment, mode,
 * iqr, zscore. Constant samples give NaN skew and kurtosis (scipy does too, with a warning);
 * too few values for a bias correction leave the biased value, as scipy.
 */
import { ParamError } from '../core/errors.js';
import { centralMoments, kurtosisOf, skewOf } from '../core/moments.js';
import { type QuantileMethod, QUANTILE_METHODS, quantileSorted } from './quantile.js';
import { type NanOptions, nanPolicyOf, oneOfOption, readSample, type Sample } from './sample.js';
import { sortedCopy } from '../ops/sort.js';

export interface SkewOptions extends NanOptions {
  /** false applies the sample-size correction (adjusted Fisher–Pearson G1, needs n > 2). Default: true. */
  bias?: boolean;
}

export interface KurtosisOptions extends NanOptions {
  /** true gives excess kurtosis (normal = 0), false Pearson's (normal = 3). Default: true. */
  fisher?: boolean;
  /** false applies the bias correction (needs n > 3). Default: true. */
  bias?: boolean;
}

/** scipy.stats.skew: the sample skewness m3 / m2^1.5 (NaN for a constant sample). */
export function skew(x: Sample, options: SkewOptions = {}): number {
  const { values, nan } = readSample(x, 'skew', 'x', nanPolicyOf('skew', options));
  return nan ? NaN : skewOf(centralMoments(values), options.bias ?? true);
}

/** scipy.stats.kurtosis: m4 / m2² − 3 (fisher) or m4 / m2² (NaN for a constant sample). */
export function kurtosis(x: Sample, options: KurtosisOptions = {}): number {
  const { values, nan } = readSample(x, 'kurtosis', 'x', nanPolicyOf('kurtosis', options));
  return nan ? NaN : kurtosisOf(centralMoments(values), options.fisher ?? true, options.bias ?? true);
}

export interface MomentOptions extends NanOptions {
  /** The order k of the moment (an integer ≥ 0). Default: 1. */
  order?: number;
  /** The point moments are taken about. Default: the sample mean (central moments). */
  center?: number;
}

/** scipy.stats.moment: mean of (x − center)^k; order 0 is 1, order 1 about the mean is 0. */
export function moment(x: Sample, options: MomentOptions = {}): number {
  const k = options.order ?? 1;
  if (!Number.isInteger(k) || k < 0) throw new ParamError(`moment: order must be an integer >= 0, got ${k}`);
  const { values, nan } = readSample(x, 'moment', 'x', nanPolicyOf('moment', options));
  if (nan) return NaN;
  if (k === 0) return 1;
  if (k === 1 && options.center === undefined) return 0;
  let c = options.center;
  if (c === undefined) {
    c = 0;
    for (const v of values) c += v;
    c /= values.length;
  }
  let s = 0;
  for (const v of values) s += (v - c) ** k;
  return s / values.length;
}

export interface ModeResult {
  /** The most frequent value (the smallest of tied ones). */
  mode: number;
  /** How often it occurs. */
  count: number;
}

/** scipy.stats.mode: the most frequent value, the smallest on ties; under 'propagate' NaNs count as one value (sorted last). */
export function mode(x: Sample, options: NanOptions = {}): ModeResult {
  const { values } = readSample(x, 'mode', 'x', nanPolicyOf('mode', options));
  const s = sortedCopy(values); // NaNs sort last in a typed-array sort
  let best = s[0],
    bestCount = 0;
  for (let i = 0; i < s.length; ) {
    let j = i + 1;
    const same = Number.isNaN(s[i]) ? (v: number) => Number.isNaN(v) : (v: number) => v === s[i];
    while (j < s.length && same(s[j])) j++;
    if (j - i > bestCount) {
      best = s[i];
      bestCount = j - i;
    }
    i = j;
  }
  return { mode: best, count: bestCount };
}

export interface IqrOptions extends NanOptions {
  /** The two percentiles (0–100) whose difference is returned. Default: [25, 75]. */
  rng?: [number, number];
  /** A divisor, or 'normal' for 2·√2·erfinv(0.5) ≈ 1.349 (a consistent estimate of σ). Default: 1. */
  scale?: number | 'normal';
  /** numpy's quantile method. Default: 'linear'. */
  interpolation?: QuantileMethod;
}

/** Φ⁻¹(0.75) − Φ⁻¹(0.25): the IQR of a standard normal. */
const NORMAL_IQR = 1.3489795003921634;

/** scipy.stats.iqr: the spread between two percentiles (NaN under 'propagate' when a NaN is present). */
export function iqr(x: Sample, options: IqrOptions = {}): number {
  const fn = 'iqr';
  const [lo, hi] = options.rng ?? [25, 75];
  if (!(lo >= 0 && hi <= 100 && lo <= hi)) throw new ParamError(`iqr: rng must be two percentiles 0 <= lo <= hi <= 100, got [${lo}, ${hi}]`);
  const method = oneOfOption(fn, 'interpolation', options.interpolation, QUANTILE_METHODS, 'linear');
  const scale = options.scale === 'normal' ? NORMAL_IQR : (options.scale ?? 1);
  if (typeof scale !== 'number' || !(scale > 0)) throw new ParamError(`iqr: scale must be a positive number or 'normal', got ${options.scale}`);
  const { values, nan } = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  if (nan) return NaN;
  const s = sortedCopy(values);
  return (quantileSorted(s, hi / 100, method) - quantileSorted(s, lo / 100, method)) / scale;
}

export interface ZscoreOptions extends NanOptions {
  /** Delta degrees of freedom of the standard deviation. Default: 0. */
  ddof?: number;
}

/**
 * scipy.stats.zscore: (x − mean) / std. Under 'omit' the mean and std skip NaNs and NaNs stay NaN
 * in place; a constant sample gives NaN everywhere (0/0), as scipy.
 */
export function zscore(x: Sample, options: ZscoreOptions = {}): Float64Array {
  const ddof = options.ddof ?? 0;
  if (!(ddof >= 0)) throw new ParamError(`zscore: ddof must be >= 0, got ${ddof}`);
  const policy = nanPolicyOf('zscore', options);
  const { values, nan } = readSample(x, 'zscore', 'x', policy === 'omit' ? 'propagate' : policy);
  const m = centralMoments(values); // skips NaN
  const out = new Float64Array(values.length);
  if (nan && policy === 'propagate') return out.fill(NaN);
  const sd = Math.sqrt((m.m2 * m.n) / (m.n - ddof));
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - m.mean) / sd;
  return out;
}
