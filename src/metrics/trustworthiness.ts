/**
 * scikit-learn's trustworthiness: how well an embedding keeps local structure. Each point's
 * nNeighbors nearest neighbours in the embedding are ranked by their distance in the original
 * space; neighbours that were not among the nNeighbors nearest there are penalised by how far
 * down they were: T = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ max(rank − k, 0). Exact f64 Euclidean
 * distances, O(n² log n): meant for the embeddings a person inspects (thousands of points).
 */
import { ParamError, ShapeError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';

export interface TrustworthinessOptions {
  /** Neighbours considered, below nSamples / 2 (default 5). */
  nNeighbors?: number;
}

function sqDistances(x: ArrayLike<number>, n: number, p: number, i: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < p; c++) {
      const d = x[i * p + c] - x[j * p + c];
      s += d * d;
    }
    out[j] = j === i ? Infinity : s;
  }
}

/** Indices 0..n-1 ordered by d (ties by index). */
function order(d: Float64Array): Int32Array {
  return Int32Array.from(d.keys()).sort((a, b) => d[a] - d[b] || a - b);
}

export function trustworthiness(X: MatrixLike, Xembedded: MatrixLike, opts: TrustworthinessOptions = {}): number {
  const x = readMatrix(X, 'trustworthiness: X'),
    e = readMatrix(Xembedded, 'trustworthiness: Xembedded');
  const n = x.rows,
    k = opts.nNeighbors ?? 5;
  if (e.rows !== n) throw new ShapeError(`trustworthiness: X has ${n} rows but Xembedded has ${e.rows}; pass the embedding of X`);
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new ParamError(`trustworthiness: nNeighbors must be an integer from 1 to below nSamples / 2 (${n / 2}), got ${k}`);
  }
  const d = new Float64Array(n),
    rank = new Int32Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    sqDistances(x.data, n, x.cols, i, d);
    order(d).forEach((j, r) => {
      rank[j] = r + 1;
    });
    sqDistances(e.data, n, e.cols, i, d);
    const near = order(d);
    for (let r = 0; r < k; r++) t += Math.max(rank[near[r]] - k, 0);
  }
  return 1 - t * (2 / (n * k * (2 * n - 3 * k - 1)));
}
