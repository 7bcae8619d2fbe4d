/**
 * Barnes-Hut t-SNE's affinities (van der Maaten 2014, as scikit-learn 1.2's method='barnes_hut'):
 * each point's Gaussian over its 3·perplexity nearest neighbours (kiln's exact k-NN), calibrated
 * to the perplexity, then P + Pᵀ normalised, in CSR form. The gradient over them is the backend's
 * tsne family (src/backend/js/tsne.ts is its oracle, native/kernels/tsne/ its C++).
 */
import { NearestNeighbors } from '../models/neighbors/index.js';
import type { Matrix } from '../core/matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import type { SparseP } from '../backend/contract/tsne.js';

const EPS = 2 ** -52;

/** Binary search of one row's precision so its entropy is log(perplexity); writes the conditional row. */
function calibrateRow(d2: Float64Array, off: number, k: number, perplexity: number, out: Float64Array): void {
  const target = Math.log(perplexity);
  let beta = 1,
    lo = -Infinity,
    hi = Infinity;
  for (let step = 0; step < 100; step++) {
    let sum = 0,
      sumDP = 0;
    for (let j = 0; j < k; j++) sum += out[off + j] = Math.exp(-d2[off + j] * beta);
    if (sum === 0) sum = EPS;
    for (let j = 0; j < k; j++) {
      out[off + j] /= sum;
      sumDP += d2[off + j] * out[off + j];
    }
    const diff = Math.log(sum) + beta * sumDP - target;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}

/** Stable counting sort of entry numbers `order` by key[order[t]] in [0, n). */
function countingSort(order: Int32Array, key: Int32Array, n: number): Int32Array {
  const start = new Int32Array(n + 1);
  for (let t = 0; t < order.length; t++) start[key[order[t]] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const out = new Int32Array(order.length);
  for (let t = 0; t < order.length; t++) out[start[key[order[t]]]++] = order[t];
  return out;
}

/**
 * P + Pᵀ of the k-NN conditionals as CSR with sorted columns, normalised to sum 1. An edge met
 * both ways holds the sum of its two conditionals (two addends: the same value in any order).
 */
export function symmetrize(cond: Float64Array, nbr: Int32Array, n: number, k: number): SparseP {
  const m = 2 * n * k,
    row = new Int32Array(m),
    col = new Int32Array(m),
    val = new Float64Array(m);
  for (let i = 0, e = 0; i < n; i++)
    for (let t = 0; t < k; t++, e += 2) {
      const j = nbr[i * k + t],
        v = cond[i * k + t];
      row[e] = i;
      col[e] = j;
      row[e + 1] = j;
      col[e + 1] = i;
      val[e] = val[e + 1] = v;
    }
  // by column, then (stably) by row: entries in row-major order with sorted columns
  const order = countingSort(
    countingSort(
      Int32Array.from({ length: m }, (_, t) => t),
      col,
      n,
    ),
    row,
    n,
  );
  const indptr = new Int32Array(n + 1),
    indices = new Int32Array(m),
    values = new Float64Array(m);
  let u = -1;
  for (let t = 0; t < m; t++) {
    const e = order[t];
    if (u >= 0 && row[order[t - 1]] === row[e] && indices[u] === col[e]) values[u] += val[e];
    else {
      u++;
      indices[u] = col[e];
      values[u] = val[e];
      indptr[row[e] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) indptr[i + 1] += indptr[i];
  const nnz = u + 1;
  let total = 0;
  for (let t = 0; t < nnz; t++) total += values[t];
  total = Math.max(total, EPS);
  for (let t = 0; t < nnz; t++) values[t] /= total;
  return { indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

/** scikit-learn's _joint_probabilities_nn: kNN conditionals, P + Pᵀ, normalised. */
export async function sparseJointProbabilities(X: Matrix, perplexity: number, backend: BackendChoice | undefined): Promise<SparseP> {
  const n = X.rows,
    k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const nn = await new NearestNeighbors({ nNeighbors: k, backend }).fit(X);
  const { distances, indices } = await nn.kneighbors();
  const d2 = distances.data.map((v) => v * v),
    cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) calibrateRow(d2, i * k, k, perplexity, cond);
  return symmetrize(cond, indices, n, k);
}
