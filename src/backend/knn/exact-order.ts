/**
 * The exact k-NN ordering every backend and model agrees on: a key per (query, point) in f64
 * (squared L2, L1, −q·x or −cos; smaller is nearer), the distance a key stands for, and a bounded
 * top list that breaks ties to the smaller index. The js search, the webgpu re-rank and the models
 * that rank on the host (radius queries, KNNImputer) share it.
 */
import type { FloatArray } from '../../core/matrix.js';
import type { KnnMetric } from '../contract/knn.js';

export function rowNorms64(x: FloatArray, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += x[r * d + c] * x[r * d + c];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** The exact ordering key of base point j for query q (smaller = nearer). */
export function exactKey(metric: KnnMetric, queries: FloatArray, q: number, base: FloatArray, j: number, d: number, qnorm: number, xnorm: number): number {
  let s = 0;
  const qo = q * d,
    xo = j * d;
  switch (metric) {
    case 'sqeuclidean':
    case 'euclidean':
      for (let c = 0; c < d; c++) {
        const t = queries[qo + c] - base[xo + c];
        s += t * t;
      }
      return s;
    case 'manhattan':
      for (let c = 0; c < d; c++) s += Math.abs(queries[qo + c] - base[xo + c]);
      return s;
    case 'inner_product':
      for (let c = 0; c < d; c++) s += queries[qo + c] * base[xo + c];
      return -s;
    case 'cosine':
      if (qnorm === 0 || xnorm === 0) return 0; // similarity 0: distance 1
      for (let c = 0; c < d; c++) s += queries[qo + c] * base[xo + c];
      return -s / (qnorm * xnorm);
  }
}

export function keyToDistance(metric: KnnMetric, key: number): number {
  switch (metric) {
    case 'euclidean':
      return Math.sqrt(Math.max(0, key));
    case 'inner_product':
      return -key;
    case 'cosine':
      return 1 + key;
    default:
      return key;
  }
}

/** A bounded list sorted by (key, index); points must be offered in ascending index order. */
export class TopList {
  readonly keys: Float64Array;
  readonly idx: Int32Array;
  size = 0;
  constructor(readonly cap: number) {
    this.keys = new Float64Array(cap);
    this.idx = new Int32Array(cap);
  }
  get worst(): number {
    return this.size < this.cap ? Infinity : this.keys[this.size - 1];
  }
  offer(key: number, index: number): void {
    if (!(key < this.worst)) return;
    let pos = this.size < this.cap ? this.size++ : this.cap - 1;
    while (pos > 0 && this.keys[pos - 1] > key) {
      this.keys[pos] = this.keys[pos - 1];
      this.idx[pos] = this.idx[pos - 1];
      pos--;
    }
    this.keys[pos] = key;
    this.idx[pos] = index;
  }
}
