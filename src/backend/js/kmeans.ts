/** The kmeans family in plain TypeScript, f64 throughout: the oracle the other backends are tested against. */
import type { FloatArray } from '../../core/matrix.js';
import { checkKmeansArgs, type KmeansAssignArgs, type KmeansAssignResult, type KmeansKernels } from '../contract/kmeans.js';

function sqDist(x: FloatArray, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let f = 0; f < d; f++) {
    const t = x[i * d + f] - c[j * d + f];
    s += t * t;
  }
  return s;
}

export function jsAssign(a: KmeansAssignArgs): KmeansAssignResult {
  checkKmeansArgs(a);
  const { x, n, d, k, centers, weights } = a;
  const labels = new Int32Array(n),
    dist2 = new Float64Array(n),
    sums = new Float64Array(k * d),
    weightSums = new Float64Array(k);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity,
      arg = 0;
    for (let j = 0; j < k; j++) {
      const v = sqDist(x, i, centers, j, d);
      if (v < best) {
        best = v;
        arg = j;
      }
    }
    labels[i] = arg;
    dist2[i] = best;
    const w = weights ? weights[i] : 1;
    inertia += w * best;
    if (a.accumulate) {
      weightSums[arg] += w;
      for (let f = 0; f < d; f++) sums[arg * d + f] += w * x[i * d + f];
    }
  }
  return { labels, dist2, inertia, sums, weightSums };
}

export function jsDistances(x: FloatArray, n: number, d: number, centers: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = sqDist(x, i, centers, j, d);
  return out;
}

export const jsKmeans: KmeansKernels = {
  async assign(a) {
    return jsAssign(a);
  },
  async distances(x, n, d, centers, k) {
    return jsDistances(x, n, d, centers, k);
  },
};
