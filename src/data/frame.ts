/**
 * Frame: a column table with typed columns — numeric (Float64Array, NaN missing), categorical
 * (Int32Array codes into labels, −1 missing), boolean (Float64Array 0/1, NaN missing) and
 * datetime (epoch ms, NaN missing). It is also a Table (`rows`, `columns`), so loaders' output,
 * ColumnTransformer and the cleaning helpers all take it.
 */
import { DTypeError, LengthError, ParamError, ShapeError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { categoricalColumn, type FrameColumn, newColumns } from './column.js';
import { type CategoricalSummary, describeColumn, type NumericSummary } from './describe.js';
import { type ColumnInput, toColumn } from './ops/assign.js';
import { type CrosstabOptions, crosstab, type ValueCountsOptions, valueCounts } from './ops/counts.js';
import { type FillMethod, type FillValue, fillna } from './ops/fill.js';
import { GroupBy, type GroupByOptions } from './ops/group-by.js';
import { type JoinOptions, join } from './ops/join.js';
import { type ParseDatesOptions, parseDates } from './ops/parse-dates.js';
import { type DropnaOptions, type DuplicatedOptions, dropnaRows, duplicated, rowsWhere, type SortOptions, sortRows, takeRows } from './ops/rows.js';
import type { Column, Table } from './table.js';

export { categoricalColumn, type FrameColumn } from './column.js';
export type { CategoricalSummary, NumericSummary } from './describe.js';

/** Every code in [−1, labels): a plain loop, as a callback per row costs more than most operations on the column. */
function codesInRange(codes: Int32Array, labels: number): boolean {
  for (let i = 0; i < codes.length; i++) if (codes[i] < -1 || codes[i] >= labels) return false;
  return true;
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
      if (c.kind === 'categorical' && !codesInRange(c.codes, c.labels.length))
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

  private take(idx: ArrayLike<number>): Frame {
    return new Frame(takeRows(this, Int32Array.from(idx)));
  }

  /** Per-column summary: count, missing, mean/std (ddof 1, as pandas)/quartiles, or unique/top/freq. */
  describe(): Record<string, NumericSummary | CategoricalSummary> {
    const out: Record<string, NumericSummary | CategoricalSummary> = {};
    for (const [n, c] of this.cols) out[n] = describeColumn(c);
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

  // Table operations (src/data/ops/): each method hands the work to its module and wraps the columns.

  /** Counts of each value (or combination of values) of the columns, most frequent first, as pandas' value_counts. */
  valueCounts(columns: string | string[], opts: ValueCountsOptions = {}): Frame {
    return new Frame(valueCounts(this, columns, opts));
  }

  /** Counts of each pair of values of two columns (pandas' crosstab), with normalize and margins. */
  crosstab(index: string, columns: string, opts: CrosstabOptions = {}): Frame {
    return new Frame(crosstab(this, index, columns, opts));
  }

  /** The rows grouped by the key columns, for agg, size and transform. */
  groupBy(keys: string | string[], opts: GroupByOptions = {}): GroupBy<Frame> {
    return new GroupBy(this, keys, opts, (columns) => new Frame(columns));
  }

  /** This frame's rows joined with the other's on key columns (a hash join, as pandas' merge). */
  join(other: Frame, opts: JoinOptions = {}): Frame {
    if (!(other instanceof Frame)) throw new ParamError('Frame.join: other must be a Frame');
    return new Frame(join(this, other, opts));
  }

  /** A frame with the column added (or replaced, in place): a column, numbers, text, or a function of this frame giving one. */
  assign(name: string, value: ColumnInput | ((frame: Frame) => ColumnInput)): Frame {
    if (typeof name !== 'string' || name === '') throw new ParamError('Frame.assign: name must be a non-empty string');
    const col = toColumn(typeof value === 'function' ? value(this) : value, this.rows, name);
    const out = newColumns();
    for (const [n, c] of this.cols) out[n] = n === name ? col : c;
    out[name] = col;
    return new Frame(out);
  }

  /** 1 for each row equal (on the subset's columns, all by default) to a row kept before it. */
  duplicated(subset?: string | string[], opts: DuplicatedOptions = {}): Uint8Array {
    return duplicated(this, subset, opts);
  }

  /** The frame without duplicated rows (keep 'first', 'last' or false: none of them). */
  dropDuplicates(subset?: string | string[], opts: DuplicatedOptions = {}): Frame {
    const dup = duplicated(this, subset, opts);
    return this.take(rowsWhere(this.rows, (r) => dup[r] === 0));
  }

  /** The rows without missing values in the subset (how 'any'), or not missing in all of it (how 'all'). */
  dropna(opts: DropnaOptions = {}): Frame {
    return this.take(dropnaRows(this, opts));
  }

  /** Missing values filled with a value (per column type), one value per column, or { method: 'ffill' | 'bfill' }. */
  fillna(arg: FillValue | Record<string, FillValue> | FillMethod): Frame {
    return new Frame(fillna(this, arg));
  }

  /** The rows sorted by the columns (stable; labels by text; missing values last unless naPosition 'first'). */
  sortBy(columns: string | string[], opts: SortOptions = {}): Frame {
    return this.take(sortRows(this, columns, opts));
  }

  /** A frame with the text column read as dates (epoch ms): ISO 8601, or a strptime-style format. */
  parseDates(column: string, opts: ParseDatesOptions = {}): Frame {
    return this.assign(column, parseDates(this, column, opts));
  }
}
