/**
 * Ranking quality of scores against graded relevance, as scikit-learn 1.2's dcg_score and
 * ndcg_score compute it: each row is one query (its items' true relevance and predicted scores),
 * gains are the relevance itself, the discount at rank r (from 1) is 1 / log_b(r + 1), cut after
 * the top k. Tied scores share the average gain of their group over the ranks they span
 * (McSherry & Najork's tie-aware DCG) unless `ignoreTies`, which ranks ties in reverse index
 * order as scikit-learn's reversed stable argsort does. NDCG divides by the ideal DCG; a query
 * with no relevant item scores 0.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { table, weights } from './check.js';

export interface DcgOptions {
  /** Only the top k ranks count (default: all). */
  k?: number;
  /** One weight per query (row) for the average. */
  sampleWeight?: ArrayLike<number>;
  /** Rank tied scores one after another instead of averaging their gains (faster; default false). */
  ignoreTies?: boolean;
}

/** Discounted cumulative gain, averaged over the queries (rows). `logBase` as scikit-learn's log_base (default 2). */
export function dcgScore(yTrue: MatrixLike, yScore: MatrixLike, opts: DcgOptions & { logBase?: number } = {}): number {
  checkOptions(opts, ['k', 'sampleWeight', 'ignoreTies', 'logBase'], 'dcgScore');
  const base = opts.logBase ?? 2;
  if (typeof base !== 'number' || !(base > 1) || !Number.isFinite(base)) throw new ParamError(`dcgScore: logBase must be a number > 1, got ${String(base)}`);
  const q = queries(yTrue, yScore, opts, 'dcgScore', false);
  const discount = discounts(q.m, q.k, base);
  return average(q, (r) => dcgOfRow(q, r, discount, q.ignoreTies));
}

/** Normalised DCG in [0, 1] (relevance must be non-negative), averaged over the queries (rows). */
export function ndcgScore(yTrue: MatrixLike, yScore: MatrixLike, opts: DcgOptions = {}): number {
  checkOptions(opts, ['k', 'sampleWeight', 'ignoreTies'], 'ndcgScore');
  const q = queries(yTrue, yScore, opts, 'ndcgScore', true);
  const discount = discounts(q.m, q.k, 2);
  return average(q, (r) => {
    const ideal = idealDcg(q, r, discount);
    return ideal === 0 ? 0 : dcgOfRow(q, r, discount, q.ignoreTies) / ideal;
  });
}

interface Queries {
  y: Float64Array;
  s: Float64Array;
  n: number;
  m: number;
  k: number;
  w: Float64Array | undefined;
  ignoreTies: boolean;
}

function queries(yTrue: MatrixLike, yScore: MatrixLike, opts: DcgOptions, fn: string, nonNegative: boolean): Queries {
  const y = table(yTrue as MatrixLike, 'yTrue', fn),
    s = table(yScore as MatrixLike, 'yScore', fn);
  if (y.rows !== s.rows || y.cols !== s.cols)
    throw new ShapeError(`${fn}: yTrue is ${y.rows} × ${y.cols} but yScore is ${s.rows} × ${s.cols}; pass one score per item of each query`);
  if (y.cols < 2) throw new ShapeError(`${fn}: each query (row) needs at least 2 items to rank; got ${y.cols} column`);
  const yd = y.as('float64').data as Float64Array;
  if (nonNegative) {
    const at = yd.findIndex((v) => v < 0);
    if (at >= 0) throw new ParamError(`${fn}: yTrue holds a negative relevance (${yd[at]}, row ${Math.floor(at / y.cols)}); NDCG needs relevance >= 0`);
  }
  const k = opts.k ?? y.cols;
  if (!Number.isInteger(k) || k < 1) throw new ParamError(`${fn}: k must be an integer >= 1, got ${String(opts.k)}`);
  if (opts.ignoreTies !== undefined && typeof opts.ignoreTies !== 'boolean') throw new ParamError(`${fn}: ignoreTies must be a boolean`);
  return {
    y: yd,
    s: s.as('float64').data as Float64Array,
    n: y.rows,
    m: y.cols,
    k: Math.min(k, y.cols),
    w: weights(opts.sampleWeight, y.rows, fn),
    ignoreTies: !!opts.ignoreTies,
  };
}

/** 1 / log_b(r + 1) for ranks r = 1..m, zero past k. */
function discounts(m: number, k: number, base: number): Float64Array {
  const d = new Float64Array(m);
  for (let r = 0; r < k; r++) d[r] = 1 / (Math.log(r + 2) / Math.log(base));
  return d;
}

function average(q: Queries, score: (row: number) => number): number {
  let total = 0,
    wsum = 0;
  for (let r = 0; r < q.n; r++) {
    const w = q.w ? q.w[r] : 1;
    total += w * score(r);
    wsum += w;
  }
  return total / wsum;
}

/** The row's items, best score first (ties: reverse index order). */
function rankedItems(q: Queries, r: number): number[] {
  const o = r * q.m;
  return Array.from({ length: q.m }, (_, j) => j).sort((a, b) => q.s[o + b] - q.s[o + a] || b - a);
}

function dcgOfRow(q: Queries, r: number, discount: Float64Array, ignoreTies: boolean): number {
  const o = r * q.m;
  const order = rankedItems(q, r);
  let dcg = 0;
  if (ignoreTies) {
    for (let i = 0; i < q.k; i++) dcg += discount[i] * q.y[o + order[i]];
    return dcg;
  }
  // each run of equal scores: its mean gain times the discounts of the ranks it spans
  for (let i = 0; i < q.m; ) {
    let j = i + 1,
      gain = q.y[o + order[i]];
    while (j < q.m && q.s[o + order[j]] === q.s[o + order[i]]) gain += q.y[o + order[j++]];
    let disc = 0;
    for (let t = i; t < j; t++) disc += discount[t];
    dcg += (gain / (j - i)) * disc;
    i = j;
  }
  return dcg;
}

/** The DCG of the best possible order (relevance descending). */
function idealDcg(q: Queries, r: number, discount: Float64Array): number {
  const g = Array.from(q.y.subarray(r * q.m, (r + 1) * q.m)).sort((a, b) => b - a);
  let dcg = 0;
  for (let i = 0; i < q.k; i++) dcg += discount[i] * g[i];
  return dcg;
}
