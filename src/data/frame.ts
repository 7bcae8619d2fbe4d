/**
 * Frame: a column table with typed columns — numeric (Float64Array, NaN missing), categorical
 * (Int32Array codes into labels, −1 missing), boolean (Float64Array 0/1, NaN missing) and
 * datetime (epoch ms, NaN missing). It is also a Table (`rows`, `columns`), so loaders' output,
 * ColumnTransformer and the cleaning helpers all take it.
 */
import { DTypeError, LengthError, ParamError, ShapeError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { centralMoments, kurtosisOf, skewOf } from '../core/moments.js';
import { percentile } from '../core/numeric.js';
import type { Column, Table } from './table.js';

export type FrameColumn = { kind: 'numeric' | 'boolean' | 'datetime'; values: Float64Array } | { kind: 'categorical'; codes: Int32Array; labels: string[] };

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

/** Strings (null = missing) as a categorical column: sorted labels, codes into them, −1 for missing. */
export function categoricalColumn(values: readonly (string | null)[]): FrameColumn {
  const labels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  return { kind: 'categorical', labels, codes: Int32Array.from(values, (v) => (v === null ? -1 : index.get(v)!)) };
}

/** Distinct values, the most frequent one (smallest on ties) with its count, and the zeros of sorted values. */
function runsOfSorted(v: Float64Array): { distinct: number; top: number; freq: number; zeros: number } {
  let distinct = 0,
    top = NaN,
    freq = 0,
    zeros = 0;
  for (let i = 0; i < v.length; ) {
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
  return { distinct, top, freq, zeros };
}

export class Frame implements Table {
  readonly rows: number;
  private readonly cols: Map<string, FrameColumn>;
  private decoded: Record<string, Column> | undefined;

  constructor(columns: Record<string, FrameColumn>) {
    const entries = Object.entries(columns);
    if (entries.length === 0) throw new ParamError('Frame: needs at least one column');
    const length = (c: FrameColumn) => (c.kind === 'categorical' ? c.codes.length : c.values.length);
    this.rows = length(entries[0][1]);
    for (const [name, c] of entries) {
      if (length(c) !== this.rows) throw new LengthError(`Frame: column '${name}' has ${length(c)} rows, '${entries[0][0]}' has ${this.rows}`);
      if (c.kind === 'categorical' && c.codes.some((k) => k < -1 || k >= c.labels.length))
        throw new ParamError(`Frame: column '${name}' has codes outside its ${c.labels.length} labels`);
    }
    this.cols = new Map(entries);
  }

  /** From a loader's table: Float64Array columns stay numeric (or datetime/boolean as named), strings become categorical. */
  static fromTable(table: Table, kinds: Record<string, 'datetime' | 'boolean'> = {}): Frame {
    const out: Record<string, FrameColumn> = {};
    for (const [name, col] of Object.entries(table.columns)) {
      if (col instanceof Float64Array) out[name] = { kind: kinds[name] ?? 'numeric', values: col };
      else out[name] = categoricalColumn(col);
    }
    return new Frame(out);
  }

  get columnNames(): string[] {
    return [...this.cols.keys()];
  }

  column(name: string): FrameColumn {
    const c = this.cols.get(name);
    if (!c) throw new ShapeError(`Frame has no column '${name}'; it has ${this.columnNames.join(', ')}`);
    return c;
  }

  /** Columns as a loader's table gives them (categorical decoded to strings, cached). */
  get columns(): Record<string, Column> {
    this.decoded ??= Object.fromEntries(
      [...this.cols].map(([n, c]) => [n, c.kind === 'categorical' ? Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k])) : c.values]),
    );
    return this.decoded;
  }

  select(names: string[]): Frame {
    return new Frame(Object.fromEntries(names.map((n) => [n, this.column(n)])));
  }

  /** Rows where keep[r] is truthy, or where the predicate holds for the row as an object. */
  filter(keep: ArrayLike<number | boolean> | ((row: Record<string, number | string | null>, index: number) => boolean)): Frame {
    let idx: number[];
    if (typeof keep === 'function') {
      idx = [];
      for (let r = 0; r < this.rows; r++) if (keep(this.row(r), r)) idx.push(r);
    } else {
      if (keep.length !== this.rows) throw new LengthError(`Frame.filter: mask has ${keep.length} entries, the frame has ${this.rows} rows`);
      idx = [];
      for (let r = 0; r < this.rows; r++) if (keep[r]) idx.push(r);
    }
    return this.take(idx);
  }

  head(n = 5): Frame {
    return this.take(Array.from({ length: Math.min(n, this.rows) }, (_, i) => i));
  }

  /** Row r as an object (categorical as labels, missing as null). */
  row(r: number): Record<string, number | string | null> {
    const out: Record<string, number | string | null> = {};
    for (const [n, c] of this.cols) {
      if (c.kind === 'categorical') out[n] = c.codes[r] < 0 ? null : c.labels[c.codes[r]];
      else out[n] = Number.isNaN(c.values[r]) ? null : c.values[r];
    }
    return out;
  }

  private take(idx: readonly number[]): Frame {
    return new Frame(
      Object.fromEntries(
        [...this.cols].map(([n, c]) => [
          n,
          c.kind === 'categorical'
            ? { kind: 'categorical', labels: c.labels, codes: Int32Array.from(idx, (r) => c.codes[r]) }
            : { kind: c.kind, values: Float64Array.from(idx, (r) => c.values[r]) },
        ]),
      ),
    );
  }

  /** Per-column summary: count, missing, mean/std (ddof 1, as pandas)/quartiles, or unique/top/freq. */
  describe(): Record<string, NumericSummary | CategoricalSummary> {
    const out: Record<string, NumericSummary | CategoricalSummary> = {};
    for (const [n, c] of this.cols) {
      if (c.kind === 'categorical') {
        const counts = new Int32Array(c.labels.length);
        let missing = 0;
        for (const k of c.codes)
          if (k < 0) missing++;
          else counts[k]++;
        let top = -1;
        counts.forEach((v, k) => {
          if (top < 0 || v > counts[top]) top = k;
        });
        out[n] = {
          kind: 'categorical',
          count: this.rows - missing,
          missing,
          unique: counts.filter((v) => v > 0).length,
          top: top < 0 ? null : c.labels[top],
          freq: top < 0 ? 0 : counts[top],
          missingPct: this.rows ? (100 * missing) / this.rows : NaN,
        };
      } else {
        const v = Float64Array.from(c.values.filter((x) => !Number.isNaN(x))).sort();
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : NaN;
        const moments = centralMoments(v);
        const { distinct, top, freq, zeros } = runsOfSorted(v);
        out[n] = {
          kind: c.kind,
          count: v.length,
          missing: this.rows - v.length,
          mean,
          std,
          min: v.length ? v[0] : NaN,
          q25: percentile(v, 25),
          median: percentile(v, 50),
          q75: percentile(v, 75),
          max: v.length ? v[v.length - 1] : NaN,
          // pandas' skew() and kurt() are the bias-corrected estimators, NaN below 3 / 4 values
          skew: v.length > 2 ? skewOf(moments, false) : NaN,
          kurtosis: v.length > 3 ? kurtosisOf(moments, true, false) : NaN,
          missingPct: this.rows ? (100 * (this.rows - v.length)) / this.rows : NaN,
          zerosPct: this.rows ? (100 * zeros) / this.rows : NaN,
          distinct,
          top,
          freq,
        };
      }
    }
    return out;
  }

  /** Numeric, boolean and datetime columns as a row-major f64 Matrix (categorical ones must be encoded first). */
  toMatrix(names: string[] = this.columnNames): Matrix<Float64Array> {
    const cols = names.map((n) => {
      const c = this.column(n);
      if (c.kind === 'categorical')
        throw new DTypeError(`Frame.toMatrix: column '${n}' is categorical; encode it (OneHotEncoder, OrdinalEncoder) or leave it out`);
      return c.values;
    });
    const out = new Float64Array(this.rows * cols.length);
    cols.forEach((col, j) => {
      for (let r = 0; r < this.rows; r++) out[r * cols.length + j] = col[r];
    });
    return new Matrix(out, this.rows, cols.length);
  }
}
