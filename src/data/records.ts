/** JSON rows (an array of objects, as APIs and vega-datasets' .json files give) into a column table. */
import { DataFormatError, EmptyInputError } from '../core/errors.js';
import type { Column, Table } from './table.js';

/**
 * Columns are the union of the objects' keys; a column whose present values are all numbers
 * (or booleans) becomes a Float64Array, else strings; absent or null values are missing.
 */
export function fromRecords(records: readonly Record<string, unknown>[]): Table {
  if (!Array.isArray(records)) throw new DataFormatError('fromRecords: records must be an array of objects');
  if (records.length === 0) throw new EmptyInputError('fromRecords: records is empty');
  const names: string[] = [], seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new DataFormatError(`fromRecords: records[${i}] is not an object`);
    for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  });
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const numeric = records.every((r) => r[name] === undefined || r[name] === null || typeof r[name] === 'number' || typeof r[name] === 'boolean');
    columns[name] = numeric
      ? Float64Array.from(records, (r) => (r[name] === undefined || r[name] === null ? NaN : Number(r[name])))
      : records.map((r) => (r[name] === undefined || r[name] === null ? null : String(r[name])));
  }
  return { rows: records.length, columns };
}
