/**
 * k-means initial centres as scikit-learn 1.2 draws them: 'k-means++' with greedy local trials
 * (2 + floor(ln k) candidates per centre, the one that lowers the potential most is kept;
 * unweighted, as 1.2 is) and 'random' (k distinct rows). Distances run on the kmeans kernels.
 */
import type { FloatArray } from '../core/matrix.js';
import type { Rng } from '../core/prng.js';
import type { KmeansKernels } from '../backend/contract/kmeans.js';

function copyRows(x: FloatArray, d: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let j = 0; j < rows.length; j++) for (let f = 0; f < d; f++) out[j * d + f] = x[rows[j] * d + f];
  return out;
}

/** k distinct rows, uniformly (a partial Fisher–Yates shuffle). */
export function randomInit(x: FloatArray, n: number, d: number, k: number, rng: Rng): Float64Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return copyRows(x, d, perm.subarray(0, k));
}

/** The first index whose running total reaches `target` (numpy's searchsorted, side 'left'), clipped to n − 1. */
function searchCumsum(cum: Float64Array, target: number): number {
  let lo = 0,
    hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cum.length - 1);
}

export async function kmeansPlusPlus(x: FloatArray, n: number, d: number, k: number, rng: Rng, kernels: KmeansKernels): Promise<Float64Array> {
  const trials = 2 + Math.floor(Math.log(k));
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  centers.set(copyRows(x, d, [first]));
  const closest = await kernels.distances(x, n, d, centers.subarray(0, d), 1);
  let potential = closest.reduce((s, v) => s + v, 0);
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let i = 0; i < n; i++) cum[i] = run += closest[i];
    const ids = Array.from({ length: trials }, () => searchCumsum(cum, rng.random() * potential));
    // n × trials distances to the candidates; each candidate's potential if it were chosen
    const dist = await kernels.distances(x, n, d, copyRows(x, d, ids), trials);
    let best = 0,
      bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      let pot = 0;
      for (let i = 0; i < n; i++) pot += Math.min(closest[i], dist[i * trials + t]);
      if (pot < bestPot) {
        bestPot = pot;
        best = t;
      }
    }
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], dist[i * trials + best]);
    potential = bestPot;
    centers.set(copyRows(x, d, [ids[best]]), c * d);
  }
  return centers;
}
