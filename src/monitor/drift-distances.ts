/**
 * The distance-based drift measures, as Evidently computes them: the normed Wasserstein distance
 * on the raw numeric values, and on binned shares (Sturges bins over both samples for a numeric
 * feature, the union of categories for a categorical one, empty bins filled with 0.0001) the
 * Jensen–Shannon distance, PSI, Kullback–Leibler divergence and Hellinger distance. Values agree
 * with scipy's `wasserstein_distance`, `jensenshannon` and `entropy` (test/fixtures/drift).
 */
import { ParamError } from '../core/errors.js';
import { equalWidthEdges, histogramCounts } from '../core/numeric.js';
import { sortedCopy } from '../ops/sort.js';

/** Evidently's stand-in share for an empty bin, so logarithms stay finite. */
export const EMPTY_BIN_SHARE = 0.0001;

export interface BinnedShares {
  /** Bin labels: "[lo, hi)" ranges for numbers, category names otherwise. */
  labels: string[];
  reference: Float64Array;
  current: Float64Array;
  /** The bin edges (numeric features): one more than the shares. */
  edges?: Float64Array;
}

/** The finite values as a Float64Array: the input itself when it is one with nothing to drop (callers only read it). */
function finite(xs: ArrayLike<number>, what: string): Float64Array {
  let bad = 0;
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) bad++;
  if (bad === xs.length) throw new ParamError(`${what} has no finite values; drift needs at least one on each side`);
  if (bad === 0) return xs instanceof Float64Array ? xs : Float64Array.from(xs);
  const out = new Float64Array(xs.length - bad);
  for (let i = 0, k = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) out[k++] = xs[i];
  return out;
}

/**
 * numpy's histogram_bin_edges(concat(reference, current), 'sturges'): about log2(n) + 1 equal
 * bins over the combined range (a range of zero width: one bin widened by 0.5 on each side).
 */
export function sturgesEdges(reference: Float64Array, current: Float64Array): Float64Array {
  let lo = Infinity,
    hi = -Infinity;
  for (const xs of [reference, current]) for (const v of xs) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const n = reference.length + current.length;
  // numpy: width = range / (log2(n) + 1), bins = ceil(range / width) (one bin for a zero range)
  const width = (hi - lo) / (Math.log2(n) + 1);
  const bins = width > 0 ? Math.ceil((hi - lo) / width) : 1;
  return equalWidthEdges(lo, hi, bins);
}

/** numpy.histogram counts over `edges` (the last bin closed), as shares of the sample. */
function histogramShares(xs: Float64Array, edges: Float64Array): Float64Array {
  const counts = histogramCounts(xs, edges);
  for (let i = 0; i < counts.length; i++) counts[i] /= xs.length;
  return counts;
}

function fillEmpty(shares: Float64Array): Float64Array {
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = EMPTY_BIN_SHARE;
  return shares;
}

/** Shares per bin of a numeric feature on both sides (Sturges bins over both), empty bins filled. */
export function numericShares(reference: ArrayLike<number>, current: ArrayLike<number>, fillZeros = true): BinnedShares {
  const r = finite(reference, 'reference'),
    c = finite(current, 'current');
  const edges = sturgesEdges(r, c);
  const rs = histogramShares(r, edges),
    cs = histogramShares(c, edges);
  const labels = Array.from({ length: edges.length - 1 }, (_, i) => `[${edges[i]}, ${edges[i + 1]}${i === edges.length - 2 ? ']' : ')'}`);
  return { labels, edges, reference: fillZeros ? fillEmpty(rs) : rs, current: fillZeros ? fillEmpty(cs) : cs };
}

/** Shares per category on both sides over the union of categories (missing values left out), empty ones filled. */
export function categoricalShares(reference: ArrayLike<unknown>, current: ArrayLike<unknown>, fillZeros = true): BinnedShares {
  const count = (xs: ArrayLike<unknown>, what: string) => {
    const m = new Map<string, number>();
    let n = 0;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
      const k = String(v);
      m.set(k, (m.get(k) ?? 0) + 1);
      n++;
    }
    if (n === 0) throw new ParamError(`${what} has no values (all missing); drift needs at least one on each side`);
    return { m, n };
  };
  const r = count(reference, 'reference'),
    c = count(current, 'current');
  const labels = [...new Set([...r.m.keys(), ...c.m.keys()])].sort();
  const rs = Float64Array.from(labels, (k) => (r.m.get(k) ?? 0) / r.n);
  const cs = Float64Array.from(labels, (k) => (c.m.get(k) ?? 0) / c.n);
  return { labels, reference: fillZeros ? fillEmpty(rs) : rs, current: fillZeros ? fillEmpty(cs) : cs };
}

/** scipy.stats.wasserstein_distance(u, v) with equal weights: ∫ |F_u − F_v| over the merged sorted values. */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const a = sortedCopy(finite(u, 'u')),
    b = sortedCopy(finite(v, 'v'));
  // walk both sorted samples as one merged sequence: between consecutive values the two ECDFs are flat
  let dist = 0,
    i = 0,
    j = 0;
  let x = Math.min(a[0], b[0]);
  while (i < a.length || j < b.length) {
    while (i < a.length && a[i] <= x) i++;
    while (j < b.length && b[j] <= x) j++;
    if (i === a.length && j === b.length) break;
    const next = Math.min(i < a.length ? a[i] : Infinity, j < b.length ? b[j] : Infinity);
    dist += Math.abs(i / a.length - j / b.length) * (next - x);
    x = next;
  }
  return dist;
}

/** Evidently's normed Wasserstein distance: W1(reference, current) / std(reference) (population std). */
export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = finite(reference, 'reference');
  let mean = 0;
  for (const v of r) mean += v;
  mean /= r.length;
  let s2 = 0;
  for (const v of r) s2 += (v - mean) ** 2;
  const std = Math.sqrt(s2 / r.length);
  const w = wassersteinDistance(r, current);
  // a constant reference: any move is infinitely far in its own units, no move is no drift
  return std > 0 ? w / std : w === 0 ? 0 : Infinity;
}

function normalised(p: ArrayLike<number>, what: string): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0)) throw new ParamError(`${what}[${i}] is ${p[i]}; shares must be finite numbers >= 0`);
    s += p[i];
  }
  if (!(s > 0)) throw new ParamError(`${what} sums to 0; it needs at least one positive share`);
  return Float64Array.from(p, (v) => v / s);
}

function sameLength(p: ArrayLike<number>, q: ArrayLike<number>, fn: string): void {
  if (p.length !== q.length) throw new ParamError(`${fn}: p has ${p.length} shares but q has ${q.length}`);
}

/** scipy.spatial.distance.jensenshannon(p, q) (natural log): √((KL(p‖m) + KL(q‖m)) / 2), m = (p + q) / 2. */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'jensenShannonDistance');
  const a = normalised(p, 'p'),
    b = normalised(q, 'q');
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const m = (a[i] + b[i]) / 2;
    if (a[i] > 0) s += a[i] * Math.log(a[i] / m);
    if (b[i] > 0) s += b[i] * Math.log(b[i] / m);
  }
  return Math.sqrt(Math.max(0, s / 2));
}

/** scipy.stats.entropy(p, q): KL(p‖q) in nats over normalised shares; Infinity where q = 0 < p. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'klDivergence');
  const a = normalised(p, 'p'),
    b = normalised(q, 'q');
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    if (b[i] === 0) return Infinity;
    s += a[i] * Math.log(a[i] / b[i]);
  }
  return s;
}

/** Population stability index Σ (ref − cur) · ln(ref / cur) over binned shares (Evidently: < 0.1 stable, 0.1–0.25 moderate, > 0.25 drift). */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  sameLength(reference, current, 'psi');
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i],
      c = current[i];
    if (!(r > 0) || !(c > 0)) throw new ParamError(`psi: share ${i} is ${!(r > 0) ? r : c}; fill empty bins first (numericShares / categoricalShares do)`);
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/** Hellinger distance √(Σ (√p − √q)²) / √2 over normalised shares, in [0, 1]. */
export function hellingerDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'hellingerDistance');
  const a = normalised(p, 'p'),
    b = normalised(q, 'q');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (Math.sqrt(a[i]) - Math.sqrt(b[i])) ** 2;
  return Math.sqrt(s) / Math.SQRT2;
}
