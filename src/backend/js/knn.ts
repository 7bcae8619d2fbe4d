/**
 * Exact k-NN in f64: the js backend's search, and the re-rank / fallback used by
 * backends that select candidates in f32 (webgpu). Ordering: ascending key, ties
 * to the smaller index; keys are squared L2, L1, −q·x, or −cos.
 */
import type { FloatArray } from '../../core/matrix.js';
import type { KnnIndex, KnnKernels, KnnMetric, KnnResult, RadiusResult } from '../contract/knn.js';
import { exactKey, keyToDistance, rowNorms64, TopList } from '../knn/exact-order.js';

export interface ExactContext {
  metric: KnnMetric;
  base: FloatArray;
  n: number;
  d: number;
  baseNorms: Float64Array;
  queries: FloatArray;
  queryNorms: Float64Array;
  k: number;
  excludeSelf: boolean;
}

/** Exact top-k of query q by a full scan, written into out at row q. */
export function bruteForceQuery(ctx: ExactContext, q: number, out: KnnResult): void {
  const top = new TopList(ctx.k);
  for (let j = 0; j < ctx.n; j++) {
    if (ctx.excludeSelf && j === q) continue;
    top.offer(exactKey(ctx.metric, ctx.queries, q, ctx.base, j, ctx.d, ctx.queryNorms[q], ctx.baseNorms[j]), j);
  }
  for (let t = 0; t < ctx.k; t++) {
    out.distances[q * ctx.k + t] = keyToDistance(ctx.metric, top.keys[t]);
    out.indices[q * ctx.k + t] = top.idx[t];
  }
}

export function bruteForce(ctx: ExactContext, nq: number): KnnResult {
  const out = { distances: new Float64Array(nq * ctx.k), indices: new Int32Array(nq * ctx.k) };
  for (let q = 0; q < nq; q++) bruteForceQuery(ctx, q, out);
  return out;
}

const U32 = 2 ** -24;

/**
 * Finishes a query whose candidates were selected with f32 keys: exact re-rank,
 * then a proof that no other point can enter the top k — every f32 key is within
 * eps of its exact value (dot products of length d from f32-rounded inputs, plus the
 * norm and key roundings), so a point outside the list has exact key ≥ the list's
 * worst f32 key − eps. A query whose proof fails is searched again by brute force.
 */
export function refineQuery(ctx: ExactContext, q: number, cand: Int32Array, count: number, worstApprox: number, maxBaseNorm: number, out: KnnResult): void {
  const ranked: [number, number][] = [];
  for (let t = 0; t < count; t++) {
    const j = cand[t];
    ranked.push([exactKey(ctx.metric, ctx.queries, q, ctx.base, j, ctx.d, ctx.queryNorms[q], ctx.baseNorms[j]), j]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const eligible = ctx.excludeSelf ? ctx.n - 1 : ctx.n;
  let proven = count === eligible;
  if (!proven && ranked.length >= ctx.k) {
    const cosine = ctx.metric === 'cosine',
      l2 = ctx.metric === 'euclidean' || ctx.metric === 'sqeuclidean';
    const qn = cosine ? 1 : ctx.queryNorms[q],
      m = cosine ? 1 : maxBaseNorm;
    const eps = (2 * ctx.d + 16) * U32 * (qn + m) ** 2 * (l2 ? 2 : 1);
    const shift = l2 ? ctx.queryNorms[q] ** 2 : 0; // exact L2 keys hold the full distance
    proven = worstApprox + shift - eps > ranked[ctx.k - 1][0];
  }
  if (!proven) {
    bruteForceQuery(ctx, q, out);
    return;
  }
  for (let t = 0; t < ctx.k; t++) {
    out.distances[q * ctx.k + t] = keyToDistance(ctx.metric, ranked[t][0]);
    out.indices[q * ctx.k + t] = ranked[t][1];
  }
}

/** Radius lists by an exact f64 scan (any metric): the oracle, and the path of the metrics no kernel runs. */
export function radiusScan(index: KnnIndex, queries: FloatArray, nq: number, radius: number, excludeSelf: boolean): RadiusResult {
  const { metric, base, n, d } = index;
  const baseNorms = rowNorms64(base, n, d),
    queryNorms = rowNorms64(queries, nq, d);
  const offsets = new Float64Array(nq + 1);
  const idx: number[] = [],
    dist: number[] = [];
  const similarity = metric === 'inner_product';
  for (let q = 0; q < nq; q++) {
    const hits: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (excludeSelf && j === q) continue;
      const v = keyToDistance(metric, exactKey(metric, queries, q, base, j, d, queryNorms[q], baseNorms[j]));
      if (similarity ? v >= radius : v <= radius) hits.push([v, j]);
    }
    hits.sort((a, b) => (similarity ? b[0] - a[0] : a[0] - b[0]) || a[1] - b[1]);
    for (const [v, j] of hits) {
      dist.push(v);
      idx.push(j);
    }
    offsets[q + 1] = idx.length;
  }
  return { offsets, indices: Int32Array.from(idx), distances: Float64Array.from(dist) };
}

interface JsKnnIndex extends KnnIndex {
  norms: Float64Array;
}

/** The js backend's knn family: brute force in f64 over the base as given. */
export const jsKnn: KnnKernels = {
  async index(base: FloatArray, n: number, d: number, metric: KnnMetric): Promise<KnnIndex> {
    const index: JsKnnIndex = { backend: 'js', base, n, d, metric, norms: rowNorms64(base, n, d), dispose() {} };
    return index;
  },
  async search(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult> {
    const ix = index as JsKnnIndex;
    return bruteForce(
      {
        metric: ix.metric,
        base: ix.base,
        n: ix.n,
        d: ix.d,
        baseNorms: ix.norms,
        queries,
        queryNorms: rowNorms64(queries, nq, ix.d),
        k,
        excludeSelf,
      },
      nq,
    );
  },
  async radius(index, queries, nq, radius, excludeSelf) {
    return radiusScan(index, queries, nq, radius, excludeSelf);
  },
};
