/** Row-level cleaning of column tables: keep rows by mask, drop duplicate rows. */
import { LengthError, ParamError } from '../core/errors.js';
import { checkOptions } from '../core/validate.js';
import type { Column, Table } from './table.js';

/** The rows where keep[r] is truthy, every column alike. */
export function filterRows(table: Table, keep: ArrayLike<number | boolean>): Table {
  if (keep.length !== table.rows) throw new LengthError(`filterRows: keep has ${keep.length} entries, the table has ${table.rows} rows`);
  const idx: number[] = [];
  for (let r = 0; r < table.rows; r++) if (keep[r]) idx.push(r);
  return takeRows(table, idx);
}

function takeRows(table: Table, idx: readonly number[]): Table {
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(table.columns)) {
    columns[name] = col instanceof Float64Array ? Float64Array.from(idx, (r) => col[r]) : idx.map((r) => col[r]);
  }
  return { rows: idx.length, columns };
}

export interface DropDuplicatesOptions {
  /** Columns that decide sameness (all by default). */
  keys?: string[];
  /** Which of the same rows stays. */
  keep?: 'first' | 'last';
}

/** Drops rows equal on the key columns (NaN and null equal themselves, as pandas counts them). */
export function dropDuplicates(table: Table, opts: DropDuplicatesOptions = {}): Table & { removed: number } {
  checkOptions(opts, ['keys', 'keep'], 'dropDuplicates');
  const keep = opts.keep ?? 'first';
  if (keep !== 'first' && keep !== 'last') throw new ParamError("dropDuplicates: keep must be 'first' or 'last'");
  const names = opts.keys ?? Object.keys(table.columns);
  const missing = names.filter((n) => !(n in table.columns));
  if (missing.length)
    throw new ParamError(`dropDuplicates: no column ${missing.map((m) => `'${m}'`).join(', ')}; the table has ${Object.keys(table.columns).join(', ')}`);
  const cols = names.map((n) => table.columns[n]);
  const seen = new Set<string>(),
    chosen: number[] = [];
  const order = keep === 'first' ? Array.from({ length: table.rows }, (_, r) => r) : Array.from({ length: table.rows }, (_, r) => table.rows - 1 - r);
  for (const r of order) {
    // typed key parts keep 1 (number) and '1' (string) apart; \u0001 cannot collide with JSON text
    const key = cols.map((c) => (c instanceof Float64Array ? String(c[r]) : JSON.stringify([c[r]]))).join('\u0001');
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(r);
  }
  chosen.sort((a, b) => a - b);
  return { ...takeRows(table, chosen), removed: table.rows - chosen.length };
}
