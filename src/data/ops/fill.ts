/**
 * Missing values filled: with a value for every column of its type, with one value per column,
 * or from the neighbouring rows (forward / backward fill, optionally at most `limit` in a row).
 * Columns keep their type: a number fills numeric, boolean and datetime columns, text fills
 * categorical ones (a new label joins the sorted labels).
 */
import { DTypeError, ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { nameList, requireColumns, newColumns } from '../column.js';

export type FillValue = number | string;
export interface FillMethod {
  method: 'ffill' | 'bfill';
  /** Columns to fill (all by default). */
  subset?: string | string[];
  /** At most this many consecutive missing values filled. Default: no limit. */
  limit?: number;
}

function isMethod(arg: unknown): arg is FillMethod {
  return typeof arg === 'object' && arg !== null && ((arg as FillMethod).method === 'ffill' || (arg as FillMethod).method === 'bfill');
}

export function fillna(source: ColumnSource, arg: FillValue | Record<string, FillValue> | FillMethod): Record<string, FrameColumn> {
  const out = newColumns();
  for (const n of source.columnNames) out[n] = source.column(n);
  if (isMethod(arg)) {
    checkOptions(arg, ['method', 'subset', 'limit'], 'fillna');
    const limit = arg.limit ?? Infinity;
    if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) throw new ParamError(`fillna: limit must be a positive integer, got ${arg.limit}`);
    const names = arg.subset === undefined ? source.columnNames : nameList(arg.subset, 'subset', 'fillna');
    requireColumns(source, names, 'fillna');
    for (const n of names) out[n] = fillFromNeighbours(out[n], arg.method === 'bfill', limit);
    return out;
  }
  if (typeof arg === 'number' || typeof arg === 'string') {
    for (const n of source.columnNames) {
      const c = out[n];
      if ((c.kind === 'categorical') === (typeof arg === 'string')) out[n] = fillValue(c, arg, n);
    }
    return out;
  }
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg))
    throw new ParamError("fillna: pass a number or text, an object of them per column, or { method: 'ffill' | 'bfill' }");
  const names = Object.keys(arg);
  requireColumns(source, names, 'fillna');
  for (const n of names) out[n] = fillValue(out[n], arg[n], n);
  return out;
}

function fillValue(c: FrameColumn, value: FillValue, name: string): FrameColumn {
  if (c.kind === 'categorical') {
    if (typeof value !== 'string') throw new DTypeError(`fillna: column '${name}' is categorical; fill it with text, got ${typeof value}`);
    let labels = c.labels,
      code = labels.indexOf(value),
      codes = c.codes;
    if (code < 0) {
      // the new label joins the labels in sorted place, so codes of sorted labels stay sorted
      labels = [...c.labels, value].sort();
      const remap = Int32Array.from(c.labels, (l) => labels.indexOf(l));
      code = labels.indexOf(value);
      codes = c.codes.map((k) => (k < 0 ? k : remap[k]));
    }
    return { kind: 'categorical', labels, codes: codes.map((k) => (k < 0 ? code : k)) };
  }
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new DTypeError(`fillna: column '${name}' is ${c.kind}; fill it with a number, got ${JSON.stringify(value)}`);
  return { kind: c.kind, values: c.values.map((v) => (v === v ? v : value)) };
}

function fillFromNeighbours(c: FrameColumn, backward: boolean, limit: number): FrameColumn {
  const data = c.kind === 'categorical' ? c.codes.slice() : c.values.slice();
  const missing = (x: number) => (c.kind === 'categorical' ? x < 0 : x !== x);
  const n = data.length;
  let last = NaN,
    run = 0,
    have = false;
  for (let i = 0; i < n; i++) {
    const r = backward ? n - 1 - i : i,
      x = data[r];
    if (!missing(x)) {
      last = x;
      have = true;
      run = 0;
    } else if (have && run < limit) {
      data[r] = last;
      run++;
    }
  }
  return c.kind === 'categorical' ? { kind: 'categorical', labels: c.labels, codes: data as Int32Array } : { kind: c.kind, values: data as Float64Array };
}
