/**
 * Central moments of a column in two passes (the mean first, then the powers of deviations), as
 * scipy computes them. Shared by the statistics room (skew, kurtosis, moment) and Frame.describe,
 * which sit on the same layer and may not import each other.
 */
import { blockEnd, PASS_BLOCK } from './passes.js';

export interface CentralMoments {
  /** Number of values used (NaNs skipped). */
  n: number;
  mean: number;
  /** Sum of squared deviations Σ(x − mean)² (m2 · n before the division). */
  ss: number;
  /** Population (biased) central moments: mean of (x − mean)^k. */
  m2: number;
  m3: number;
  m4: number;
}

/** Adds the block's non-NaN values and their count to st[0] and st[1]. */
function sumBlock(v: ArrayLike<number>, lo: number, hi: number, st: Float64Array): void {
  let s = st[0],
    n = st[1];
  for (let i = lo; i < hi; i++) {
    const x = v[i];
    if (x === x) {
      s += x;
      n++;
    }
  }
  st[0] = s;
  st[1] = n;
}

/** Adds the block's powers 2–4 of the deviations from mean to st[0..2] (NaNs skipped). */
function deviationsBlock(v: ArrayLike<number>, lo: number, hi: number, mean: number, st: Float64Array): void {
  let s2 = st[0],
    s3 = st[1],
    s4 = st[2];
  for (let i = lo; i < hi; i++) {
    const x = v[i];
    if (x !== x) continue;
    const d = x - mean,
      d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  st[0] = s2;
  st[1] = s3;
  st[2] = s4;
}

/** Population central moments 2–4 of the non-NaN values; NaN moments when none remain. */
export function centralMoments(v: ArrayLike<number>): CentralMoments {
  const st = new Float64Array(3);
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) sumBlock(v, lo, blockEnd(lo, v.length), st);
  const n = st[1];
  if (n === 0) return { n, mean: NaN, ss: NaN, m2: NaN, m3: NaN, m4: NaN };
  const mean = st[0] / n;
  st.fill(0);
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) deviationsBlock(v, lo, blockEnd(lo, v.length), mean, st);
  const [s2, s3, s4] = st;
  return { n, mean, ss: s2, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

/**
 * scipy's test for a (numerically) constant sample: m2 ≤ (resolution · mean)², with float64's
 * resolution 1e-15. Skew and kurtosis are NaN then.
 */
export function nearlyConstant(m: CentralMoments): boolean {
  return m.m2 <= (1e-15 * m.mean) ** 2;
}

/** Sample skewness: biased m3/m2^1.5, or the adjusted Fisher–Pearson G1 when bias is false (needs n > 2). */
export function skewOf(m: CentralMoments, bias = true): number {
  if (m.n === 0 || nearlyConstant(m)) return NaN;
  const g1 = m.m3 / m.m2 ** 1.5;
  if (bias || m.n <= 2) return g1;
  return (Math.sqrt((m.n - 1) * m.n) / (m.n - 2)) * g1;
}

/** Kurtosis: m4/m2² (Pearson) minus 3 when fisher; bias false applies the unbiased correction (needs n > 3). */
export function kurtosisOf(m: CentralMoments, fisher = true, bias = true): number {
  if (m.n === 0 || nearlyConstant(m)) return NaN;
  let k = m.m4 / (m.m2 * m.m2);
  const n = m.n;
  if (!bias && n > 3) k = (1 / (n - 2) / (n - 3)) * ((n * n - 1) * k - 3 * (n - 1) ** 2) + 3;
  return fisher ? k - 3 : k;
}
