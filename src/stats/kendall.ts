/**
 * Kendall's tau (scipy.stats.kendalltau): tau-b (or tau-c) in O(n log n) — pairs sorted by x
 * then y, discordant pairs counted as inversions by a merge sort (Knight's algorithm).
 *
 * p-value, scipy 1.10's method 'auto': the exact null distribution (permutations of n counted by
 * inversions) when there are no ties and n ≤ 33 or the discordant count is 0 or 1 (or its
 * complement), else the normal approximation of concordant − discordant with the tie-corrected
 * variance of Kendall (1970). 'exact' with ties is refused, as in scipy.
 */
import { ParamError } from '../core/errors.js';
import { zPvalue } from './dist.js';
import { type Alternative, alternativeOf, nanPolicyOf, oneOfOption, readPaired, requireSize, type Sample, type TestOptions } from './sample.js';
import type { TestResult } from './correlation.js';

export interface KendallOptions extends TestOptions {
  /** 'b' (ties adjusted, scipy's default) or 'c' (Stuart's, for rectangular tables). Default: 'b'. */
  variant?: 'b' | 'c';
  /** How the p-value is computed: 'auto' picks as scipy 1.10 (see the file comment). Default: 'auto'. */
  method?: 'auto' | 'asymptotic' | 'exact';
}

/** Σ t(t−1)/2, Σ t(t−1)(t−2), Σ t(t−1)(2t+5) over the runs of equal values in `sorted`. */
function tieSums(sorted: Float64Array): [number, number, number] {
  let a = 0,
    b = 0,
    c = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const t = j - i;
    a += (t * (t - 1)) / 2;
    b += t * (t - 1) * (t - 2);
    c += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  return [a, b, c];
}

/** Sorts `v` in place (merge sort) and returns the number of strict inversions (i < j, v[i] > v[j]). */
function countInversions(v: Float64Array): number {
  const n = v.length;
  let buf: Float64Array = new Float64Array(n),
    src: Float64Array = v,
    swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n),
        hi = Math.min(lo + 2 * width, n);
      let i = lo,
        j = mid,
        k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) {
          swaps += mid - i;
          buf[k++] = src[j++];
        } else buf[k++] = src[i++];
      }
      while (i < mid) buf[k++] = src[i++];
      while (j < hi) buf[k++] = src[j++];
    }
    [src, buf] = [buf, src];
  }
  if (src !== v) v.set(src);
  return swaps;
}

/**
 * P(C ≤ c) and P(C = c) for the number of inversions C of a uniformly random permutation of n
 * (the null distribution of the concordant count without ties), by the recurrence over n with
 * a sliding window; each step divides by j, so the values stay probabilities.
 */
function inversionTail(n: number, c: number): { cdf: number; pmf: number } {
  let f = new Float64Array(c + 1);
  f[0] = 1;
  for (let j = 2; j <= n; j++) {
    const g = new Float64Array(c + 1);
    let window = 0;
    for (let k = 0; k <= c; k++) {
      window += f[k];
      if (k - j >= 0) window -= f[k - j];
      g[k] = window / j;
    }
    f = g;
  }
  let cdf = 0;
  for (let k = 0; k <= c; k++) cdf += f[k];
  return { cdf, pmf: f[c] };
}

/** scipy's exact Kendall p-value from n and the concordant count (no ties). */
function exactPvalue(n: number, concordant: number, alternative: Alternative): number {
  const tot = (n * (n - 1)) / 2;
  const inRightTail = concordant >= tot - concordant;
  const c = Math.min(concordant, tot - concordant);
  const { cdf, pmf } = inversionTail(n, c);
  let p: number;
  if (alternative === 'two-sided') p = 4 * c === n * (n - 1) ? 1 : 2 * cdf;
  else p = inRightTail === (alternative === 'greater') ? cdf : 1 - cdf + pmf;
  return Math.min(1, Math.max(0, p));
}

/** scipy.stats.kendalltau: Kendall's tau-b (or tau-c) and its p-value. A constant input gives NaN. */
export function kendalltau(x: Sample, y: Sample, options: KendallOptions = {}): TestResult {
  const fn = 'kendalltau';
  const alt = alternativeOf(fn, options);
  const variant = oneOfOption(fn, 'variant', options.variant, ['b', 'c'] as const, 'b');
  const method = oneOfOption(fn, 'method', options.method, ['auto', 'asymptotic', 'exact'] as const, 'auto');
  const p = readPaired(x, y, fn, ['x', 'y'], nanPolicyOf(fn, options));
  if (p.nan) return { statistic: NaN, pvalue: NaN };
  const n = p.x.length;
  requireSize(n, 2, fn, 'x', 'a correlation needs two pairs');
  // order by x, then y: pairs tied in x are then never counted as discordant
  const byX = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => p.x[a] - p.x[b] || p.y[a] - p.y[b]);
  const xs = Float64Array.from(byX, (i) => p.x[i]),
    ys = Float64Array.from(byX, (i) => p.y[i]);
  let ntie = 0; // pairs tied in both x and y
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && xs[j] === xs[i] && ys[j] === ys[i]) j++;
    ntie += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const [xtie, x0, x1] = tieSums(xs);
  const dis = countInversions(ys); // ys is now sorted
  const [ytie, y0, y1] = tieSums(ys);
  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return { statistic: NaN, pvalue: NaN };
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  let tau: number;
  if (variant === 'b') tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  else {
    const m = Math.min(new Set(p.x).size, new Set(p.y).size);
    tau = (2 * conMinusDis) / ((n * n * (m - 1)) / m);
  }
  tau = Math.max(-1, Math.min(1, tau));
  const ties = xtie !== 0 || ytie !== 0;
  if (method === 'exact' && ties) throw new ParamError(`${fn}: method 'exact' needs samples without ties; use 'asymptotic' or 'auto'`);
  const exact = method === 'exact' || (method === 'auto' && !ties && (n <= 33 || Math.min(dis, tot - dis) <= 1));
  if (exact) return { statistic: tau, pvalue: exactPvalue(n, tot - dis, alt) };
  const m = n * (n - 1);
  const variance = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + (x0 * y0) / (9 * m * (n - 2));
  return { statistic: tau, pvalue: zPvalue(conMinusDis / Math.sqrt(variance), alt) };
}
