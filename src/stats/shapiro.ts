/**
 * The Shapiro–Wilk test (scipy.stats.shapiro), written from Royston's algorithm AS R94 (Applied
 * Statistics 44(4), 1995): polynomial approximations of the coefficients a_i from normal
 * order-statistic scores, W as the squared correlation of the sorted sample with them, and a
 * normalising transform of W for the p-value. scipy runs it in single precision (Fortran REAL) on
 * the sample centred at its median; kiln does the same, rounding every step to f32 in the
 * algorithm's order (Math.fround), because the p-value magnifies W's rounding: in f64 it
 * differs from scipy's by up to 3e-4 relative, with f32 steps by ~1e-6.
 */
import { normPpf, normSf } from './dist.js';
import { type NanOptions, nanPolicyOf, readSample, requireSize, type Sample } from './sample.js';
import type { TestResult } from './correlation.js';
import { sortedCopy } from '../ops/sort.js';

// Royston (1995), Table 1 and the p-value approximations
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];

const f = Math.fround;

/** AS R94's POLY in single precision: c0 + (…((c_{k−1}·x + c_{k−2})·x + …)·x), in its order of operations. */
function poly(c: readonly number[], x: number): number {
  const k = c.length;
  if (k === 1) return f(c[0]);
  let p = f(x * f(c[k - 1]));
  for (let j = k - 2; j >= 1; j--) p = f(f(p + f(c[j])) * x);
  return f(f(c[0]) + p);
}

/** The n/2 coefficients a_1 ≥ a_2 ≥ … of the lower half (the upper half mirrors them with the sign flipped). */
function coefficients(n: number): Float32Array {
  const half = Math.floor(n / 2);
  const a = new Float32Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
    return a;
  }
  const an25 = f(n + 0.25);
  const m = new Float32Array(half);
  let summ2 = 0;
  for (let i = 0; i < half; i++) {
    m[i] = normPpf(f(f(i + 1 - 0.375) / an25)); // negative: the lower half's scores
    summ2 = f(summ2 + f(m[i] * m[i]));
  }
  summ2 = f(summ2 * 2);
  const ssumm2 = f(Math.sqrt(summ2)),
    rsn = f(1 / f(Math.sqrt(n)));
  const a1 = f(poly(C1, rsn) - f(m[0] / ssumm2));
  let first: number, fac: number;
  if (n > 5) {
    const a2 = f(f(-m[1] / ssumm2) + poly(C2, rsn));
    fac = f(Math.sqrt(f(f(f(summ2 - f(2 * f(m[0] * m[0]))) - f(2 * f(m[1] * m[1]))) / f(f(1 - f(2 * f(a1 * a1))) - f(2 * f(a2 * a2))))));
    a[1] = a2;
    first = 2;
  } else {
    fac = f(Math.sqrt(f(f(summ2 - f(2 * f(m[0] * m[0]))) / f(1 - f(2 * f(a1 * a1))))));
    first = 1;
  }
  a[0] = a1;
  for (let i = first; i < half; i++) a[i] = f(-m[i] / fac);
  return a;
}

/** p-value of W for sample size n (Royston 1995, eqs. for n = 3, 4–11 and ≥ 12). */
function pvalueOfW(w: number, w1: number, n: number): number {
  if (n === 3) return Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3));
  let y = f(Math.log(w1));
  let mean: number, sd: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return 1e-99; // W far below anything the approximation covers
    y = f(-Math.log(f(gamma - y)));
    mean = poly(C3, n);
    sd = f(Math.exp(poly(C4, n)));
  } else {
    const ln = f(Math.log(n));
    mean = poly(C5, ln);
    sd = f(Math.exp(poly(C6, ln)));
  }
  return f(normSf(f(f(y - mean) / sd)));
}

/**
 * scipy.stats.shapiro: W and its p-value (n ≥ 3). A constant sample gives W = 1, p = 1 (scipy's
 * result, with its warning); scipy warns that p may be inaccurate above 5000 values.
 */
export function shapiro(x: Sample, options: NanOptions = {}): TestResult {
  const fn = 'shapiro';
  const r = readSample(x, fn, 'x', nanPolicyOf(fn, options));
  if (r.nan) return { statistic: NaN, pvalue: NaN };
  const n = r.values.length;
  requireSize(n, 3, fn, 'x');
  // as scipy: centre at the median, sort, then single precision throughout (Fortran REAL)
  const sorted = sortedCopy(r.values);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const s = Float32Array.from(sorted, (v) => v - median);
  const range = f(s[n - 1] - s[0]);
  if (range === 0) return { statistic: 1, pvalue: 1 };
  const a = coefficients(n);
  const half = a.length;
  // the coefficient of the i-th order statistic: −a_i in the lower half, +a_{n−1−i} in the upper, 0 at an odd middle
  const coef = (i: number) => (i < half ? -a[i] : i >= n - half ? a[n - 1 - i] : 0);
  let sa = 0,
    sx = 0;
  for (let i = 0; i < n; i++) {
    sa = f(sa + coef(i));
    sx = f(sx + f(s[i] / range));
  }
  sa = f(sa / n);
  sx = f(sx / n);
  let ssa = 0,
    ssx = 0,
    sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = f(coef(i) - sa),
      xsx = f(f(s[i] / range) - sx);
    ssa = f(ssa + f(asa * asa));
    ssx = f(ssx + f(xsx * xsx));
    sax = f(sax + f(asa * xsx));
  }
  const ssassx = f(Math.sqrt(f(ssa * ssx)));
  const w1 = f(f(f(ssassx - sax) * f(ssassx + sax)) / f(ssa * ssx));
  const w = f(1 - w1);
  return { statistic: w, pvalue: pvalueOfW(w, w1, n) };
}
