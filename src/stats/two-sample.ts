/**
 * Two- and k-sample tests of "same distribution" beyond KS, as scipy 1.10 computes them:
 * andersonKsamp (Scholz & Stephens' k-sample Anderson–Darling, midrank version by default, its
 * p-value interpolated from their table and capped to [0.001, 0.25] as scipy does),
 * cramervonmises2samp (Anderson's two-sample criterion; exact p-value for samples of at most 20
 * by Xiao, Gordon & Yakovlev's frequency recursion, else the limiting law of Csörgő & Faraway)
 * and eppsSingleton2samp (empirical characteristic functions at t / semi-IQR, a chi-squared law
 * on the rank of their covariance, the small-sample correction below 25 values).
 */
import { searchSorted } from '../core/numeric.js';
import gammaln from '@stdlib/math-base-special-gammaln';
import { ParamError } from '../core/errors.js';
import { resolveBackendSync } from '../backend/select.js';
import { chi2Sf } from './dist.js';
import { iqr } from './descriptive.js';
import { rankdata } from './rank.js';
import { type NanOptions, nanPolicyOf, oneOfOption, readSample, requireSize, type Sample } from './sample.js';
import { sortedCopy } from '../ops/sort.js';

export interface AndersonKsampResult {
  statistic: number;
  /** Critical values at the significance levels 25, 10, 5, 2.5, 1, 0.5 and 0.1 %. */
  criticalValues: Float64Array;
  /** Interpolated significance level, capped to [0.001, 0.25] (scipy's pvalue / significance_level). */
  pvalue: number;
}

/** Sorted copy. */
const sorted = (v: Float64Array) => sortedCopy(v);

const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** Least-squares quadratic through (x, y) (numpy.polyfit degree 2), as [c2, c1, c0]. */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  // normal equations on the centred x, for conditioning
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const s = [0, 0, 0, 0, 0],
    t = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      s[k] += p;
      if (k < 3) t[k] += p * y[i];
      p *= d;
    }
  }
  // solve [[s0 s1 s2],[s1 s2 s3],[s2 s3 s4]] c = t by Cramer's rule (3 × 3)
  const det3 = (a: number[][]) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const A = [
    [s[0], s[1], s[2]],
    [s[1], s[2], s[3]],
    [s[2], s[3], s[4]],
  ];
  const D = det3(A);
  const col = (j: number) => det3(A.map((row, i) => row.map((v, k) => (k === j ? t[i] : v)))) / D;
  const [a0, a1, a2] = [col(0), col(1), col(2)]; // y = a0 + a1 d + a2 d², d = x − m
  return [a2, a1 - 2 * a2 * m, a0 - a1 * m + a2 * m * m];
}

/** scipy.stats.anderson_ksamp: are the k samples drawn from one distribution? */
export function andersonKsamp(samples: readonly Sample[], options: NanOptions & { midrank?: boolean } = {}): AndersonKsampResult {
  const fn = 'andersonKsamp';
  if (!Array.isArray(samples) || samples.length < 2) throw new ParamError(`${fn}: samples must be a list of at least two samples`);
  const policy = nanPolicyOf(fn, options);
  const read = samples.map((s, i) => readSample(s, fn, `samples[${i}]`, policy));
  const k = read.length;
  if (read.some((r) => r.nan)) return { statistic: NaN, criticalValues: new Float64Array(7).fill(NaN), pvalue: NaN };
  read.forEach((r, i) => requireSize(r.values.length, 1, fn, `samples[${i}]`));
  const parts = read.map((r) => sorted(r.values));
  const n = parts.map((p) => p.length);
  const Z = sorted(Float64Array.from(parts.flatMap((p) => Array.from(p))));
  const N = Z.length;
  const Zstar = Z.filter((v, i) => i === 0 || v !== Z[i - 1]);
  if (Zstar.length < 2) throw new ParamError(`${fn}: all values are equal; the test needs more than one distinct observation`);
  let A2kN = 0;
  if (options.midrank ?? true) {
    // Scholz & Stephens eq. 7 (ties at midranks)
    const left = Zstar.map((z) => searchSorted(Z, z, 'left'));
    const lj = Zstar.map((z, j) => searchSorted(Z, z, 'right') - left[j]);
    for (let i = 0; i < k; i++) {
      let inner = 0;
      for (let j = 0; j < Zstar.length; j++) {
        const Bj = left[j] + lj[j] / 2;
        const fij = searchSorted(parts[i], Zstar[j], 'right') - searchSorted(parts[i], Zstar[j], 'left');
        const Mij = searchSorted(parts[i], Zstar[j], 'right') - fij / 2;
        inner += ((lj[j] / N) * (N * Mij - Bj * n[i]) ** 2) / (Bj * (N - Bj) - (N * lj[j]) / 4);
      }
      A2kN += inner / n[i];
    }
    A2kN *= (N - 1) / N;
  } else {
    // eq. 6 (right-continuous ECDFs), over all distinct values but the last
    let B = 0;
    const lj: number[] = [],
      Bj: number[] = [];
    for (let j = 0; j < Zstar.length - 1; j++) {
      const l = searchSorted(Z, Zstar[j], 'right') - searchSorted(Z, Zstar[j], 'left');
      B += l;
      lj.push(l);
      Bj.push(B);
    }
    for (let i = 0; i < k; i++) {
      let inner = 0;
      for (let j = 0; j < lj.length; j++) {
        const Mij = searchSorted(parts[i], Zstar[j], 'right');
        inner += ((lj[j] / N) * (N * Mij - Bj[j] * n[i]) ** 2) / (Bj[j] * (N - Bj[j]));
      }
      A2kN += inner / n[i];
    }
  }
  const H = n.reduce((a, m) => a + 1 / m, 0);
  // h = Σ_{i=1}^{N-1} 1/i; g = Σ_{i=1}^{N-2} Σ_{j=i+1}^{N-1} 1 / ((N − i) j), as scipy's cumulative sums
  let hs = 0,
    g = 0;
  for (let m = N - 1, idx = 2; m > 1; m--, idx++) {
    hs += 1 / m;
    g += hs / idx;
  }
  const h = hs + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k * k - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const A2 = (A2kN - m) / Math.sqrt(sigmasq);
  const critical = Float64Array.from(B0, (b0, i) => b0 + B1[i] / Math.sqrt(m) + B2[i] / m);
  let p: number;
  if (A2 < Math.min(...critical)) p = 0.25;
  else if (A2 > Math.max(...critical)) p = 0.001;
  else {
    const [c2, c1, c0] = quadraticFit(Array.from(critical), SIG.map(Math.log));
    p = Math.exp(c2 * A2 * A2 + c1 * A2 + c0);
  }
  return { statistic: A2, criticalValues: critical, pvalue: p };
}

/** K_ν(x), the modified Bessel function of the second kind, by the trapezoid rule on ∫₀^∞ e^{−x cosh t} cosh(νt) dt (spectrally accurate: the integrand is analytic and decays doubly exponentially). */
function besselK(nu: number, x: number): number {
  const h = 0.02;
  let sum = 0.5 * Math.exp(-x);
  for (let t = h; ; t += h) {
    const e = -x * Math.cosh(t);
    const term = Math.exp(e) * Math.cosh(nu * t);
    sum += term;
    if (e < -745 || term < sum * 1e-18) break;
  }
  return sum * h;
}

/** The limiting CDF of the Cramér–von Mises statistic (Csörgő & Faraway 1996, eq. 1.2), summed until a term is below 1e-7, as scipy. */
function cvmLimitCdf(x: number): number {
  let tot = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(gammaln(k + 0.5) - gammaln(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const z = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    tot += z;
    if (Math.abs(z) < 1e-7) return tot;
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** P(U >= s) under H0 for sample sizes m and n: the frequency recursion of Xiao, Gordon & Yakovlev (2006). */
function cvmExactSf(s: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m,
    b = lcm / n;
  const mn = m * n;
  const zeta = Math.floor((lcm * lcm * (m + n) * (6 * s - mn * (4 * mn - 1))) / (6 * mn * mn));
  // gs[v]: value → number of lattice paths reaching column v with that partial sum
  let gs: Map<number, number>[] = [new Map([[0, 1]]), ...Array.from({ length: m }, () => new Map<number, number>())];
  for (let u = 0; u <= n; u++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      const merged = new Map(tmp);
      for (const [val, f] of gs[v]) merged.set(val, (merged.get(val) ?? 0) + f);
      const d = (a * v - b * u) ** 2;
      tmp = new Map<number, number>();
      for (const [val, f] of merged) tmp.set(val + d, f);
      next.push(tmp);
    }
    gs = next;
  }
  let hit = 0,
    all = 0;
  for (const [val, f] of gs[m]) {
    all += f;
    if (val >= zeta) hit += f;
  }
  return hit / all;
}

export interface CramervonmisesResult {
  statistic: number;
  pvalue: number;
}

/** scipy.stats.cramervonmises_2samp: 'auto' is exact when both samples have at most 20 values. */
export function cramervonmises2samp(x: Sample, y: Sample, options: NanOptions & { method?: 'auto' | 'exact' | 'asymptotic' } = {}): CramervonmisesResult {
  const fn = 'cramervonmises2samp';
  let method = oneOfOption(fn, 'method', options.method, ['auto', 'exact', 'asymptotic'] as const, 'auto');
  const policy = nanPolicyOf(fn, options);
  const rx = readSample(x, fn, 'x', policy),
    ry = readSample(y, fn, 'y', policy);
  if (rx.nan || ry.nan) return { statistic: NaN, pvalue: NaN };
  const xa = sorted(rx.values),
    ya = sorted(ry.values);
  requireSize(xa.length, 2, fn, 'x');
  requireSize(ya.length, 2, fn, 'y');
  const nx = xa.length,
    ny = ya.length;
  if (method === 'auto') method = Math.max(nx, ny) > 20 ? 'asymptotic' : 'exact';
  const pooled = new Float64Array(nx + ny);
  pooled.set(xa);
  pooled.set(ya, nx);
  const r = rankdata(pooled);
  let u = 0,
    v = 0;
  for (let i = 0; i < nx; i++) u += (r[i] - (i + 1)) ** 2;
  for (let j = 0; j < ny; j++) v += (r[nx + j] - (j + 1)) ** 2;
  const U = nx * u + ny * v;
  const k = nx * ny,
    N = nx + ny;
  const t = U / (k * N) - (4 * k - 1) / (6 * N);
  let p: number;
  if (method === 'exact') p = cvmExactSf(U, nx, ny);
  else {
    const et = (1 + 1 / N) / 6;
    const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
    const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
    p = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn));
  }
  return { statistic: t, pvalue: p };
}

export interface EppsSingletonResult {
  statistic: number;
  pvalue: number;
}

/** scipy.stats.epps_singleton_2samp: t are the points of the characteristic functions, scaled by the pooled semi-IQR. */
export function eppsSingleton2samp(x: Sample, y: Sample, options: NanOptions & { t?: readonly number[] } = {}): EppsSingletonResult {
  const fn = 'eppsSingleton2samp';
  const t = options.t ?? [0.4, 0.8];
  if (!Array.isArray(t) || t.length === 0 || t.some((v) => !(typeof v === 'number' && v > 0 && Number.isFinite(v)))) {
    throw new ParamError(`${fn}: t must be a non-empty list of positive numbers, got ${JSON.stringify(options.t)}`);
  }
  const policy = nanPolicyOf(fn, options);
  const rx = readSample(x, fn, 'x', policy),
    ry = readSample(y, fn, 'y', policy);
  if (rx.nan || ry.nan) return { statistic: NaN, pvalue: NaN };
  const xs = rx.values,
    ys = ry.values;
  requireSize(xs.length, 5, fn, 'x');
  requireSize(ys.length, 5, fn, 'y');
  for (const [v, name] of [
    [xs, 'x'],
    [ys, 'y'],
  ] as const) {
    const bad = v.findIndex((e) => !Number.isFinite(e));
    if (bad >= 0) throw new ParamError(`${fn}: ${name}[${bad}] is ${v[bad]}; the test takes finite values only`);
  }
  const nx = xs.length,
    ny = ys.length,
    n = nx + ny;
  const pooled = new Float64Array(n);
  pooled.set(xs);
  pooled.set(ys, nx);
  const sigma = iqr(pooled) / 2;
  if (!(sigma > 0))
    throw new ParamError(`${fn}: the pooled sample's inter-quartile range is 0, so t cannot be scaled by it; the test is undefined for such data`);
  const ts = t.map((v) => v / sigma);
  const p = 2 * ts.length;
  /** Mean and biased covariance of g(v) = (cos(ts v), sin(ts v)). */
  const moments = (v: Float64Array) => {
    const mean = new Float64Array(p),
      cov = new Float64Array(p * p);
    const g = new Float64Array(p);
    for (const e of v) {
      for (let j = 0; j < ts.length; j++) {
        g[j] = Math.cos(ts[j] * e);
        g[ts.length + j] = Math.sin(ts[j] * e);
      }
      for (let a = 0; a < p; a++) {
        mean[a] += g[a];
        for (let b = 0; b < p; b++) cov[a * p + b] += g[a] * g[b];
      }
    }
    for (let a = 0; a < p; a++) mean[a] /= v.length;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) cov[a * p + b] = cov[a * p + b] / v.length - mean[a] * mean[b];
    return { mean, cov };
  };
  const mx = moments(xs),
    my = moments(ys);
  const est = Float64Array.from(mx.cov, (c, i) => (n / nx) * c + (n / ny) * my.cov[i]);
  // pseudo-inverse through the symmetric eigen-decomposition (numpy's pinv: singular values below 1e-15 × the largest dropped)
  const { values, vectors } = resolveBackendSync(undefined, fn).linalg.symEigSync(est, p);
  const top = Math.max(...Array.from(values, Math.abs));
  const inv = new Float64Array(p * p);
  let rank = 0;
  for (let e = 0; e < p; e++) {
    if (!(Math.abs(values[e]) > 1e-15 * top)) continue;
    rank++;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) inv[a * p + b] += (vectors[e * p + a] * vectors[e * p + b]) / values[e];
  }
  let w = 0;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) w += (mx.mean[a] - my.mean[a]) * inv[a * p + b] * (mx.mean[b] - my.mean[b]);
  w *= n;
  if (Math.max(nx, ny) < 25) w *= 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
  return { statistic: w, pvalue: chi2Sf(w, rank) };
}
