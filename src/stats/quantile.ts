/**
 * Quantiles with numpy's methods (numpy ≥ 1.22 `np.quantile(a, q, method=...)`): the continuous
 * family of Hyndman & Fan (linear, hazen, weibull, median_unbiased, normal_unbiased,
 * interpolated_inverted_cdf), the discrete choices (lower, higher, midpoint, nearest), and the
 * step methods inverted_cdf and closest_observation. Interpolation is numpy's _lerp (from the
 * nearer end), so results agree bit for bit.
 */
import { ParamError } from '../core/errors.js';
import { type NanOptions, nanPolicyOf, oneOfOption, readSample, type Sample } from './sample.js';
import { sortedCopy } from '../ops/sort.js';

export type QuantileMethod =
  | 'linear'
  | 'lower'
  | 'higher'
  | 'midpoint'
  | 'nearest'
  | 'hazen'
  | 'weibull'
  | 'median_unbiased'
  | 'normal_unbiased'
  | 'interpolated_inverted_cdf'
  | 'inverted_cdf'
  | 'closest_observation';

export const QUANTILE_METHODS: readonly QuantileMethod[] = [
  'linear',
  'lower',
  'higher',
  'midpoint',
  'nearest',
  'hazen',
  'weibull',
  'median_unbiased',
  'normal_unbiased',
  'interpolated_inverted_cdf',
  'inverted_cdf',
  'closest_observation',
];

/** (alpha, beta) of the continuous methods: virtual index = n·q + alpha + q·(1 − alpha − beta) − 1. */
const CONTINUOUS: Partial<Record<QuantileMethod, [number, number]>> = {
  hazen: [0.5, 0.5],
  weibull: [0, 0],
  median_unbiased: [1 / 3, 1 / 3],
  normal_unbiased: [3 / 8, 3 / 8],
  interpolated_inverted_cdf: [0, 1],
};

export interface QuantileOptions extends NanOptions {
  /** How to pick or interpolate between order statistics (numpy's `method`). Default: 'linear'. */
  method?: QuantileMethod;
}

/** numpy's _lerp: a + (b − a)·t, computed from b when t ≥ 0.5. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** Round half to even (numpy's around), for method 'nearest'. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One quantile q ∈ [0, 1] of values sorted ascending (no NaN). */
export function quantileSorted(s: ArrayLike<number>, q: number, method: QuantileMethod = 'linear'): number {
  const n = s.length;
  if (n === 0) return NaN;
  const at = (i: number) => s[Math.min(Math.max(i, 0), n - 1)];
  switch (method) {
    case 'lower':
      return at(Math.floor((n - 1) * q));
    case 'higher':
      return at(Math.ceil((n - 1) * q));
    case 'nearest':
      return at(roundHalfEven((n - 1) * q));
    case 'midpoint': {
      const lo = Math.floor((n - 1) * q),
        hi = Math.ceil((n - 1) * q);
      return lo === hi ? at(lo) : lerp(at(lo), at(hi), 0.5);
    }
    case 'inverted_cdf':
    case 'closest_observation': {
      const idx = method === 'inverted_cdf' ? n * q - 1 : n * q - 1 - 0.5;
      const prev = Math.floor(idx),
        frac = idx - prev;
      const takePrev = method === 'inverted_cdf' ? frac === 0 : frac === 0 && prev % 2 === 0;
      return at(takePrev ? prev : prev + 1);
    }
  }
  const ab = CONTINUOUS[method];
  const virtual = ab ? n * q + (ab[0] + q * (1 - ab[0] - ab[1])) - 1 : (n - 1) * q;
  if (virtual >= n - 1) return s[n - 1];
  if (virtual <= 0) return s[0];
  const lo = Math.floor(virtual);
  return lerp(s[lo], s[lo + 1], virtual - lo);
}

function checkQ(fn: string, q: number): void {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new ParamError(`${fn}: q must be a number in [0, 1], got ${q}`);
}

/**
 * numpy's `quantile(a, q, method)`: one value per q (q in [0, 1]). NaN in `x` gives NaN under
 * nanPolicy 'propagate' (numpy's quantile; 'omit' is numpy's nanquantile).
 */
export function quantile(x: Sample, q: number, options?: QuantileOptions): number;
export function quantile(x: Sample, q: readonly number[], options?: QuantileOptions): Float64Array;
export function quantile(x: Sample, q: number | readonly number[], options: QuantileOptions = {}): number | Float64Array {
  const fn = 'quantile';
  const method = oneOfOption(fn, 'method', options.method, QUANTILE_METHODS, 'linear');
  const qs = typeof q === 'number' ? [q] : q;
  if (!Array.isArray(qs)) throw new ParamError(`${fn}: q must be a number or an array of numbers in [0, 1]`);
  for (const p of qs) checkQ(fn, p);
  const { values, nan } = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  const sorted = nan ? undefined : sortedCopy(values);
  const out = Float64Array.from(qs, (p) => (sorted ? quantileSorted(sorted, p, method) : NaN));
  return typeof q === 'number' ? out[0] : out;
}
