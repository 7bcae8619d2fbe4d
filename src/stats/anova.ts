/**
 * Tests across k groups, as scipy.stats: fOneway (one-way ANOVA), levene (Brown–Forsythe with
 * center 'median'), bartlett, kruskal (Kruskal–Wallis H).
 */
import { blockEnd, PASS_BLOCK } from '../core/passes.js';
import { ParamError, SampleSizeError } from '../core/errors.js';
import { chi2Sf, fSf } from './dist.js';
import { meanOf, readGroups } from './groups.js';
import { quantileSorted } from './quantile.js';
import { rankdata, tieCorrection } from './rank.js';
import { type NanOptions, nanPolicyOf, oneOfOption, type Sample } from './sample.js';
import type { TestResult } from './correlation.js';
import { sortedCopy } from '../ops/sort.js';

const NAN: TestResult = { statistic: NaN, pvalue: NaN };

/**
 * scipy.stats.f_oneway: F = (SSB/(k − 1)) / (SSW/(N − k)). When every group is constant: NaN if
 * all groups share the value, else F = Infinity and p = 0 (scipy's conventions).
 */
export function fOneway(samples: readonly Sample[], options: NanOptions = {}): TestResult {
  const fn = 'fOneway';
  const { groups, nan } = readGroups(samples, fn, nanPolicyOf(fn, options));
  if (nan) return { ...NAN };
  const k = groups.length,
    N = groups.reduce((s, g) => s + g.length, 0);
  if (N <= k) throw new SampleSizeError(`${fn}: samples hold ${N} values in ${k} groups; the test needs more values than groups`);
  // offset by the grand mean for accuracy, as scipy
  const grand = groups.reduce((s, g) => s + g.reduce((a, b) => a + b, 0), 0) / N;
  let ssb = 0,
    ssw = 0;
  for (const g of groups) {
    const m = meanOf(g);
    ssb += g.length * (m - grand) ** 2;
    for (const v of g) ssw += (v - m) ** 2;
  }
  const constant = groups.every((g) => g.every((v) => v === g[0]));
  return fOfSums(ssb, ssw, k, N, constant, constant && groups.every((g) => g[0] === groups[0][0]));
}

/** F and its p-value from the sums of squares, with scipy's conventions for constant groups. */
function fOfSums(ssb: number, ssw: number, k: number, N: number, allConstant: boolean, allEqual: boolean): TestResult {
  if (allConstant) return allEqual ? { ...NAN } : { statistic: Infinity, pvalue: 0 };
  const f = ssb / (k - 1) / (ssw / (N - k));
  return { statistic: f, pvalue: fSf(f, k - 1, N - k) };
}

function groupStatsBlock(
  values: Float64Array,
  codes: Int32Array,
  from: number,
  to: number,
  count: Float64Array,
  sum: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const g = codes[i],
      v = values[i];
    if (g < 0 || v !== v) continue;
    count[g]++;
    sum[g] += v;
    if (v < lo[g]) lo[g] = v;
    if (v > hi[g]) hi[g] = v;
  }
}

function withinBlock(values: Float64Array, codes: Int32Array, from: number, to: number, count: Float64Array, mean: Float64Array, st: Float64Array): void {
  let ssw = st[0];
  for (let i = from; i < to; i++) {
    const g = codes[i],
      v = values[i];
    if (g < 0 || v !== v || count[g] < 2) continue;
    ssw += (v - mean[g]) ** 2;
  }
  st[0] = ssw;
}

/**
 * fOneway over one column split by group codes (code −1 and NaN values left out; groups with
 * fewer than two values dropped, as the profile does), without copying the groups out: two passes
 * over the rows. Equal to fOneway on the same groups up to rounding; undefined when fewer than two groups remain.
 */
export function fOnewayByCode(values: Float64Array, codes: Int32Array, groups: number): TestResult | undefined {
  const count = new Float64Array(groups),
    sum = new Float64Array(groups),
    lo = new Float64Array(groups).fill(Infinity),
    hi = new Float64Array(groups).fill(-Infinity);
  for (let b = 0; b < values.length; b += PASS_BLOCK) groupStatsBlock(values, codes, b, blockEnd(b, values.length), count, sum, lo, hi);
  const mean = new Float64Array(groups);
  let k = 0,
    N = 0,
    total = 0;
  for (let g = 0; g < groups; g++) {
    if (count[g] < 2) continue;
    mean[g] = sum[g] / count[g];
    k++;
    N += count[g];
    total += sum[g];
  }
  if (k < 2) return undefined;
  const st = new Float64Array(1);
  for (let b = 0; b < values.length; b += PASS_BLOCK) withinBlock(values, codes, b, blockEnd(b, values.length), count, mean, st);
  const ssw = st[0];
  const grand = total / N;
  let ssb = 0,
    allConstant = true,
    first = NaN;
  for (let g = 0; g < groups; g++) {
    if (count[g] < 2) continue;
    ssb += count[g] * (mean[g] - grand) ** 2;
    allConstant &&= lo[g] === hi[g];
    if (first !== first) first = lo[g];
  }
  let allEqual = allConstant;
  for (let g = 0; g < groups && allEqual; g++) if (count[g] >= 2) allEqual = lo[g] === first;
  return fOfSums(ssb, ssw, k, N, allConstant, allEqual);
}

export interface LeveneOptions extends NanOptions {
  /** The centre of each group: 'median' (Brown–Forsythe, scipy's default), 'mean' (Levene's original) or 'trimmed'. Default: 'median'. */
  center?: 'mean' | 'median' | 'trimmed';
  /** For center 'trimmed': the share cut from each end of each sorted group. Default: 0.05. */
  proportiontocut?: number;
}

/** scipy.stats.levene: the test that all groups have equal variances, robust to non-normality. */
export function levene(samples: readonly Sample[], options: LeveneOptions = {}): TestResult {
  const fn = 'levene';
  const center = oneOfOption(fn, 'center', options.center, ['mean', 'median', 'trimmed'] as const, 'median');
  let { groups, nan } = readGroups(samples, fn, nanPolicyOf(fn, options));
  if (nan) return { ...NAN };
  if (center === 'trimmed') {
    const cut = options.proportiontocut ?? 0.05;
    groups = groups.map((g) => {
      const s = sortedCopy(g);
      const lo = Math.floor(cut * s.length);
      return s.slice(lo, s.length - lo);
    });
  }
  const k = groups.length,
    N = groups.reduce((s, g) => s + g.length, 0);
  if (N <= k) throw new SampleSizeError(`${fn}: samples hold ${N} values in ${k} groups; the test needs more values than groups`);
  const z = groups.map((g) => {
    const c = center === 'median' ? quantileSorted(sortedCopy(g), 0.5) : meanOf(g);
    return Float64Array.from(g, (v) => Math.abs(v - c));
  });
  const zbari = z.map(meanOf);
  const zbar = zbari.reduce((s, m, i) => s + m * z[i].length, 0) / N;
  let numer = 0,
    dvar = 0;
  z.forEach((zi, i) => {
    numer += zi.length * (zbari[i] - zbar) ** 2;
    for (const v of zi) dvar += (v - zbari[i]) ** 2;
  });
  const w = ((N - k) * numer) / ((k - 1) * dvar);
  return { statistic: w, pvalue: fSf(w, k - 1, N - k) };
}

/** scipy.stats.bartlett: the test of equal variances for normal samples (each needs 2 values). */
export function bartlett(samples: readonly Sample[], options: NanOptions = {}): TestResult {
  const fn = 'bartlett';
  const { groups, nan } = readGroups(samples, fn, nanPolicyOf(fn, options), 2);
  if (nan) return { ...NAN };
  const k = groups.length;
  const n = groups.map((g) => g.length),
    N = n.reduce((a, b) => a + b, 0);
  const ssq = groups.map((g) => {
    const m = meanOf(g);
    let s = 0;
    for (const v of g) s += (v - m) ** 2;
    return s / (g.length - 1);
  });
  const spsq = ssq.reduce((s, v, i) => s + (n[i] - 1) * v, 0) / (N - k);
  const numer = (N - k) * Math.log(spsq) - ssq.reduce((s, v, i) => s + (n[i] - 1) * Math.log(v), 0);
  const denom = 1 + (1 / (3 * (k - 1))) * (n.reduce((s, ni) => s + 1 / (ni - 1), 0) - 1 / (N - k));
  const t = numer / denom;
  return { statistic: t, pvalue: chi2Sf(t, k - 1) };
}

/**
 * scipy.stats.kruskal: H on average ranks over all groups, divided by the tie correction; p from
 * chi2(k − 1). All values identical is refused (E_PARAM), as scipy.
 */
export function kruskal(samples: readonly Sample[], options: NanOptions = {}): TestResult {
  const fn = 'kruskal';
  const { groups, nan } = readGroups(samples, fn, nanPolicyOf(fn, options));
  if (nan) return { ...NAN };
  const all = new Float64Array(groups.reduce((s, g) => s + g.length, 0));
  let o = 0;
  for (const g of groups) {
    all.set(g, o);
    o += g.length;
  }
  const N = all.length;
  const ties = tieCorrection(all);
  if (ties === 0) throw new ParamError(`${fn}: all values are identical; the ranks carry no information`);
  const ranks = rankdata(all);
  let h = 0;
  o = 0;
  for (const g of groups) {
    let r = 0;
    for (let i = 0; i < g.length; i++) r += ranks[o + i];
    h += (r * r) / g.length;
    o += g.length;
  }
  h = ((12 / (N * (N + 1))) * h - 3 * (N + 1)) / ties;
  return { statistic: h, pvalue: chi2Sf(h, groups.length - 1) };
}
