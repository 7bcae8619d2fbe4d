/**
 * Table schemas: what each column must be (type, nullability, range, allowed values), inferred
 * from data or written by hand, and a validation that lists every violation at once.
 */
import { ParamError } from '../core/errors.js';
import type { Table } from './table.js';

export interface ColumnSchema {
  type: 'number' | 'string';
  nullable: boolean;
  min?: number;
  max?: number;
  /** Allowed values of a string column. */
  values?: string[];
  /**
   * A number column of dates as epoch ms (what `kiln train` records for its datetime features):
   * the HTTP server also takes ISO 8601 strings there, as training read them.
   */
  datetime?: boolean;
}

export type Schema = Record<string, ColumnSchema>;

export interface SchemaViolation {
  column: string;
  problem: 'missing_column' | 'wrong_type' | 'nulls' | 'below_min' | 'above_max' | 'unknown_value';
  /** Offending rows (0 for a column-level problem). */
  rows: number;
  message: string;
}

/** The schema the table satisfies: types, whether nulls occur, numeric ranges, string value sets up to maxValues. */
export function inferSchema(table: Table, opts: { maxValues?: number } = {}): Schema {
  const maxValues = opts.maxValues ?? 50;
  // entries, not assignment: a column named '__proto__' stays a column
  return Object.fromEntries(
    Object.entries(table.columns).map(([name, col]): [string, ColumnSchema] => {
      if (col instanceof Float64Array) {
        let min = Infinity,
          max = -Infinity,
          nulls = false;
        for (const v of col) {
          if (Number.isNaN(v)) nulls = true;
          else {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
        return [name, { type: 'number', nullable: nulls, ...(min <= max ? { min, max } : {}) }];
      }
      const seen = new Set<string>();
      let nulls = false;
      for (const v of col) {
        if (v === null) nulls = true;
        else if (seen.size <= maxValues) seen.add(v);
      }
      return [name, { type: 'string', nullable: nulls, ...(seen.size <= maxValues ? { values: [...seen].sort() } : {}) }];
    }),
  );
}

/** Every way the table breaks the schema (empty when it conforms). */
export function validateSchema(table: Table, schema: Schema): SchemaViolation[] {
  if (!schema || typeof schema !== 'object') throw new ParamError('validateSchema: schema must be an object { column: { type, nullable, … } }');
  const out: SchemaViolation[] = [];
  const add = (column: string, problem: SchemaViolation['problem'], rows: number, message: string) => out.push({ column, problem, rows, message });
  for (const [name, spec] of Object.entries(schema)) {
    const col = table.columns[name];
    if (col === undefined) {
      add(name, 'missing_column', 0, `column '${name}' is missing`);
      continue;
    }
    const isNumber = col instanceof Float64Array;
    if ((spec.type === 'number') !== isNumber) {
      add(name, 'wrong_type', 0, `column '${name}' holds ${isNumber ? 'numbers' : 'strings'}, the schema says ${spec.type}`);
      continue;
    }
    let nulls = 0,
      low = 0,
      high = 0,
      unknown = 0;
    const allowed = spec.values ? new Set(spec.values) : null;
    for (let r = 0; r < table.rows; r++) {
      const v = col[r];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
        nulls++;
        continue;
      }
      if (typeof v === 'number') {
        if (spec.min !== undefined && v < spec.min) low++;
        if (spec.max !== undefined && v > spec.max) high++;
      } else if (allowed && !allowed.has(v)) unknown++;
    }
    if (nulls && !spec.nullable) add(name, 'nulls', nulls, `column '${name}' has ${nulls} missing values but is not nullable`);
    if (low) add(name, 'below_min', low, `column '${name}' has ${low} values below ${spec.min}`);
    if (high) add(name, 'above_max', high, `column '${name}' has ${high} values above ${spec.max}`);
    if (unknown) add(name, 'unknown_value', unknown, `column '${name}' has ${unknown} values outside ${JSON.stringify(spec.values)}`);
  }
  return out;
}
