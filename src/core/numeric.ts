/** numpy-compatible numeric helpers shared across rooms: sorted columns, percentiles, linspace. */
import type { Matrix } from './matrix.js';

/** Sorted non-NaN values of column c. */
export function sortedColumn(m: Matrix, c: number): Float64Array {
  const out: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const v = m.data[r * m.cols + c];
    if (!Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/**
 * numpy's percentile (linear interpolation) of sorted values, q in [0, 100]; NaN when empty.
 * Interpolates from the nearer end as numpy's _lerp does, so bin edges match it bit for bit.
 */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (q / 100) * (sorted.length - 1),
    lo = Math.floor(pos),
    hi = Math.min(lo + 1, sorted.length - 1);
  const t = pos - lo,
    a = sorted[lo],
    b = sorted[hi],
    d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** numpy's linspace(start, stop, num): start + i·step with the last value exactly stop. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num),
    step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** `bins` equal-width bin edges over [lo, hi] (numpy's linspace); a zero-width range is widened by 0.5 on each side, as numpy does. */
export function equalWidthEdges(lo: number, hi: number, bins: number): Float64Array {
  return lo === hi ? linspace(lo - 0.5, hi + 0.5, bins + 1) : linspace(lo, hi, bins + 1);
}

/** numpy.searchsorted on ascending `s`: the first index with s[i] >= x ('left') or s[i] > x ('right'). */
export function searchSorted(s: ArrayLike<number>, x: number, side: 'left' | 'right' = 'left'): number {
  let lo = 0,
    hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'right' ? s[mid] <= x : s[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** histogramCounts of values already in ascending order: two binary searches per bin instead of a pass. */
export function histogramCountsSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  // bin b holds [edges[b], edges[b + 1]), the last one closed on the right
  let start = searchSorted(sorted, edges[0], 'left');
  for (let b = 0; b < bins; b++) {
    const end = b === bins - 1 ? searchSorted(sorted, edges[bins], 'right') : searchSorted(sorted, edges[b + 1], 'left');
    counts[b] = end - start;
    start = end;
  }
  return counts;
}

/**
 * numpy.histogram counts of the values over equal-width `edges`: bins half-open but the last
 * closed; values outside [edges[0], edges[last]] and NaN are not counted. The uniform-bin index
 * is corrected against the edges themselves, so a value on an edge lands where numpy puts it.
 */
export function histogramCounts(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const lo = edges[0],
    hi = edges[bins],
    norm = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi)) continue;
    let b = Math.min(bins - 1, Math.floor((v - lo) * norm));
    if (v < edges[b]) b--;
    else if (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return counts;
}

/**
 * numpy's sum of a float64 array (pairwise summation: blocks of up to 128 values summed in 8
 * interleaved lanes, halves recursed), so means match numpy's bit for bit.
 */
export function numpySum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/** Σ a[i]·b[i], left to right. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The largest |a[i]| (0 when empty). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
