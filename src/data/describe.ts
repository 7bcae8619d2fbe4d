/**
 * One column's summary for Frame.describe and the profile: count, missing, mean/std (ddof 1, as
 * pandas), quartiles, skew/kurtosis, zeros, distinct/top/freq of a numeric column — all read off
 * one sorted copy of its values — or unique/top/freq of a categorical one.
 */
import { type CentralMoments, centralMoments, kurtosisOf, skewOf } from '../core/moments.js';
import { percentile } from '../core/numeric.js';
import { blockEnd } from '../core/passes.js';
import { sortedFinite } from '../ops/sort.js';
import { codeCounts, type FrameColumn } from './column.js';

export interface NumericSummary {
  kind: 'numeric' | 'boolean' | 'datetime';
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  q25: number;
  median: number;
  q75: number;
  max: number;
  /** Sample skewness, bias-corrected as pandas' `skew()` (NaN for fewer than 3 values or a constant column). */
  skew: number;
  /** Excess kurtosis, bias-corrected as pandas' `kurt()` (NaN for fewer than 4 values or a constant column). */
  kurtosis: number;
  /** Missing values as a percentage of the rows (0–100). */
  missingPct: number;
  /** Values equal to 0 as a percentage of the rows (0–100). */
  zerosPct: number;
  /** Number of distinct non-missing values. */
  distinct: number;
  /** The most frequent non-missing value (the smallest on ties; NaN when all are missing) and its count. */
  top: number;
  freq: number;
}
export interface CategoricalSummary {
  kind: 'categorical';
  count: number;
  missing: number;
  unique: number;
  top: string | null;
  freq: number;
  /** Missing values as a percentage of the rows (0–100). */
  missingPct: number;
}

/** Distinct values, the most frequent one (smallest on ties) with its count, and the zeros of sorted values. */
function runsOfSorted(v: Float64Array): { distinct: number; top: number; freq: number; zeros: number } {
  // [distinct, top, freq, zeros]
  const st = Float64Array.of(0, NaN, 0, 0);
  for (let i = 0; i < v.length; ) i = runsBlock(v, i, blockEnd(i, v.length), st);
  return { distinct: st[0], top: st[1], freq: st[2], zeros: st[3] };
}

/** The runs that start in [lo, hi) (the last may end past hi); returns where the next run starts. */
function runsBlock(v: Float64Array, lo: number, hi: number, st: Float64Array): number {
  let distinct = st[0],
    top = st[1],
    freq = st[2],
    zeros = st[3],
    i = lo;
  while (i < hi) {
    let j = i + 1;
    while (j < v.length && v[j] === v[i]) j++;
    distinct++;
    if (j - i > freq) {
      top = v[i];
      freq = j - i;
    }
    if (v[i] === 0) zeros += j - i;
    i = j;
  }
  st[0] = distinct;
  st[1] = top;
  st[2] = freq;
  st[3] = zeros;
  return i;
}

/**
 * The summary of a column. `sorted`: its non-NaN values in ascending order when the caller has
 * them already (the profile sorts each column once for every statistic that needs an order), and
 * `moments`: their central moments, when the caller needs them too (the profile's normality test).
 */
export function describeColumn(c: FrameColumn, sorted?: Float64Array, moments?: CentralMoments): NumericSummary | CategoricalSummary {
  if (c.kind === 'categorical') {
    const rows = c.codes.length;
    const counts = codeCounts(c.codes, c.labels.length);
    const missing = rows - counts.reduce((a, v) => a + v, 0);
    let top = -1,
      unique = 0;
    for (let k = 0; k < counts.length; k++) {
      if (counts[k] > 0) unique++;
      if (top < 0 || counts[k] > counts[top]) top = k;
    }
    return {
      kind: 'categorical',
      count: rows - missing,
      missing,
      unique,
      top: top < 0 ? null : c.labels[top],
      freq: top < 0 ? 0 : counts[top],
      missingPct: rows ? (100 * missing) / rows : NaN,
    };
  }
  const rows = c.values.length;
  const v = sorted ?? sortedFinite(c.values);
  // the sorted values hold no NaN: the moments' mean and squared deviations are describe's own
  const m = moments ?? centralMoments(v);
  const mean = m.mean;
  const std = v.length > 1 ? Math.sqrt(m.ss / (v.length - 1)) : NaN;
  const { distinct, top, freq, zeros } = runsOfSorted(v);
  return {
    kind: c.kind,
    count: v.length,
    missing: rows - v.length,
    mean,
    std,
    min: v.length ? v[0] : NaN,
    q25: percentile(v, 25),
    median: percentile(v, 50),
    q75: percentile(v, 75),
    max: v.length ? v[v.length - 1] : NaN,
    // pandas' skew() and kurt() are the bias-corrected estimators, NaN below 3 / 4 values
    skew: v.length > 2 ? skewOf(m, false) : NaN,
    kurtosis: v.length > 3 ? kurtosisOf(m, true, false) : NaN,
    missingPct: rows ? (100 * (rows - v.length)) / rows : NaN,
    zerosPct: rows ? (100 * zeros) / rows : NaN,
    distinct,
    top,
    freq,
  };
}
