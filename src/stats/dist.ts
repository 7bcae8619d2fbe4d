/**
 * The distributions the tests need (CDF, survival function, quantile), from stdlib's special
 * functions. Survival functions are computed as the upper tail directly (the regularised
 * incomplete gamma/beta functions' `upper` form, or the CDF at −x for symmetric laws), never as
 * 1 − CDF, so p-values like 1e-47 keep their digits as scipy's do.
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Alternative } from './sample.js';

/** Standard normal CDF. */
export const normCdf = (x: number): number => normalCdf(x, 0, 1);
/** Standard normal survival function P(Z > x). */
export const normSf = (x: number): number => normalCdf(-x, 0, 1);
/** Standard normal quantile (inverse CDF). */
export const normPpf = (p: number): number => normalQuantile(p, 0, 1);

/** Student t CDF with `df` degrees of freedom (df may be fractional, e.g. Welch's). */
export const tCdf = (x: number, df: number): number => tCdfImpl(x, df);
/** Student t survival function. */
export const tSf = (x: number, df: number): number => tCdfImpl(-x, df);
/** Student t quantile. */
export const tPpf = (p: number, df: number): number => tQuantile(p, df);

/** Chi-square CDF with k degrees of freedom. */
export const chi2Cdf = (x: number, k: number): number => (x <= 0 ? 0 : x === Infinity ? 1 : gammainc(x / 2, k / 2, true, false));
/** Chi-square survival function. */
export const chi2Sf = (x: number, k: number): number => (Number.isNaN(x) ? NaN : x <= 0 ? 1 : x === Infinity ? 0 : gammainc(x / 2, k / 2, true, true));

/** Chi-square inverse survival function: the x with chi2Sf(x, k) = q, q in (0, 1) (bisection to the last bit). */
export function chi2Isf(q: number, k: number): number {
  if (!(q > 0 && q < 1)) return q === 0 ? Infinity : q === 1 ? 0 : NaN;
  let lo = 0,
    hi = Math.max(1, k);
  while (chi2Sf(hi, k) > q) hi *= 2;
  for (let i = 0; i < 2000 && hi - lo > 4 * Number.EPSILON * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (chi2Sf(mid, k) > q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** F survival function with (d1, d2) degrees of freedom: I_{d2/(d2+d1 f)}(d2/2, d1/2). */
export function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** Regularised incomplete beta I_x(a, b) (lower) or 1 − I_x(a, b) (upper), computed directly. */
export const betaInc = (x: number, a: number, b: number, upper = false): number => betainc(x, a, b, true, upper);
/** Regularised lower incomplete gamma P(a, x) or upper Q(a, x). */
export const gammaInc = (x: number, a: number, upper = false): number => gammainc(x, a, true, upper);

/** A p-value from a statistic's CDF and survival function under an alternative (two-sided: twice the smaller tail, at most 1). */
export function pvalueOf(alternative: Alternative, cdf: () => number, sf: () => number): number {
  if (alternative === 'less') return cdf();
  if (alternative === 'greater') return sf();
  return Math.min(1, 2 * Math.min(cdf(), sf()));
}

/** p-value of a t statistic (scipy's _ttest_finish): NaN statistic → NaN. */
export function tPvalue(t: number, df: number, alternative: Alternative): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  if (alternative === 'less') return tCdf(t, df);
  if (alternative === 'greater') return tSf(t, df);
  return Math.min(1, 2 * tSf(Math.abs(t), df));
}

/** p-value of a standard-normal statistic. */
export function zPvalue(z: number, alternative: Alternative): number {
  if (Number.isNaN(z)) return NaN;
  if (alternative === 'less') return normCdf(z);
  if (alternative === 'greater') return normSf(z);
  return Math.min(1, 2 * normSf(Math.abs(z)));
}
