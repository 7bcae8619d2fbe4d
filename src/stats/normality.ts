/**
 * D'Agostino's tests of normality, as scipy.stats: skewtest (n ≥ 8), kurtosistest (Anscombe &
 * Glynn, n ≥ 5) and normaltest (D'Agostino & Pearson's K² = Z_skew² + Z_kurt², chi2(2)).
 */
import { type CentralMoments, centralMoments } from '../core/moments.js';
import { chi2Sf, zPvalue } from './dist.js';
import { alternativeOf, nanPolicyOf, readSample, requireSize, type NanOptions, type Sample, type TestOptions } from './sample.js';
import type { TestResult } from './correlation.js';

function skewZ(m: CentralMoments): number {
  const n = m.n;
  const b2 = m.m3 / m.m2 ** 1.5;
  let y = b2 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  if (y === 0) y = 1;
  return delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
}

function kurtosisZ(m: CentralMoments): number {
  const n = m.n;
  const b2 = m.m4 / (m.m2 * m.m2);
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const x = (b2 - e) / Math.sqrt(varb2);
  const sqrtbeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) * Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtbeta1) * (2 / sqrtbeta1 + Math.sqrt(1 + 4 / sqrtbeta1 ** 2));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + x * Math.sqrt(2 / (a - 4));
  const term2 = denom === 0 ? NaN : Math.sign(denom) * ((1 - 2 / a) / Math.abs(denom)) ** (1 / 3);
  return (term1 - term2) / Math.sqrt(2 / (9 * a));
}

/** scipy.stats.skewtest: is the skewness that of a normal sample? (n ≥ 8) */
export function skewtest(x: Sample, options: TestOptions = {}): TestResult {
  const fn = 'skewtest';
  const alt = alternativeOf(fn, options);
  const r = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  if (r.nan) return { statistic: NaN, pvalue: NaN };
  requireSize(r.values.length, 8, fn, 'x');
  const z = skewZ(centralMoments(r.values));
  return { statistic: z, pvalue: zPvalue(z, alt) };
}

/** scipy.stats.kurtosistest: is the kurtosis that of a normal sample? (n ≥ 5; scipy warns below 20) */
export function kurtosistest(x: Sample, options: TestOptions = {}): TestResult {
  const fn = 'kurtosistest';
  const alt = alternativeOf(fn, options);
  const r = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  if (r.nan) return { statistic: NaN, pvalue: NaN };
  requireSize(r.values.length, 5, fn, 'x');
  const z = kurtosisZ(centralMoments(r.values));
  return { statistic: z, pvalue: zPvalue(z, alt) };
}

/** scipy.stats.normaltest: D'Agostino–Pearson K² and its chi2(2) p-value (n ≥ 8). A constant sample gives NaN. */
export function normaltest(x: Sample, options: NanOptions = {}): TestResult {
  const fn = 'normaltest';
  const r = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  if (r.nan) return { statistic: NaN, pvalue: NaN };
  requireSize(r.values.length, 8, fn, 'x');
  return normaltestOfMoments(centralMoments(r.values)); // one pass of moments for both z scores
}

/** normaltest from a sample's central moments (n ≥ 8, no NaN): for callers that hold them already. */
export function normaltestOfMoments(m: CentralMoments): TestResult {
  const k2 = skewZ(m) ** 2 + kurtosisZ(m) ** 2;
  return { statistic: k2, pvalue: chi2Sf(k2, 2) };
}
