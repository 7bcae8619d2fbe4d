/**
 * Kolmogorov–Smirnov tests, as scipy 1.10: ks2samp (two samples; 'auto' = exact when both have
 * at most 10,000 values, else the asymptotic law) and kstest (one sample against a named
 * continuous distribution or a CDF; 'auto' = exact).
 *
 * The exact two-sample p-value is the probability that a uniformly random lattice path from
 * (0, 0) to (n1, n2) leaves the band |i·n2/g − j·n1/g| < h (h = D·lcm), computed as a
 * probability at each point (a mean of the two predecessors weighted by how many paths come
 * through each), so tiny p-values keep their digits — the idea of scipy's
 * _compute_outer_prob_inside_method, written here as a full DP.
 */
import { ParamError } from '../core/errors.js';
import { chi2Cdf, normCdf, tCdf } from './dist.js';
import { kolmogorovSf, kstwoSf, smirnovSf } from './kolmogorov.js';
import { type Alternative, alternativeOf, nanPolicyOf, oneOfOption, readSample, requireSize, type Sample, type TestOptions } from './sample.js';
import { sortedCopy } from '../ops/sort.js';

export interface KstestResult {
  statistic: number;
  pvalue: number;
  /** The value where the ECDF distance is largest. */
  statisticLocation: number;
  /** +1 when the first ECDF is above there, −1 when below. */
  statisticSign: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** P(the path leaves the band) for the exact two-sample test; `side` picks which boundary counts. */
function exactOutside(n1: number, n2: number, h: number, alternative: Alternative): number {
  const g = gcd(n1, n2),
    a = n2 / g,
    b = n1 / g;
  const outside =
    alternative === 'two-sided'
      ? (i: number, j: number) => Math.abs(i * a - j * b) >= h
      : alternative === 'greater'
        ? (i: number, j: number) => i * a - j * b >= h
        : (i: number, j: number) => j * b - i * a >= h;
  let prev = new Float64Array(n2 + 1),
    cur = new Float64Array(n2 + 1);
  for (let j = 0; j <= n2; j++) prev[j] = outside(0, j) ? 1 : j === 0 ? 0 : prev[j - 1];
  for (let i = 1; i <= n1; i++) {
    cur[0] = outside(i, 0) ? 1 : prev[0];
    for (let j = 1; j <= n2; j++) cur[j] = outside(i, j) ? 1 : (i * prev[j] + j * cur[j - 1]) / (i + j);
    [prev, cur] = [cur, prev];
  }
  return prev[n2];
}

export interface Ks2sampOptions extends TestOptions {
  /** 'auto' (exact up to 10,000 values per sample), 'exact' or 'asymp'. Default: 'auto'. */
  method?: 'auto' | 'exact' | 'asymp';
}

/** scipy.stats.ks_2samp: the largest distance between the two ECDFs (signed by alternative) and its p-value. */
export function ks2samp(data1: Sample, data2: Sample, options: Ks2sampOptions = {}): KstestResult {
  const fn = 'ks2samp';
  const alt = alternativeOf(fn, options);
  let method = oneOfOption(fn, 'method', options.method, ['auto', 'exact', 'asymp'] as const, 'auto');
  const policy = nanPolicyOf(fn, options);
  const r1 = readSample(data1, fn, 'data1', policy),
    r2 = readSample(data2, fn, 'data2', policy);
  if (r1.nan || r2.nan) return { statistic: NaN, pvalue: NaN, statisticLocation: NaN, statisticSign: NaN };
  const x = sortedCopy(r1.values),
    y = sortedCopy(r2.values);
  const n1 = x.length,
    n2 = y.length;
  requireSize(n1, 1, fn, 'data1');
  requireSize(n2, 1, fn, 'data2');
  // walk both sorted samples; after each distinct value compare the ECDFs
  let i = 0,
    j = 0,
    maxS = -Infinity,
    minS = Infinity,
    locMax = NaN,
    locMin = NaN;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) [maxS, locMax] = [diff, v];
    if (diff < minS) [minS, locMin] = [diff, v];
  }
  const minAbs = Math.min(1, Math.max(0, -minS));
  const useMin = alt === 'less' || (alt === 'two-sided' && minAbs > maxS);
  let d = useMin ? minAbs : maxS;
  const loc = useMin ? locMin : locMax,
    sign = useMin ? -1 : 1;
  if (method === 'auto') method = Math.max(n1, n2) <= 10000 ? 'exact' : 'asymp';
  let p: number;
  if (method === 'exact') {
    const g = gcd(n1, n2),
      lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    p = h === 0 ? 1 : exactOutside(n1, n2, h, alt);
  } else {
    const m = Math.max(n1, n2),
      n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alt === 'two-sided') p = kstwoSf(Math.round(en), d);
    else {
      // Hodges (1958), eq. 5.3, as scipy
      const z = Math.sqrt(en) * d;
      p = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return { statistic: d, pvalue: Math.min(1, Math.max(0, p)), statisticLocation: loc, statisticSign: sign };
}

/** Named continuous distributions for kstest, with scipy's parameter order (shape parameters first, then loc, scale). */
export type KsDistribution = 'norm' | 'uniform' | 'expon' | 't' | 'chi2' | 'logistic' | 'laplace';

/** The CDF of a named distribution with scipy's argument order. */
export function namedCdf(name: KsDistribution, args: readonly number[]): (x: number) => number {
  const fn = 'kstest';
  const shape = name === 't' || name === 'chi2' ? 1 : 0;
  if (shape && !(args[0] > 0)) throw new ParamError(`${fn}: '${name}' needs its degrees of freedom as args[0] > 0, got ${args[0]}`);
  const loc = args[shape] ?? 0,
    scale = args[shape + 1] ?? 1;
  if (!(scale > 0)) throw new ParamError(`${fn}: scale must be > 0, got ${scale}`);
  const z = (x: number) => (x - loc) / scale;
  switch (name) {
    case 'norm':
      return (x) => normCdf(z(x));
    case 'uniform':
      return (x) => Math.min(1, Math.max(0, z(x)));
    case 'expon':
      return (x) => (z(x) <= 0 ? 0 : -Math.expm1(-z(x)));
    case 't':
      return (x) => tCdf(z(x), args[0]);
    case 'chi2':
      return (x) => chi2Cdf(z(x), args[0]);
    case 'logistic':
      return (x) => 1 / (1 + Math.exp(-z(x)));
    case 'laplace':
      return (x) => (z(x) < 0 ? 0.5 * Math.exp(z(x)) : 1 - 0.5 * Math.exp(-z(x)));
  }
  throw new ParamError(
    `${fn}: unknown distribution ${JSON.stringify(name)}; use one of 'norm', 'uniform', 'expon', 't', 'chi2', 'logistic', 'laplace' or pass a CDF function`,
  );
}

export interface KstestOptions extends TestOptions {
  /** Parameters of a named distribution, scipy's order: shape(s), loc, scale (e.g. 'norm' → [mean, sd]). Default: []. */
  args?: number[];
  /** 'auto' (= exact), 'exact', 'approx' (2 × the one-sided law) or 'asymp' (the limiting law). Default: 'auto'. */
  method?: 'auto' | 'exact' | 'approx' | 'asymp';
}

/** scipy.stats.kstest for one sample: the ECDF's largest distance from a continuous CDF and its p-value. */
export function kstest(rvs: Sample, cdf: KsDistribution | ((x: number) => number), options: KstestOptions = {}): KstestResult {
  const fn = 'kstest';
  const alt = alternativeOf(fn, options);
  const method = oneOfOption(fn, 'method', options.method, ['auto', 'exact', 'approx', 'asymp'] as const, 'auto');
  const F = typeof cdf === 'function' ? cdf : namedCdf(cdf, options.args ?? []);
  const r = readSample(rvs, fn, 'rvs', nanPolicyOf(fn, options));
  if (r.nan) return { statistic: NaN, pvalue: NaN, statisticLocation: NaN, statisticSign: NaN };
  const x = sortedCopy(r.values);
  const n = x.length;
  requireSize(n, 1, fn, 'rvs');
  let dPlus = -Infinity,
    dMinus = -Infinity,
    locPlus = NaN,
    locMinus = NaN;
  for (let i = 0; i < n; i++) {
    const c = F(x[i]);
    if ((i + 1) / n - c > dPlus) [dPlus, locPlus] = [(i + 1) / n - c, x[i]];
    if (c - i / n > dMinus) [dMinus, locMinus] = [c - i / n, x[i]];
  }
  if (alt === 'greater') return { statistic: dPlus, pvalue: smirnovSf(n, dPlus), statisticLocation: locPlus, statisticSign: 1 };
  if (alt === 'less') return { statistic: dMinus, pvalue: smirnovSf(n, dMinus), statisticLocation: locMinus, statisticSign: -1 };
  const plus = dPlus >= dMinus;
  const d = plus ? dPlus : dMinus;
  const p = method === 'asymp' ? kolmogorovSf(d * Math.sqrt(n)) : method === 'approx' ? 2 * smirnovSf(n, d) : kstwoSf(n, d);
  return { statistic: d, pvalue: Math.min(1, Math.max(0, p)), statisticLocation: plus ? locPlus : locMinus, statisticSign: plus ? 1 : -1 };
}
