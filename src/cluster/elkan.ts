/**
 * One k-means run by Elkan's algorithm (scikit-learn's `_kmeans_single_elkan`): the same fixed
 * point as Lloyd's, with triangle-inequality bounds (an upper bound per row, a lower bound per row
 * and centre, half the centre-to-centre distances) that skip most distance computations. Exact
 * f64 in TypeScript; the first bounds come from the kmeans kernels. Memory: n × k lower bounds.
 */
import type { FloatArray } from '../core/matrix.js';
import type { KmeansKernels } from '../backend/contract/kmeans.js';
import { type KmeansRun, type RunArgs, shiftSquared, updateCenters } from './lloyd.js';

function dist(x: FloatArray, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let f = 0; f < d; f++) {
    const t = x[i * d + f] - c[j * d + f];
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Half the distance between each pair of centres, and per centre the smallest such half-distance. */
function centreGaps(c: Float64Array, k: number, d: number): { half: Float64Array; next: Float64Array } {
  const half = new Float64Array(k * k),
    next = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const v = dist(c, a, c, b, d) / 2;
      half[a * k + b] = half[b * k + a] = v;
      if (v < next[a]) next[a] = v;
      if (v < next[b]) next[b] = v;
    }
  return { half, next };
}

export async function elkan(a: RunArgs, init: Float64Array, kernels: KmeansKernels): Promise<KmeansRun> {
  const { x, n, d, k, weights } = a;
  let centers = init;
  const lower = await kernels.distances(x, n, d, centers, k);
  const labels = new Int32Array(n),
    upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < k; j++) {
      lower[i * k + j] = Math.sqrt(lower[i * k + j]);
      if (lower[i * k + j] < lower[i * k + best]) best = j;
    }
    labels[i] = best;
    upper[i] = lower[i * k + best];
  }
  let prev = new Int32Array(n).fill(-1), // as scikit-learn: the first iteration never counts as converged
    iter = 0;
  for (; iter < a.maxIter; ) {
    a.signal?.throwIfAborted();
    const { half, next } = centreGaps(centers, k, d);
    const sums = new Float64Array(k * d),
      wsum = new Float64Array(k),
      dist2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let lab = labels[i],
        tight = false;
      if (upper[i] > next[lab]) {
        for (let j = 0; j < k; j++) {
          if (j === lab || upper[i] <= lower[i * k + j] || upper[i] <= half[lab * k + j]) continue;
          if (!tight) {
            upper[i] = lower[i * k + lab] = dist(x, i, centers, lab, d);
            tight = true;
            if (upper[i] <= lower[i * k + j] || upper[i] <= half[lab * k + j]) continue;
          }
          const v = (lower[i * k + j] = dist(x, i, centers, j, d));
          if (v < upper[i]) {
            lab = j;
            upper[i] = v;
          }
        }
      }
      labels[i] = lab;
      const w = weights ? weights[i] : 1;
      wsum[lab] += w;
      for (let f = 0; f < d; f++) sums[lab * d + f] += w * x[i * d + f];
      dist2[i] = upper[i] ** 2; // an upper bound: only the empty-cluster relocation reads it
    }
    const nextCenters = updateCenters(a, sums, wsum, labels, dist2);
    const shifts = new Float64Array(k);
    for (let j = 0; j < k; j++) shifts[j] = dist(nextCenters, j, centers, j, d);
    const total = shiftSquared(nextCenters, centers);
    centers = nextCenters;
    for (let i = 0; i < n; i++) {
      upper[i] += shifts[labels[i]];
      for (let j = 0; j < k; j++) lower[i * k + j] = Math.max(lower[i * k + j] - shifts[j], 0);
    }
    iter++;
    let same = true;
    for (let i = 0; i < n && same; i++) same = labels[i] === prev[i];
    if (same) break; // strict convergence
    if (total <= a.tol) break;
    prev = Int32Array.from(labels);
  }
  const last = await kernels.assign({ x, n, d, k, weights, centers, accumulate: false });
  return { centers, labels: last.labels, inertia: last.inertia, nIter: iter };
}
