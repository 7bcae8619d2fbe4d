/**
 * The Kolmogorov–Smirnov distributions, which stdlib does not have, written from the papers:
 * - smirnovSf(n, d): P(D⁺ₙ ≥ d), the exact one-sided law (Birnbaum & Tingey 1951), summed in logs;
 * - kolmogorovSf(x): the limiting law of √n·Dₙ (Kolmogorov 1933), by its two classical series;
 * - kstwoSf(n, d): P(Dₙ ≥ d) for the two-sided statistic, choosing among exact methods as
 *   scipy 1.10's kstwo (Simard & L'Ecuyer 2011): the Ruben–Gambino closed forms at the ends,
 *   2·smirnov where the two tails cannot overlap or overlap negligibly, and otherwise the Durbin
 *   matrix of Marsaglia, Tsang & Wang (2003), which is exact (scipy uses Pomeranz's equally exact
 *   recursion for part of that range, and the Pelz–Good asymptotic series for n > 140 where the
 *   matrix would be large; there, when the matrix exceeds 401 × 401, kiln uses the limiting law).
 */
import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import gammaln from '@stdlib/math-base-special-gammaln';

/** Exact P(D⁺ₙ ≥ d) = d Σ_{j ≤ n(1−d)} C(n, j) (d + j/n)^{j−1} (1 − d − j/n)^{n−j}. */
export function smirnovSf(n: number, d: number): number {
  if (Number.isNaN(d)) return NaN;
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const jmax = Math.floor(n * (1 - d) + 1e-12);
  let s = 0;
  for (let j = 0; j <= jmax; j++) {
    const rest = 1 - d - j / n;
    if (rest <= 0 && n - j > 0) continue;
    const lt = binomcoefln(n, j) + (j - 1) * Math.log(d + j / n) + (n - j > 0 ? (n - j) * Math.log(rest) : 0);
    s += Math.exp(lt);
  }
  return Math.min(1, Math.max(0, d * s));
}

/** The limiting Kolmogorov survival function P(K > x) (scipy.special.kolmogorov, kstwobign.sf). */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x < 1) {
    // CDF = √(2π)/x Σ exp(−(2k−1)² π² / (8x²)), accurate for small x
    let s = 0;
    for (let k = 1; k < 20; k++) s += Math.exp((-((2 * k - 1) ** 2) * Math.PI * Math.PI) / (8 * x * x));
    return 1 - (Math.sqrt(2 * Math.PI) / x) * s;
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * x * x);
    s += (k % 2 ? 1 : -1) * t;
    if (t < 1e-300) break;
  }
  return Math.max(0, Math.min(1, 2 * s));
}

/** Product of two m × m matrices (row-major). */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] += aik * b[k * m + j];
    }
  return c;
}

/** Hⁿ with a power-of-10 exponent kept aside (entries would overflow). */
function matpow(h: Float64Array, m: number, n: number): { q: Float64Array; e: number } {
  if (n === 1) return { q: h, e: 0 };
  const half = matpow(h, m, Math.floor(n / 2));
  let q = matmul(half.q, half.q, m),
    e = 2 * half.e;
  if (n % 2 === 1) q = matmul(h, q, m);
  const mid = Math.floor(m / 2) * (m + 1);
  if (q[mid] > 1e140) {
    for (let i = 0; i < q.length; i++) q[i] *= 1e-140;
    e += 140;
  }
  return { q, e };
}

/** P(Dₙ < d) by the Durbin matrix (Marsaglia, Tsang & Wang 2003, their algorithm in f64). */
export function durbinCdf(n: number, d: number): number {
  const k = Math.floor(n * d) + 1,
    m = 2 * k - 1,
    h = k - n * d;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  for (let i = 0; i < m; i++) {
    H[i * m] -= h ** (i + 1);
    H[(m - 1) * m + i] -= h ** (m - i);
  }
  if (2 * h - 1 > 0) H[(m - 1) * m] += (2 * h - 1) ** m;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i - j + 1 > 0) H[i * m + j] /= Math.exp(gammaln(i - j + 2));
  const { q, e } = matpow(H, m, n);
  let s = q[(k - 1) * m + (k - 1)],
    eq = e;
  for (let i = 1; i <= n; i++) {
    s = (s * i) / n;
    if (s < 1e-140) {
      s *= 1e140;
      eq -= 140;
    }
  }
  return s * 10 ** eq;
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/** P(Dₙ ≥ d) for the two-sided one-sample statistic (scipy's kstwo.sf; see the file comment). */
export function kstwoSf(n: number, d: number): number {
  if (Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben–Gambino: P(D < d) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ d ≤ 1/n
    const cdf = Math.exp(gammaln(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - d) ** n);
  if (d >= 0.5) return clip(2 * smirnovSf(n, d));
  const nx2 = t * d;
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - durbinCdf(n, d));
    return clip(2 * smirnovSf(n, d));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, d));
  if (2 * (Math.floor(n * d) + 1) - 1 <= 401) return clip(1 - durbinCdf(n, d));
  return kolmogorovSf(Math.sqrt(n) * d);
}
