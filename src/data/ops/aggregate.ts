/**
 * Per-group reductions over integer group codes, one pass over the rows each (median and
 * nunique sort each group's values once), with pandas' semantics: missing values are skipped,
 * count is of non-missing values, std/var use ddof = 1 (Welford, as pandas' group_var), sums
 * are Kahan-compensated (as pandas' group_sum), and a group with nothing to reduce gives NaN
 * (0 for sum, count and nunique).
 */
import type { GroupKernels } from '../../backend/contract/group.js';
import { DTypeError, ParamError } from '../../core/errors.js';
import type { FrameColumn } from '../column.js';
import { labelRanks } from '../column.js';
import { type Codes, groupRows } from './factorize.js';

export const AGGREGATIONS = ['mean', 'std', 'var', 'sum', 'count', 'min', 'max', 'median', 'nunique', 'first', 'last'] as const;
export type AggName = (typeof AGGREGATIONS)[number];

const CATEGORICAL_AGGS: readonly AggName[] = ['count', 'nunique', 'first', 'last', 'min', 'max'];

/** Rows by group, computed on first need and shared by the reductions that sort (median, nunique). */
export class GroupedRows {
  private cache: { offsets: Int32Array; rows: Int32Array } | undefined;
  private sumCache = new WeakMap<Float64Array, { sum: Float64Array; count: Float64Array }>();
  constructor(
    readonly groups: Codes,
    private readonly kernels: GroupKernels,
  ) {}
  get(): { offsets: Int32Array; rows: Int32Array } {
    this.cache ??= groupRows(this.groups);
    return this.cache;
  }
  /** Sums and counts of a column's values per group, one pass shared by sum, mean and count (read-only). */
  sums(v: Float64Array): { sum: Float64Array; count: Float64Array } {
    let s = this.sumCache.get(v);
    if (!s) {
      s = this.kernels.groupSums(v, this.groups.codes, this.groups.n);
      this.sumCache.set(v, s);
    }
    return s;
  }
}

export function checkAggName(fn: unknown, caller: string): AggName {
  if (typeof fn !== 'string' || !(AGGREGATIONS as readonly string[]).includes(fn))
    throw new ParamError(`${caller}: unknown aggregation ${JSON.stringify(fn)}; use one of ${AGGREGATIONS.join(', ')}`);
  return fn as AggName;
}

/** `fn` of column `col` (named `name` in errors) per group: a column with one value per group. */
export function aggregate(col: FrameColumn, fn: AggName, grouped: GroupedRows, name: string): FrameColumn {
  const { codes, n } = grouped.groups;
  if (col.kind === 'categorical') {
    if (!CATEGORICAL_AGGS.includes(fn))
      throw new DTypeError(`groupBy: '${fn}' of column '${name}' needs numbers but the column is categorical; use ${CATEGORICAL_AGGS.join(', ')}`);
    return aggregateCategorical(col.codes, col.labels, fn, grouped);
  }
  const v = col.values;
  switch (fn) {
    case 'count':
      return numeric(grouped.sums(v).count.slice());
    case 'sum':
      if (col.kind === 'datetime') throw new DTypeError(`groupBy: 'sum' of column '${name}' adds dates; use min, max, mean or count`);
      return numeric(grouped.sums(v).sum.slice());
    case 'mean': {
      const { sum, count } = grouped.sums(v),
        mean = new Float64Array(n);
      for (let g = 0; g < n; g++) mean[g] = count[g] > 0 ? sum[g] / count[g] : NaN;
      return col.kind === 'datetime' ? { kind: 'datetime', values: mean } : numeric(mean);
    }
    case 'var':
    case 'std':
      return numeric(variances(v, codes, n, fn === 'std'));
    case 'min':
    case 'max':
      return { kind: col.kind, values: extremes(v, codes, n, fn === 'max') };
    case 'first':
    case 'last':
      return { kind: col.kind, values: pick(v, codes, n, fn === 'last') };
    case 'median': {
      const out = sortedReduce(v, grouped, (s, len) => (len === 0 ? NaN : len % 2 ? s[len >> 1] : (s[len / 2 - 1] + s[len / 2]) / 2));
      return col.kind === 'datetime' ? { kind: 'datetime', values: out } : numeric(out);
    }
    case 'nunique':
      return numeric(sortedReduce(v, grouped, distinctSorted));
  }
}

const numeric = (values: Float64Array): FrameColumn => ({ kind: 'numeric', values });

function variances(v: Float64Array, codes: Int32Array, n: number, sqrt: boolean): Float64Array {
  const mean = new Float64Array(n),
    m2 = new Float64Array(n),
    count = new Float64Array(n);
  for (let r = 0; r < v.length; r++) {
    const g = codes[r],
      x = v[r];
    if (g < 0 || x !== x) continue;
    const k = ++count[g],
      old = mean[g];
    mean[g] = old + (x - old) / k;
    m2[g] += (x - mean[g]) * (x - old);
  }
  for (let g = 0; g < n; g++) {
    const s = count[g] > 1 ? m2[g] / (count[g] - 1) : NaN;
    m2[g] = sqrt ? Math.sqrt(s) : s;
  }
  return m2;
}

function extremes(v: Float64Array, codes: Int32Array, n: number, max: boolean): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (let r = 0; r < v.length; r++) {
    const g = codes[r],
      x = v[r];
    if (g < 0 || x !== x) continue;
    const cur = out[g];
    if (cur !== cur || (max ? x > cur : x < cur)) out[g] = x;
  }
  return out;
}

/** First (or last) non-missing value of each group, as pandas' GroupBy.first/last. */
function pick(v: Float64Array, codes: Int32Array, n: number, last: boolean): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (let r = 0; r < v.length; r++) {
    const g = codes[r],
      x = v[r];
    if (g < 0 || x !== x) continue;
    if (last || out[g] !== out[g]) out[g] = x;
  }
  return out;
}

function distinctSorted(s: Float64Array, len: number): number {
  let d = 0;
  for (let i = 0; i < len; i++) if (i === 0 || s[i] !== s[i - 1]) d++;
  return d;
}

/** Each group's non-missing values sorted in a scratch buffer, reduced by f. */
function sortedReduce(v: ArrayLike<number>, grouped: GroupedRows, f: (sorted: Float64Array, len: number) => number): Float64Array {
  const { offsets, rows } = grouped.get(),
    n = offsets.length - 1,
    out = new Float64Array(n);
  let widest = 0;
  for (let g = 0; g < n; g++) widest = Math.max(widest, offsets[g + 1] - offsets[g]);
  const scratch = new Float64Array(widest);
  for (let g = 0; g < n; g++) {
    let len = 0;
    for (let i = offsets[g]; i < offsets[g + 1]; i++) {
      const x = v[rows[i]];
      if (x === x && x >= -Infinity) scratch[len++] = x;
    }
    const s = scratch.subarray(0, len).sort();
    out[g] = f(s, len);
  }
  return out;
}

function aggregateCategorical(codes: Int32Array, labels: string[], fn: AggName, grouped: GroupedRows): FrameColumn {
  const { codes: groups, n } = grouped.groups;
  if (fn === 'nunique') {
    const asNumbers = Float64Array.from(codes, (k) => (k < 0 ? NaN : k));
    return numeric(sortedReduce(asNumbers, grouped, distinctSorted));
  }
  if (fn === 'count') {
    const count = new Float64Array(n);
    for (let r = 0; r < codes.length; r++) if (groups[r] >= 0 && codes[r] >= 0) count[groups[r]]++;
    return numeric(count);
  }
  const out = new Int32Array(n).fill(-1);
  const ranks = fn === 'min' || fn === 'max' ? labelRanks(labels) : null;
  for (let r = 0; r < codes.length; r++) {
    const g = groups[r],
      k = codes[r];
    if (g < 0 || k < 0) continue;
    const cur = out[g];
    if (cur < 0 || fn === 'last' || (ranks && (fn === 'max' ? ranks[k] > ranks[cur] : ranks[k] < ranks[cur]))) out[g] = k;
  }
  return { kind: 'categorical', codes: out, labels };
}
