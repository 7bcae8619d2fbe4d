/**
 * Row-level operations that pick or reorder rows: duplicated/dropDuplicates (pandas' keep
 * semantics, missing equal to missing), dropna (any/all over a subset), and the stable
 * multi-column sort. Each returns row indices; the Frame takes them.
 */
import { ParamError } from '../../core/errors.js';
import { blockEnd, PASS_BLOCK } from '../../core/passes.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { isMissing, nameList, requireColumns, takeColumn, newColumns } from '../column.js';
import type { BackendChoice } from '../../backend/contract/names.js';
import { factorizeKeys, groupKernels, groupRows, type KeyOrder, rowGroups } from './factorize.js';

export interface DuplicatedOptions {
  /** Which of equal rows is not a duplicate: the first, the last, or none (every repeated row is). Default: 'first'. */
  keep?: 'first' | 'last' | false;
  /** Where the rows are hashed: 'native', 'js', or 'auto' (native when built). Default: the process-wide choice. */
  backend?: BackendChoice;
}

/** Flags the block's rows that do not open their group; returns the count of groups opened so far. */
function repeatsBlock(codes: Int32Array, lo: number, hi: number, opened: number, out: Uint8Array): number {
  for (let r = lo; r < hi; r++) {
    if (codes[r] === opened) opened++;
    else out[r] = 1;
  }
  return opened;
}

/** 1 for each row equal, on the subset's columns (all by default), to a row kept before it. */
export function duplicated(source: ColumnSource, subset: string | readonly string[] | undefined, opts: DuplicatedOptions = {}): Uint8Array {
  checkOptions(opts, ['keep', 'backend'], 'duplicated');
  const keep = opts.keep ?? 'first';
  if (keep !== 'first' && keep !== 'last' && keep !== false)
    throw new ParamError(`duplicated: keep must be 'first', 'last' or false, got ${JSON.stringify(keep)}`);
  const names = subset === undefined ? source.columnNames : nameList(subset, 'subset', 'duplicated');
  const g = rowGroups(requireColumns(source, names, 'duplicated'), groupKernels(opts.backend, 'duplicated'));
  const out = new Uint8Array(source.rows);
  if (keep === 'first') {
    // codes number the groups in order of first appearance: a row opens its group exactly when its
    // code is the count of groups opened before it
    for (let lo = 0, opened = 0; lo < source.rows; lo += PASS_BLOCK) opened = repeatsBlock(g.codes, lo, blockEnd(lo, source.rows), opened, out);
    return out;
  }
  const seen = new Int32Array(g.n);
  if (keep === false) {
    for (const k of g.codes) seen[k]++;
    for (let r = 0; r < source.rows; r++) out[r] = seen[g.codes[r]] > 1 ? 1 : 0;
  } else {
    for (let r = source.rows - 1; r >= 0; r--) {
      const k = g.codes[r];
      out[r] = seen[k] ? 1 : 0;
      seen[k] = 1;
    }
  }
  return out;
}

export interface DropnaOptions {
  /** Columns to look at (all by default). */
  subset?: string | string[];
  /** Drop a row when any of them is missing, or only when all are. Default: 'any'. */
  how?: 'any' | 'all';
}

/** Rows to keep: those with no missing value (how 'any') or not all missing (how 'all') in the subset. */
export function dropnaRows(source: ColumnSource, opts: DropnaOptions = {}): Int32Array {
  checkOptions(opts, ['subset', 'how'], 'dropna');
  const how = opts.how ?? 'any';
  if (how !== 'any' && how !== 'all') throw new ParamError(`dropna: how must be 'any' or 'all', got ${JSON.stringify(how)}`);
  const names = opts.subset === undefined ? source.columnNames : nameList(opts.subset, 'subset', 'dropna');
  const cols = requireColumns(source, names, 'dropna');
  const missing = new Int32Array(source.rows);
  for (const c of cols) for (let r = 0; r < source.rows; r++) if (isMissing(c, r)) missing[r]++;
  const limit = how === 'any' ? 1 : cols.length;
  return rowsWhere(source.rows, (r) => missing[r] < limit);
}

export function rowsWhere(rows: number, keep: (r: number) => boolean): Int32Array {
  const idx = new Int32Array(rows);
  let k = 0;
  for (let r = 0; r < rows; r++) if (keep(r)) idx[k++] = r;
  return idx.slice(0, k);
}

export interface SortOptions {
  /** Ascending (true) or descending, for all columns or one per column. Default: true. */
  ascending?: boolean | boolean[];
  /** Missing values after the others ('last') or before ('first'), whatever the direction. Default: 'last'. */
  naPosition?: 'first' | 'last';
}

/** Row order sorted by the columns (labels by text), stable: equal rows keep their order. */
export function sortRows(source: ColumnSource, columns: string | readonly string[], opts: SortOptions = {}): Int32Array {
  checkOptions(opts, ['ascending', 'naPosition'], 'sortBy');
  const names = nameList(columns, 'columns', 'sortBy');
  const cols = requireColumns(source, names, 'sortBy');
  const asc = opts.ascending ?? true;
  const ascending = Array.isArray(asc) ? asc : names.map(() => asc);
  if (ascending.length !== names.length || ascending.some((a) => typeof a !== 'boolean'))
    throw new ParamError(`sortBy: ascending must be a boolean or ${names.length} booleans (one per column)`);
  const naPosition = opts.naPosition ?? 'last';
  if (naPosition !== 'first' && naPosition !== 'last') throw new ParamError(`sortBy: naPosition must be 'first' or 'last', got ${JSON.stringify(naPosition)}`);
  const orders: KeyOrder[] = ascending.map((a) => ({ sort: true, dropna: false, descending: !a, naFirst: naPosition === 'first' }));
  const g = factorizeKeys(cols, orders[0], orders);
  return groupRows(g).rows;
}

/** The frame's columns at rows idx. */
export function takeRows(source: ColumnSource, idx: Int32Array): Record<string, FrameColumn> {
  const out = newColumns();
  for (const n of source.columnNames) out[n] = takeColumn(source.column(n), idx);
  return out;
}
