/**
 * The empirical maximum mean discrepancy between two numeric samples, as a drift test: the
 * unbiased MMD² with a Gaussian kernel whose bandwidth is the median pairwise distance of the
 * pooled sample (the median heuristic), and a permutation p-value. Its cost is quadratic in the
 * sample sizes, so each side is first reduced to at most `maxSamples` values by a seeded
 * draw; the permutations are seeded too, so a report is reproducible.
 */
import { Rng } from '../core/prng.js';
import { sortedCopy } from '../ops/sort.js';

export interface MmdOptions {
  /** Permutations for the p-value. Default: 100. */
  permutations?: number;
  /** Values kept per side (a seeded draw) to bound the quadratic cost. Default: 500. */
  maxSamples?: number;
  /** Seed of the draws and the permutations. Default: 0. */
  randomState?: number;
}

/** Unbiased MMD² of the pooled values split as z[idx[0..nx)] and z[idx[nx..)], from the kernel matrix K. */
function mmd2(K: Float64Array, n: number, idx: Int32Array, nx: number): number {
  const ny = n - nx;
  let xx = 0,
    yy = 0,
    xy = 0;
  for (let a = 0; a < n; a++) {
    const ia = idx[a];
    const row = ia * n;
    for (let b = a + 1; b < n; b++) {
      const k = K[row + idx[b]];
      if (a < nx && b < nx) xx += 2 * k;
      else if (a >= nx && b >= nx) yy += 2 * k;
      else xy += k;
    }
  }
  return xx / (nx * (nx - 1)) + yy / (ny * (ny - 1)) - (2 * xy) / (nx * ny);
}

/** { statistic: MMD², pvalue } of reference vs current (finite numbers, at least two on each side). */
export function empiricalMmd(reference: Float64Array, current: Float64Array, opts: MmdOptions = {}): { statistic: number; pvalue: number } {
  const permutations = opts.permutations ?? 100;
  const cap = opts.maxSamples ?? 500;
  const rng = new Rng(opts.randomState ?? 0);
  const draw = (v: Float64Array) => (v.length <= cap ? v : Float64Array.from(rng.shuffle(Int32Array.from(v.keys())).subarray(0, cap), (i) => v[i]));
  const x = draw(reference),
    y = draw(current);
  const nx = x.length,
    n = nx + y.length;
  const z = new Float64Array(n);
  z.set(x);
  z.set(y, nx);
  // median heuristic: the median of the pairwise distances
  const dist = new Float64Array((n * (n - 1)) / 2);
  for (let a = 0, t = 0; a < n; a++) for (let b = a + 1; b < n; b++) dist[t++] = Math.abs(z[a] - z[b]);
  const sortedDist = sortedCopy(dist);
  const mid = sortedDist.length >> 1;
  let bw = sortedDist.length % 2 ? sortedDist[mid] : (sortedDist[mid - 1] + sortedDist[mid]) / 2;
  if (!(bw > 0)) bw = 1; // more than half the pairs equal: any positive width keeps the kernel defined
  const K = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    K[a * n + a] = 1;
    for (let b = a + 1; b < n; b++) {
      const d = (z[a] - z[b]) / bw;
      K[a * n + b] = K[b * n + a] = Math.exp(-0.5 * d * d);
    }
  }
  const idx = Int32Array.from(z.keys());
  const observed = mmd2(K, n, idx, nx);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(idx);
    if (mmd2(K, n, idx, nx) >= observed) atLeast++;
  }
  return { statistic: observed, pvalue: (atLeast + 1) / (permutations + 1) };
}
