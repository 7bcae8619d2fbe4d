/**
 * Rank tests of location, as scipy 1.10: mannwhitneyu (U of the first sample; method 'auto' is
 * exact when one sample has at most 8 values and there are no ties, else the normal
 * approximation with tie-corrected variance and continuity correction) and wilcoxon (signed
 * ranks; 'auto' is exact for n ≤ 50 without zero differences).
 */
import { ParamError } from '../core/errors.js';
import { normCdf, normSf } from './dist.js';
import { rankdata, tieGroups } from './rank.js';
import { type Alternative, alternativeOf, nanPolicyOf, oneOfOption, readPaired, readSample, requireSize, type Sample, type TestOptions } from './sample.js';
import type { TestResult } from './correlation.js';

/**
 * Null distribution of U for sample sizes (m, n): the coefficients of the Gaussian binomial
 * [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), divided by C(m+n, m).
 */
function mwuDistribution(m: number, n: number): Float64Array {
  if (m > n) [m, n] = [n, m];
  const size = m * n + 1;
  const c = new Float64Array(size);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    for (let k = size - 1; k >= n + i; k--) c[k] -= c[k - n - i]; // × (1 − q^{n+i})
    for (let k = i; k < size; k++) c[k] += c[k - i]; // ÷ (1 − q^i)
  }
  let total = 0;
  for (const v of c) total += v;
  return c.map((v) => v / total);
}

export interface MannwhitneyuOptions extends TestOptions {
  /** Continuity correction of the normal approximation. Default: true. */
  useContinuity?: boolean;
  /** 'auto' (see the file comment), 'exact' or 'asymptotic'. Default: 'auto'. */
  method?: 'auto' | 'exact' | 'asymptotic';
}

/** scipy.stats.mannwhitneyu: U of the first sample (R1 − n1(n1+1)/2) and its p-value. */
export function mannwhitneyu(x: Sample, y: Sample, options: MannwhitneyuOptions = {}): TestResult {
  const fn = 'mannwhitneyu';
  const alt = alternativeOf(fn, options);
  let method = oneOfOption(fn, 'method', options.method, ['auto', 'exact', 'asymptotic'] as const, 'auto');
  const policy = nanPolicyOf(fn, options);
  const a = readSample(x, fn, 'x', policy),
    b = readSample(y, fn, 'y', policy);
  if (a.nan || b.nan) return { statistic: NaN, pvalue: NaN };
  const n1 = a.values.length,
    n2 = b.values.length;
  requireSize(n1, 1, fn, 'x');
  requireSize(n2, 1, fn, 'y');
  const all = new Float64Array(n1 + n2);
  all.set(a.values);
  all.set(b.values, n1);
  const ranks = rankdata(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2,
    u2 = n1 * n2 - u1;
  const [u, factor] = alt === 'greater' ? [u1, 1] : alt === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];
  const groups = tieGroups(all);
  if (method === 'auto') method = (n1 > 8 && n2 > 8) || groups.length < all.length ? 'asymptotic' : 'exact';
  let p: number;
  if (method === 'exact') {
    const pmf = mwuDistribution(n1, n2);
    p = 0;
    for (let k = Math.ceil(u); k < pmf.length; k++) p += pmf[k]; // P(U ≥ u)
  } else {
    const n = n1 + n2;
    let tie = 0;
    for (const t of groups) tie += t * t * t - t;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))));
    const num = u - (n1 * n2) / 2 - ((options.useContinuity ?? true) ? 0.5 : 0);
    p = normSf(num / s);
  }
  return { statistic: u1, pvalue: Math.min(1, Math.max(0, p * factor)) };
}

/** Null distribution of the signed-rank sum for n untied, non-zero differences: Π (1 + q^i) / 2^n. */
function signedRankDistribution(n: number): Float64Array {
  const size = (n * (n + 1)) / 2 + 1;
  const c = new Float64Array(size);
  c[0] = 1;
  for (let i = 1; i <= n; i++) {
    for (let k = size - 1; k >= i; k--) c[k] = (c[k] + c[k - i]) / 2;
    for (let k = Math.min(i, size) - 1; k >= 0; k--) c[k] /= 2;
  }
  return c;
}

export interface WilcoxonOptions extends TestOptions {
  /** How zero differences are treated: 'wilcox' drops them, 'pratt' ranks then drops them, 'zsplit' splits their ranks. Default: 'wilcox'. */
  zeroMethod?: 'wilcox' | 'pratt' | 'zsplit';
  /** Continuity correction of the normal approximation. Default: false. */
  correction?: boolean;
  /** 'auto' (see the file comment), 'exact' or 'approx'. Default: 'auto'. */
  method?: 'auto' | 'exact' | 'approx';
}

/**
 * scipy.stats.wilcoxon: the signed-rank test that x − y (or x, when y is omitted) is symmetric
 * about 0. statistic: min(R+, R−) two-sided, R+ one-sided (scipy's convention).
 */
export function wilcoxon(x: Sample, y?: Sample | null, options: WilcoxonOptions = {}): TestResult {
  const fn = 'wilcoxon';
  const alt: Alternative = alternativeOf(fn, options);
  const zeroMethod = oneOfOption(fn, 'zeroMethod', options.zeroMethod, ['wilcox', 'pratt', 'zsplit'] as const, 'wilcox');
  let method = oneOfOption(fn, 'method', options.method, ['auto', 'exact', 'approx'] as const, 'auto');
  const policy = nanPolicyOf(fn, options);
  let d: Float64Array;
  if (y === undefined || y === null) {
    const r = readSample(x, fn, 'x', policy);
    if (r.nan) return { statistic: NaN, pvalue: NaN };
    d = r.values;
  } else {
    const p = readPaired(x, y, fn, ['x', 'y'], policy);
    if (p.nan) return { statistic: NaN, pvalue: NaN };
    d = Float64Array.from(p.x, (v, i) => v - p.y[i]);
  }
  requireSize(d.length, 1, fn, y ? 'x − y' : 'x');
  if (method === 'auto') method = d.length <= 50 ? 'exact' : 'approx';
  let nZero = 0;
  for (const v of d) if (v === 0) nZero++;
  if (nZero > 0 && method === 'exact') method = 'approx';
  if (method === 'approx') {
    if (zeroMethod !== 'zsplit' && nZero === d.length)
      throw new ParamError(`${fn}: every difference is zero; zeroMethod '${zeroMethod}' cannot rank them (use 'zsplit')`);
    if (zeroMethod === 'wilcox') d = d.filter((v) => v !== 0);
  }
  const count = d.length;
  let r = rankdata(d.map(Math.abs));
  let rPlus = 0,
    rMinus = 0,
    rZero = 0;
  d.forEach((v, i) => {
    if (v > 0) rPlus += r[i];
    else if (v < 0) rMinus += r[i];
    else rZero += r[i];
  });
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const t = alt === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  if (method === 'exact') {
    const pdf = signedRankDistribution(count);
    const k = Math.trunc(rPlus);
    const sum = (from: number, to: number) => {
      let s = 0;
      for (let i = from; i <= to; i++) s += pdf[i];
      return s;
    };
    let p: number;
    if (alt === 'two-sided') p = k === (pdf.length - 1) / 2 ? 1 : 2 * Math.min(sum(0, k), sum(k, pdf.length - 1));
    else p = alt === 'greater' ? sum(k, pdf.length - 1) : sum(0, k);
    return { statistic: t, pvalue: Math.min(1, Math.max(0, p)) };
  }
  let mn = (count * (count + 1)) / 4,
    se = count * (count + 1) * (2 * count + 1);
  if (zeroMethod === 'pratt') {
    r = r.filter((_, i) => d[i] !== 0);
    mn -= (nZero * (nZero + 1)) / 4;
    se -= nZero * (nZero + 1) * (2 * nZero + 1);
  }
  for (const g of tieGroups(r)) if (g > 1) se -= 0.5 * g * (g * g - 1);
  se = Math.sqrt(se / 24);
  const cc = !options.correction ? 0 : alt === 'two-sided' ? 0.5 * Math.sign(t - mn) : alt === 'less' ? -0.5 : 0.5;
  const z = (t - mn - cc) / se;
  const p = alt === 'two-sided' ? 2 * normSf(Math.abs(z)) : alt === 'greater' ? normSf(z) : normCdf(z);
  return { statistic: t, pvalue: Math.min(1, p) };
}
