/**
 * One k-means run from given centres, as scikit-learn 1.2's `_kmeans_single_lloyd`: each iteration
 * assigns rows (kmeans kernels) and moves every centre to its cluster's weighted mean; it stops when
 * the labels repeat (strict convergence) or the squared centre shift totals <= tol; labels and
 * inertia are then those of the final centres. Empty clusters take the rows farthest from their
 * centres (scikit-learn's relocation). Where the kernels have assignBounded, the assignments carry
 * bounds from one iteration to the next (Hamerly's, with Yinyang's centre groups) and skip the rows
 * they prove unchanged: the same labels as plain assignments (sums equal to f64 rounding), with far
 * fewer distances.
 */
import type { FloatArray } from '../core/matrix.js';
import { type KmeansAssignResult, type KmeansKernels, kmeansBounds } from '../backend/contract/kmeans.js';

export interface KmeansRun {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

export interface RunArgs {
  x: FloatArray;
  n: number;
  d: number;
  k: number;
  weights: Float64Array | null;
  maxIter: number;
  /** Absolute tolerance (tol × mean feature variance). */
  tol: number;
  signal?: AbortSignal;
}

/**
 * New centres from per-cluster sums, relocating empty clusters to the rows farthest from their
 * current centres (dist2: each row's squared distance to its centre, labels: its cluster).
 */
export function updateCenters(a: RunArgs, sums: Float64Array, wsum: Float64Array, labels: Int32Array, dist2: Float64Array): Float64Array {
  const { x, d, k, weights } = a;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (wsum[j] === 0) empty.push(j);
  if (empty.length) {
    const far = Array.from(dist2.keys())
      .sort((p, q) => dist2[q] - dist2[p] || p - q)
      .slice(0, empty.length);
    empty.forEach((j, t) => {
      const i = far[t],
        w = weights ? weights[i] : 1,
        old = labels[i];
      wsum[old] -= w;
      wsum[j] = w;
      for (let f = 0; f < d; f++) {
        sums[old * d + f] -= w * x[i * d + f];
        sums[j * d + f] = w * x[i * d + f];
      }
    });
  }
  const centers = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const inv = wsum[j] > 0 ? 1 / wsum[j] : 0;
    for (let f = 0; f < d; f++) centers[j * d + f] = sums[j * d + f] * inv;
  }
  return centers;
}

export function shiftSquared(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function lloyd(a: RunArgs, init: Float64Array, kernels: KmeansKernels): Promise<KmeansRun> {
  const bounds = kmeansBounds(a.n, a.k, a.d);
  const assign = (centers: Float64Array, accumulate: boolean): Promise<KmeansAssignResult & { changed?: number }> => {
    const args = { x: a.x, n: a.n, d: a.d, k: a.k, weights: a.weights, centers, accumulate };
    return kernels.assignBounded ? kernels.assignBounded(args, bounds) : kernels.assign(args);
  };
  let centers = init;
  let prev: Int32Array | null = null;
  let iter = 0;
  for (; iter < a.maxIter; ) {
    a.signal?.throwIfAborted();
    const r = await assign(centers, true);
    const next = updateCenters(a, r.sums, r.weightSums, r.labels, r.dist2);
    const shift = shiftSquared(next, centers);
    centers = next;
    iter++;
    // strict convergence (the centres are fixed): no label changed (bounded assignments count them)
    if (r.changed !== undefined ? iter > 1 && r.changed === 0 : prev && sameLabels(prev, r.labels)) break;
    if (shift <= a.tol) break;
    prev = r.labels;
  }
  // the labels and inertia of the final centres (scikit-learn reruns the E-step)
  const last = await assign(centers, false);
  return { centers, labels: last.labels, inertia: last.inertia, nIter: iter };
}
