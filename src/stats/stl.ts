/**
 * STL, seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning 1990,
 * J. Official Statistics 6(1)), as statsmodels 0.13's STL with its defaults (every point fitted:
 * jumps of 1). Written from the paper's algorithm: an inner loop of cycle-subseries loess,
 * low-pass filtering of the seasonal (moving averages of period, period, 3, then loess) and a
 * trend loess on the deseasonalised series; with `robust`, an outer loop of bisquare weights from
 * the residuals (6 × median |residual|).
 */
import { ParamError } from '../core/errors.js';
import { readSample, requireSize, type Sample } from './sample.js';
import type { DecomposeResult } from './seasonal.js';
import { sortedCopy } from '../ops/sort.js';

/**
 * Local (degree 0 or 1) tricube-weighted fit at position xs (1-based) from y[nleft..nright]
 * (1-based, inclusive). Returns NaN when every weight is zero.
 */
function loessAt(
  y: Float64Array,
  n: number,
  len: number,
  deg: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
  rw: Float64Array | null,
): number {
  const range = nright - nleft;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h,
    h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    w[j] = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      w[j] = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
      if (rw) w[j] *= rw[j - 1];
      a += w[j];
    }
  }
  if (a <= 0) return NaN;
  for (let j = nleft; j <= nright; j++) w[j] /= a;
  if (h > 0 && deg > 0) {
    let m = 0;
    for (let j = nleft; j <= nright; j++) m += w[j] * j;
    let b = xs - m,
      c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j] * (j - m) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j] *= b * (j - m) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j] * y[j - 1];
  return ys;
}

/** Loess smooth of y (length n) with window len at every point; a failed fit keeps the data value. */
function loess(y: Float64Array, len: number, deg: number, rw: Float64Array | null): Float64Array {
  const n = y.length;
  if (n < 2) return Float64Array.from(y);
  const out = new Float64Array(n),
    w = new Float64Array(n + 1);
  let nleft = 1,
    nright = Math.min(len, n);
  const nsh = Math.floor((len + 1) / 2);
  for (let i = 1; i <= n; i++) {
    if (len < n && i > nsh && nright !== n) {
      nleft++;
      nright++;
    }
    const v = loessAt(y, n, len, deg, i, nleft, nright, w, rw);
    out[i - 1] = Number.isNaN(v) ? y[i - 1] : v;
  }
  return out;
}

/** Moving average of window len: length n − len + 1. */
function movingAverage(x: Float64Array, len: number): Float64Array {
  const out = new Float64Array(x.length - len + 1);
  let v = 0;
  for (let i = 0; i < len; i++) v += x[i];
  out[0] = v / len;
  for (let j = 1; j < out.length; j++) {
    v = v - x[j - 1] + x[j + len - 1];
    out[j] = v / len;
  }
  return out;
}

export interface StlOptions {
  /** Observations per cycle (≥ 2). */
  period: number;
  /** Seasonal smoother length (odd, ≥ 3). Default: 7. */
  seasonal?: number;
  /** Trend smoother length (odd). Default: the smallest odd ≥ 1.5·period / (1 − 1.5/seasonal). */
  trend?: number;
  /** Low-pass smoother length (odd). Default: the smallest odd > period. */
  lowPass?: number;
  /** Degrees (0 or 1) of the seasonal, trend and low-pass loess. Default: 1 each. */
  seasonalDeg?: 0 | 1;
  trendDeg?: 0 | 1;
  lowPassDeg?: 0 | 1;
  /** Robust fitting (bisquare weights, 15 outer iterations). Default: false. */
  robust?: boolean;
  /** Inner iterations. Default: 2 when robust, else 5. */
  innerIter?: number;
  /** Outer (robustness) iterations. Default: 15 when robust, else 0. */
  outerIter?: number;
}

const odd = (fn: string, name: string, v: number, min: number) => {
  if (!Number.isInteger(v) || v < min || v % 2 === 0) throw new ParamError(`${fn}: ${name} must be an odd integer >= ${min}, got ${v}`);
  return v;
};

/** statsmodels' STL(x, period, …).fit(): { observed, trend, seasonal, resid, weights }. NaN is refused. */
export function stl(x: Sample, options: StlOptions): DecomposeResult & { weights: Float64Array } {
  const fn = 'stl';
  const np = options?.period;
  if (!Number.isInteger(np) || np < 2) throw new ParamError(`${fn}: period must be an integer >= 2, got ${np}`);
  const { values: y } = readSample(x, fn, 'x', 'raise');
  const n = y.length;
  requireSize(n, 2 * np, fn, 'x', `two complete cycles of period ${np}`);
  const ns = odd(fn, 'seasonal', options.seasonal ?? 7, 3);
  let ntDefault = Math.ceil((1.5 * np) / (1 - 1.5 / ns));
  ntDefault += ntDefault % 2 === 0 ? 1 : 0;
  const nt = odd(fn, 'trend', options.trend ?? ntDefault, 3);
  const nl = odd(fn, 'lowPass', options.lowPass ?? np + 1 + ((np + 1) % 2 === 0 ? 1 : 0), 3);
  if (nl <= np) throw new ParamError(`${fn}: lowPass must be greater than period`);
  const isdeg = options.seasonalDeg ?? 1,
    itdeg = options.trendDeg ?? 1,
    ildeg = options.lowPassDeg ?? 1;
  const robust = options.robust ?? false;
  const inner = options.innerIter ?? (robust ? 2 : 5),
    outer = options.outerIter ?? (robust ? 15 : 0);
  let trend: Float64Array = new Float64Array(n),
    season: Float64Array = new Float64Array(n),
    rw: Float64Array | null = null;
  const weights = new Float64Array(n).fill(1);
  for (let k = 0; ; k++) {
    for (let it = 0; it < inner; it++) {
      const detrended = Float64Array.from(y, (v, i) => v - trend[i]);
      // cycle-subseries smoothing, each extended by one point at both ends
      const c = new Float64Array(n + 2 * np);
      for (let j = 0; j < np; j++) {
        const m = Math.floor((n - j - 1) / np) + 1;
        const sub = Float64Array.from({ length: m }, (_, i) => detrended[i * np + j]);
        const subRw = rw ? Float64Array.from({ length: m }, (_, i) => rw![i * np + j]) : null;
        const sm = loess(sub, ns, isdeg, subRw);
        const w = new Float64Array(m + 2);
        const first = loessAt(sub, m, ns, isdeg, 0, 1, Math.min(ns, m), w, subRw);
        const last = loessAt(sub, m, ns, isdeg, m + 1, Math.max(1, m - ns + 1), m, w, subRw);
        c[j] = Number.isNaN(first) ? sm[0] : first;
        for (let i = 0; i < m; i++) c[(i + 1) * np + j] = sm[i];
        c[(m + 1) * np + j] = Number.isNaN(last) ? sm[m - 1] : last;
      }
      // low-pass: moving averages of period, period and 3, then loess
      const low = loess(movingAverage(movingAverage(movingAverage(c, np), np), 3), nl, ildeg, null);
      season = Float64Array.from({ length: n }, (_, i) => c[np + i] - low[i]);
      trend = loess(
        Float64Array.from(y, (v, i) => v - season[i]),
        nt,
        itdeg,
        rw,
      );
    }
    if (k >= outer) break;
    // bisquare robustness weights from the residuals
    const r = Float64Array.from(y, (v, i) => Math.abs(v - trend[i] - season[i]));
    const s = sortedCopy(r);
    const mid1 = Math.floor(n / 2) + 1,
      mid2 = n - mid1 + 1;
    const cmad = 3 * (s[mid1 - 1] + s[mid2 - 1]);
    const c9 = 0.999 * cmad,
      c1 = 0.001 * cmad;
    rw = Float64Array.from(r, (v) => (v <= c1 ? 1 : v <= c9 ? (1 - (v / cmad) ** 2) ** 2 : 0));
    weights.set(rw);
  }
  const resid = Float64Array.from(y, (v, i) => v - trend[i] - season[i]);
  return { observed: Float64Array.from(y), trend, seasonal: season, resid, weights };
}
