/**
 * FastMCD (Rousseeuw & Van Driessen 1999) as scikit-learn 1.2's fast_mcd: the h-row subset whose
 * covariance has the least determinant, from random h-subsets refined by C-steps (a subset's
 * mean and covariance rank all rows by Mahalanobis distance; the h nearest are the next subset).
 * Above 500 rows, candidates come from disjoint subsets of about 300 rows, pooled on up to 1500.
 */
import type { Rng } from '../core/prng.js';
import { cholesky, symmetricEigen } from '../models/linear/dense.js';

export interface McdEstimate {
  location: Float64Array;
  covariance: Float64Array;
  /** log det covariance; −Infinity when singular. */
  logDet: number;
  support: Uint8Array;
  dist: Float64Array;
}

/** Pseudo-inverse of a symmetric matrix (scipy's pinvh: eigenvalues below the cutoff dropped). */
export function pinvh(A: Float64Array, p: number): Float64Array {
  const L = cholesky(A, p);
  if (L !== null) {
    // positive definite: the inverse from the Cholesky factor (exact up to rounding)
    const out = new Float64Array(p * p);
    const e = new Float64Array(p);
    for (let c = 0; c < p; c++) {
      e.fill(0);
      e[c] = 1;
      for (let i = 0; i < p; i++) {
        let s = e[i];
        for (let k = 0; k < i; k++) s -= L[i * p + k] * e[k];
        e[i] = s / L[i * p + i];
      }
      for (let i = p - 1; i >= 0; i--) {
        let s = e[i];
        for (let k = i + 1; k < p; k++) s -= L[k * p + i] * e[k];
        e[i] = s / L[i * p + i];
      }
      for (let i = 0; i < p; i++) out[i * p + c] = e[i];
    }
    return out;
  }
  const { values, vectors } = symmetricEigen(A, p);
  let mx = 0;
  for (const v of values) mx = Math.max(mx, Math.abs(v));
  const cutoff = mx * p * Number.EPSILON * 1e3;
  const out = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    if (Math.abs(values[k]) <= cutoff) continue;
    const inv = 1 / values[k];
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b] += vectors[a * p + k] * inv * vectors[b * p + k];
  }
  return out;
}

/** log det of a symmetric matrix, −Infinity unless positive definite (numpy's fast_logdet). */
function logDet(A: Float64Array, p: number): number {
  const L = cholesky(A, p);
  if (L === null) return -Infinity;
  let s = 0;
  for (let i = 0; i < p; i++) s += 2 * Math.log(L[i * p + i]);
  return s;
}

/** Mean and biased (ddof 0) covariance of the rows `rows` of X. */
export function meanCov(X: ArrayLike<number>, p: number, rows: ArrayLike<number>): { location: Float64Array; covariance: Float64Array } {
  const m = rows.length;
  const location = new Float64Array(p);
  for (let t = 0; t < m; t++) for (let j = 0; j < p; j++) location[j] += X[rows[t] * p + j];
  for (let j = 0; j < p; j++) location[j] /= m;
  const covariance = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < p; j++) d[j] = X[rows[t] * p + j] - location[j];
    for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) covariance[a * p + b] += d[a] * d[b];
  }
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      covariance[a * p + b] /= m;
      covariance[b * p + a] = covariance[a * p + b];
    }
  }
  return { location, covariance };
}

/** Squared Mahalanobis distance of every row of X (n × p) to location under precision. */
export function mahalanobis(X: ArrayLike<number>, n: number, p: number, location: Float64Array, precision: Float64Array): Float64Array {
  const out = new Float64Array(n);
  const d = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) d[j] = X[i * p + j] - location[j];
    let s = 0;
    for (let a = 0; a < p; a++) {
      let r = 0;
      for (let b = 0; b < p; b++) r += d[b] * precision[b * p + a];
      s += r * d[a];
    }
    out[i] = s;
  }
  return out;
}

/** Indices of the h smallest values (ties by index). */
function smallest(v: Float64Array, h: number): Int32Array {
  const idx = Int32Array.from({ length: v.length }, (_, i) => i);
  idx.sort((a, b) => v[a] - v[b] || a - b);
  return idx.subarray(0, h);
}

function permutation(n: number, rng: Rng): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

function supportOf(n: number, rows: ArrayLike<number>): Uint8Array {
  const s = new Uint8Array(n);
  for (let t = 0; t < rows.length; t++) s[rows[t]] = 1;
  return s;
}

const rowsOf = (support: Uint8Array): Int32Array => Int32Array.from(support.keys()).filter((i) => support[i] === 1);

/** C-steps from a random h-subset or from given estimates (scikit-learn's _c_step, early stops included). */
function cStep(
  X: Float64Array,
  n: number,
  p: number,
  h: number,
  iterations: number,
  rng: Rng,
  start?: { location: Float64Array; covariance: Float64Array },
): McdEstimate {
  let dist: Float64Array = new Float64Array(n).fill(Infinity);
  let rows: ArrayLike<number>;
  if (!start) rows = permutation(n, rng).subarray(0, h);
  else {
    dist = mahalanobis(X, n, p, start.location, pinvh(start.covariance, p));
    rows = smallest(dist, h);
  }
  let support = supportOf(n, rows);
  let { location, covariance } = meanCov(X, p, rows);
  let det = logDet(covariance, p);
  let precision = pinvh(covariance, p);
  let prev: McdEstimate | undefined;
  let prevDet = Infinity;
  let remaining = iterations;
  while (det < prevDet && remaining > 0 && det !== -Infinity) {
    prev = { location, covariance, logDet: det, support, dist };
    prevDet = det;
    precision = pinvh(covariance, p);
    dist = mahalanobis(X, n, p, location, precision);
    rows = smallest(dist, h);
    support = supportOf(n, rows);
    ({ location, covariance } = meanCov(X, p, rows));
    det = logDet(covariance, p);
    remaining--;
  }
  const prevDist = dist;
  dist = mahalanobis(X, n, p, location, precision);
  // as scikit-learn: a worse determinant keeps the previous estimate (unless iterations ran out)
  if (det > prevDet && prev && remaining !== 0) return { ...prev, dist: prevDist };
  return { location, covariance, logDet: det, support, dist };
}

/** The `select` best (least determinant) of C-step runs from random subsets (trials) or from given estimates. */
function selectCandidates(
  X: Float64Array,
  n: number,
  p: number,
  h: number,
  trials: number | { location: Float64Array; covariance: Float64Array }[],
  select: number,
  iterations: number,
  rng: Rng,
): McdEstimate[] {
  const all: McdEstimate[] = [];
  if (typeof trials === 'number') for (let j = 0; j < trials; j++) all.push(cStep(X, n, p, h, iterations, rng));
  else for (const s of trials) all.push(cStep(X, n, p, h, iterations, rng, s));
  const order = all.map((_, i) => i).sort((a, b) => all[a].logDet - all[b].logDet || a - b);
  return order.slice(0, select).map((i) => all[i]);
}

function takeRows(X: Float64Array, p: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * p);
  for (let t = 0; t < rows.length; t++) out.set(X.subarray(rows[t] * p, (rows[t] + 1) * p), t * p);
  return out;
}

/** Raw MCD estimate: location, covariance, support (h rows) and squared distances. */
export function fastMcd(X: Float64Array, n: number, p: number, supportFraction: number | undefined, rng: Rng): McdEstimate {
  const h = supportFraction === undefined ? Math.ceil(0.5 * (n + p + 1)) : Math.floor(supportFraction * n);
  if (p === 1) {
    let location: number;
    let support: Uint8Array;
    if (h < n) {
      const sorted = Float64Array.from(X).sort();
      let best = Infinity;
      const starts: number[] = [];
      for (let i = 0; i + h < n; i++) {
        const diff = sorted[h + i] - sorted[i];
        if (diff < best) {
          best = diff;
          starts.length = 0;
        }
        if (diff === best) starts.push(i);
      }
      location = 0;
      for (const s of starts) location += 0.5 * (sorted[h + s] + sorted[s]);
      location /= starts.length;
      const centred = Float64Array.from(X, (v) => Math.abs(v - location));
      support = supportOf(n, smallest(centred, h));
    } else {
      support = new Uint8Array(n).fill(1);
      location = X.reduce((s, v) => s + v, 0) / n;
    }
    const rows = rowsOf(support);
    const { location: m, covariance } = meanCov(X, 1, rows);
    if (h >= n) location = m[0];
    const loc = Float64Array.of(location);
    const prec = pinvh(covariance, 1);
    return { location: loc, covariance, logDet: logDet(covariance, 1), support, dist: mahalanobis(X, n, 1, loc, prec) };
  }
  if (n > 500) {
    const nSubsets = Math.floor(n / 300);
    const perSubset = Math.floor(n / nSubsets);
    const shuffle = permutation(n, rng);
    const hSubset = Math.ceil(perSubset * (h / n));
    const nTrials = Math.max(10, Math.floor(30 / nSubsets));
    const candidates: McdEstimate[] = [];
    for (let i = 0; i < nSubsets; i++) {
      const sub = takeRows(X, p, shuffle.subarray(i * perSubset, (i + 1) * perSubset));
      candidates.push(...selectCandidates(sub, perSubset, p, hSubset, nTrials, 10, 2, rng));
    }
    const nMerged = Math.min(1500, n);
    const hMerged = Math.ceil(nMerged * (h / n));
    const selection = permutation(n, rng).subarray(0, nMerged);
    const merged = selectCandidates(takeRows(X, p, selection), nMerged, p, hMerged, candidates, n > 1500 ? 10 : 1, 30, rng);
    if (n < 1500) {
      const best = merged[0];
      const support = new Uint8Array(n);
      const dist = new Float64Array(n);
      for (let t = 0; t < nMerged; t++) {
        support[selection[t]] = best.support[t];
        dist[selection[t]] = best.dist[t];
      }
      return { ...best, support, dist };
    }
    return selectCandidates(X, n, p, h, merged, 1, 30, rng)[0];
  }
  const best = selectCandidates(X, n, p, h, 30, 10, 2, rng);
  return selectCandidates(X, n, p, h, best, 1, 30, rng)[0];
}
