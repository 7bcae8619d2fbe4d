/**
 * frame.groupBy(keys): the rows factorized into groups once, then aggregations (`agg`, `size`)
 * into a frame with one row per group, and `transform` back onto the rows ("group statistics"
 * features). pandas' defaults: groups sorted by key, rows with a missing key left out
 * (`dropna: false` keeps them as a group of their own), the key columns first in the output.
 */
import type { BackendChoice } from '../../backend/contract/names.js';
import { DTypeError, LengthError, ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { nameList, requireColumns, takeColumn, newColumns } from '../column.js';
import { type AggName, aggregate, checkAggName, GroupedRows } from './aggregate.js';
import { factorizeKeys, type Grouping, groupKernels } from './factorize.js';

export interface GroupByOptions {
  /** Groups in ascending key order (true) or in order of first appearance (false). Default: true. */
  sort?: boolean;
  /** Leave out rows whose key is missing (true) or keep them as their own group (false). Default: true. */
  dropna?: boolean;
  /** Backend of the one-pass sums (sum, mean, count): 'native', 'js' or 'auto' (a process-wide 'webgpu' runs these on the CPU). Default: the process-wide choice. */
  backend?: BackendChoice;
}

/** Per column, one aggregation (the output column keeps the column's name) or several (named `column_fn`). */
export type AggSpec = Record<string, AggName | readonly AggName[]>;

/** A per-group function for transform: the group's values in row order (missing as NaN) → one number, or one per row. */
export type GroupFunction = (values: Float64Array) => number | ArrayLike<number>;

export class GroupBy<F> {
  readonly keys: string[];
  private readonly grouping: Grouping;
  private readonly grouped: GroupedRows;

  constructor(
    private readonly source: ColumnSource,
    keys: string | readonly string[],
    opts: GroupByOptions,
    private readonly make: (columns: Record<string, FrameColumn>) => F,
  ) {
    checkOptions(opts, ['sort', 'dropna', 'backend'], 'groupBy');
    this.keys = nameList(keys, 'keys', 'groupBy');
    const cols = requireColumns(source, this.keys, 'groupBy');
    this.grouping = factorizeKeys(cols, { sort: opts.sort ?? true, dropna: opts.dropna ?? true });
    this.grouped = new GroupedRows(this.grouping, groupKernels(opts.backend, 'groupBy'));
  }

  /** Number of groups. */
  get ngroups(): number {
    return this.grouping.n;
  }

  /** The group of each row (its index in the output of agg/size), −1 for a row left out (a copy). */
  get groupIds(): Int32Array {
    return this.grouping.codes.slice();
  }

  private keyColumns(): Record<string, FrameColumn> {
    const out = newColumns();
    for (const k of this.keys) out[k] = takeColumn(this.source.column(k), this.grouping.first);
    return out;
  }

  /** One row per group: the key columns, then each requested aggregation. */
  agg(spec: AggSpec): F {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || Object.keys(spec).length === 0)
      throw new ParamError("groupBy.agg: spec must be an object such as { delay: ['mean', 'count'] }");
    const out = this.keyColumns();
    for (const [name, fns] of Object.entries(spec)) {
      const [col] = requireColumns(this.source, [name], 'groupBy.agg');
      const list = typeof fns === 'string' ? [fns] : Array.isArray(fns) ? fns : [];
      if (list.length === 0) throw new ParamError(`groupBy.agg: '${name}' needs an aggregation or a non-empty list of them`);
      for (const fn of list) {
        const outName = typeof fns === 'string' ? name : `${name}_${fn}`;
        if (Object.hasOwn(out, outName))
          throw new ParamError(`groupBy.agg: the output would have two columns named '${outName}'; aggregate a key column under a list (e.g. ['count'])`);
        out[outName] = aggregate(col, checkAggName(fn, 'groupBy.agg'), this.grouped, name);
      }
    }
    return this.make(out);
  }

  /** Rows per group (missing values counted, as pandas' size), in a column named `size`. */
  size(): F {
    const out = this.keyColumns(),
      size = new Float64Array(this.grouping.n);
    for (const g of this.grouping.codes) if (g >= 0) size[g]++;
    if (Object.hasOwn(out, 'size')) throw new ParamError("groupBy.size: a key column is named 'size'; use agg({ key: 'count' }) instead");
    out.size = { kind: 'numeric', values: size };
    return this.make(out);
  }

  /**
   * A column aligned with the frame's rows: each row gets its group's `fn` of `column` (an
   * aggregation name, or a function of the group's values returning one number or one per row).
   * Rows left out of the grouping (missing key) get a missing value.
   */
  transform(column: string, fn: AggName | GroupFunction): FrameColumn {
    const [col] = requireColumns(this.source, [column], 'groupBy.transform');
    const { codes, n } = this.grouping;
    if (typeof fn !== 'function') {
      const perGroup = aggregate(col, checkAggName(fn, 'groupBy.transform'), this.grouped, column);
      return takeColumn(perGroup, codes);
    }
    if (col.kind === 'categorical') throw new DTypeError(`groupBy.transform: a function needs a numeric column; '${column}' is categorical`);
    const { offsets, rows } = this.grouped.get(),
      out = new Float64Array(codes.length).fill(NaN);
    for (let g = 0; g < n; g++) {
      const idx = rows.subarray(offsets[g], offsets[g + 1]);
      const values = Float64Array.from(idx, (r) => col.values[r]);
      const res = fn(values);
      if (typeof res === 'number') for (const r of idx) out[r] = res;
      else if (res && typeof res === 'object' && res.length === idx.length) idx.forEach((r, i) => (out[r] = Number(res[i])));
      else throw new LengthError(`groupBy.transform: the function must return a number or ${idx.length} values for group ${g}, got ${describe(res)}`);
    }
    return { kind: col.kind === 'boolean' ? 'numeric' : col.kind, values: out };
  }
}

function describe(v: unknown): string {
  return v && typeof v === 'object' && 'length' in v ? `${(v as ArrayLike<unknown>).length} values` : typeof v;
}
