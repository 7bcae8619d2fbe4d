/**
 * Request bodies into model input: `{ rows: [{col: value}] }`, `{ row: {...} }` or
 * `{ instances: [[...]] }`, checked against the model's input schema in one pass (compiled once
 * per model version, no per-row allocation beyond the output arrays). The first bad value
 * answers 400 naming the row index, the field and the problem.
 */
import { ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import { parseDateText } from '../../data/dates.js';
import type { Column, Table } from '../../data/table.js';
import type { Schema } from '../../data/schema.js';
import { HttpError } from './errors.js';
import type { ServedModel } from './types.js';

export interface InputOptions {
  /** Most rows one request may carry. */
  maxRows: number;
  /** Numbers outside the schema's [min, max] and strings outside its `values`: refused (true), reported (`'warn'`) or let through (false). */
  checkRanges: boolean | 'warn';
  /** What to do with row fields the schema does not name. */
  extraFields: 'reject' | 'ignore';
}

export interface ModelInput {
  X: Matrix<Float64Array> | Table;
  rows: number;
  /** With checkRanges 'warn': the first values outside the training ranges (at most MAX_WARNINGS). */
  warnings?: string[];
}

const MAX_WARNINGS = 20;

export type InputReader = (body: unknown) => ModelInput;

type Problem = 'missing' | 'wrong_type' | 'nulls' | 'below_min' | 'above_max' | 'unknown_value' | 'unknown_field' | 'wrong_length';

function bad(row: number, field: string | number | undefined, problem: Problem, message: string, code: 'E_PARAM' | 'E_DTYPE' = 'E_PARAM'): HttpError {
  return new HttpError(400, code, message, field === undefined ? { row, problem } : { row, field, problem });
}

function rowLabel(from: string, i: number): string {
  return from === 'row' ? 'row' : `${from}[${i}]`;
}

function show(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

/** The rows of a body, whichever of the three shapes it uses. */
function bodyRows(body: unknown, maxRows: number): { list: readonly unknown[]; from: 'rows' | 'row' | 'instances' } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'E_PARAM', 'the request body must be a JSON object: { "rows": [{...}] }, { "row": {...} } or { "instances": [[...]] }');
  }
  const b = body as { rows?: unknown; row?: unknown; instances?: unknown };
  const given = (b.rows !== undefined ? 1 : 0) + (b.row !== undefined ? 1 : 0) + (b.instances !== undefined ? 1 : 0);
  if (given !== 1) {
    throw new HttpError(
      400,
      'E_PARAM',
      given === 0
        ? 'the request body has none of "rows", "row" or "instances"; send exactly one'
        : 'the request body has more than one of "rows", "row" and "instances"; send exactly one',
    );
  }
  let list: unknown, from: 'rows' | 'row' | 'instances';
  if (b.row !== undefined) {
    list = [b.row];
    from = 'row';
  } else if (b.rows !== undefined) {
    list = b.rows;
    from = 'rows';
  } else {
    list = b.instances;
    from = 'instances';
  }
  if (!Array.isArray(list)) throw new HttpError(400, 'E_PARAM', `"${from}" must be an array, got ${show(list)}`);
  if (list.length === 0) throw new HttpError(400, 'E_EMPTY', `"${from}" is empty; send at least one row`);
  if (list.length > maxRows) {
    throw new HttpError(400, 'E_PARAM', `"${from}" has ${list.length} rows; this server takes at most ${maxRows} per request — split the batch`);
  }
  return { list, from };
}

/** The reader for one model version: schema-checked rows into a Matrix or a column table. */
export function compileInput(served: ServedModel, opts: InputOptions): InputReader {
  const schema = served.inputSchema;
  if (!schema) return instancesOnly(opts);
  return schemaReader(schema, served.inputFormat, opts, `${served.name} v${served.version}`);
}

/** No schema: only `instances`, equally long arrays of numbers (null is missing → NaN). */
function instancesOnly(opts: InputOptions): InputReader {
  return (body) => {
    const { list, from } = bodyRows(body, opts.maxRows);
    if (from !== 'instances') {
      throw new HttpError(
        400,
        'E_PARAM',
        `this model has no input schema, so row objects cannot be laid out as columns; send "instances": [[numbers in training column order]]`,
      );
    }
    const n = list.length;
    const first = list[0];
    if (!Array.isArray(first)) throw bad(0, undefined, 'wrong_type', `instances[0] must be an array of numbers, got ${show(first)}`, 'E_DTYPE');
    const p = first.length;
    if (p === 0) throw bad(0, undefined, 'wrong_length', 'instances[0] is empty');
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const r = list[i];
      if (!Array.isArray(r)) throw bad(i, undefined, 'wrong_type', `instances[${i}] must be an array of numbers, got ${show(r)}`, 'E_DTYPE');
      if (r.length !== p)
        throw bad(i, undefined, 'wrong_length', `instances[${i}] has ${r.length} values but instances[0] has ${p}; every instance must be equally long`);
      for (let j = 0; j < p; j++) {
        const v = r[j];
        if (typeof v === 'number' && Number.isFinite(v)) data[i * p + j] = v;
        else if (v === null) data[i * p + j] = NaN;
        else throw bad(i, j, 'wrong_type', `instances[${i}][${j}]: expected a number, got ${show(v)}`, 'E_DTYPE');
      }
    }
    return { X: new Matrix(data, n, p), rows: n };
  };
}

function schemaReader(schema: Schema, format: 'matrix' | 'table' | undefined, opts: InputOptions, owner: string): InputReader {
  const names = Object.keys(schema);
  const p = names.length;
  if (p === 0) throw new ParamError(`${owner}: the input schema names no columns`);
  const numeric = names.map((c) => schema[c].type === 'number');
  const datetime = names.map((c) => schema[c].type === 'number' && schema[c].datetime === true);
  const nullable = names.map((c) => schema[c].nullable === true);
  const ranges = opts.checkRanges !== false;
  const min = names.map((c) => (ranges && schema[c].min !== undefined ? schema[c].min! : -Infinity));
  const max = names.map((c) => (ranges && schema[c].max !== undefined ? schema[c].max! : Infinity));
  const allowed = names.map((c) => (ranges && schema[c].values ? new Set(schema[c].values) : null));
  // 'warn': the request is answered and the values are listed (the reader runs synchronously, one request at a time)
  let warnings: string[] | null = null;
  const outside = (i: number, j: number, problem: Problem, message: string) => {
    if (warnings === null) throw bad(i, names[j], problem, message);
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
  };
  const known = new Set(names);
  const asMatrix = format === 'matrix' || (format === undefined && numeric.every(Boolean));
  if (asMatrix && !numeric.every(Boolean)) {
    throw new ParamError(
      `${owner}: inputFormat 'matrix' needs every schema column to be a number, but '${names[numeric.indexOf(false)]}' is a string; use inputFormat 'table'`,
    );
  }
  const rejectExtra = opts.extraFields === 'reject';

  /** The checked value of column j of row i: a finite number, NaN (missing), a string or null (missing). */
  const check = (i: number, j: number, v: unknown, from: string): number | string | null => {
    if (v === undefined || v === null) {
      if (!nullable[j]) {
        throw bad(
          i,
          names[j],
          v === undefined ? 'missing' : 'nulls',
          `${rowLabel(from, i)}: '${names[j]}' is ${v === undefined ? 'missing' : 'null'} but the model's schema does not allow missing values there (its training data had none); send a value`,
        );
      }
      return numeric[j] ? NaN : null;
    }
    if (numeric[j]) {
      // booleans are not numbers: true for a numeric field is a client bug, not 1
      let x: number;
      if (typeof v === 'number') x = v;
      else if (datetime[j] && typeof v === 'string') {
        x = parseDateText(v);
        if (Number.isNaN(x))
          throw bad(
            i,
            names[j],
            'wrong_type',
            `${rowLabel(from, i)}: '${names[j]}' must be a date (ISO 8601 text such as "2024-03-01T12:00:00Z", or epoch ms), got ${show(v)}`,
            'E_DTYPE',
          );
      } else {
        throw bad(
          i,
          names[j],
          'wrong_type',
          `${rowLabel(from, i)}: '${names[j]}' must be ${datetime[j] ? 'a date (ISO 8601 text or epoch ms)' : 'a number'}, got ${show(v)}`,
          'E_DTYPE',
        );
      }
      if (!Number.isFinite(x)) throw bad(i, names[j], 'wrong_type', `${rowLabel(from, i)}: '${names[j]}' must be finite, got ${x}`, 'E_DTYPE');
      if (x < min[j]) outside(i, j, 'below_min', `${rowLabel(from, i)}: '${names[j]}' is ${x}, below the schema's minimum ${min[j]}`);
      if (x > max[j]) outside(i, j, 'above_max', `${rowLabel(from, i)}: '${names[j]}' is ${x}, above the schema's maximum ${max[j]}`);
      return x;
    }
    if (typeof v !== 'string') throw bad(i, names[j], 'wrong_type', `${rowLabel(from, i)}: '${names[j]}' must be a string, got ${show(v)}`, 'E_DTYPE');
    const a = allowed[j];
    if (a !== null && !a.has(v)) outside(i, j, 'unknown_value', `${rowLabel(from, i)}: '${names[j]}' is ${show(v)}, not one of ${JSON.stringify([...a])}`);
    return v;
  };

  /** The first field of a row object that the schema does not name (called only when there is one). */
  const extraField = (o: Record<string, unknown>, i: number, from: string): HttpError => {
    const k = Object.keys(o).find((key) => !known.has(key))!;
    return bad(i, k, 'unknown_field', `${rowLabel(from, i)}: '${k}' is not a column of the model's schema (${names.join(', ')})`);
  };

  return (body) => {
    const { list, from } = bodyRows(body, opts.maxRows);
    warnings = opts.checkRanges === 'warn' ? [] : null;
    const n = list.length;
    const data = asMatrix ? new Float64Array(n * p) : null;
    const cols: Column[] | null = asMatrix ? null : numeric.map((isNum) => (isNum ? new Float64Array(n) : new Array<string | null>(n)));
    const arrays = from === 'instances';
    for (let i = 0; i < n; i++) {
      const r = list[i];
      if (arrays) {
        if (!Array.isArray(r))
          throw bad(i, undefined, 'wrong_type', `${rowLabel(from, i)} must be an array of ${p} values (${names.join(', ')}), got ${show(r)}`, 'E_DTYPE');
        if (r.length !== p)
          throw bad(i, undefined, 'wrong_length', `${rowLabel(from, i)} has ${r.length} values but the model takes ${p} (${names.join(', ')})`);
      } else if (r === null || typeof r !== 'object' || Array.isArray(r)) {
        throw bad(i, undefined, 'wrong_type', `${rowLabel(from, i)} must be an object { column: value }, got ${show(r)}`, 'E_DTYPE');
      }
      let present = 0;
      for (let j = 0; j < p; j++) {
        // own keys only: a row without 'constructor' has no constructor field, whatever Object.prototype holds
        const v = arrays ? (r as unknown[])[j] : Object.hasOwn(r as object, names[j]) ? (r as Record<string, unknown>)[names[j]] : undefined;
        if (v !== undefined) present++;
        const x = check(i, j, v, from);
        if (data !== null) data[i * p + j] = x as number;
        else (cols![j] as (number | string | null)[])[i] = x;
      }
      // more keys than schema columns found: some key is not a column
      if (!arrays && rejectExtra && Object.keys(r as object).length > present) throw extraField(r as Record<string, unknown>, i, from);
    }
    const found = warnings !== null && warnings.length > 0 ? { warnings } : {};
    if (data !== null) return { X: new Matrix(data, n, p), rows: n, ...found };
    // entries, not assignment: a '__proto__' column stays a column
    const columns: Record<string, Column> = Object.fromEntries(names.map((c, j) => [c, cols![j]]));
    return { X: { rows: n, columns }, rows: n, ...found };
  };
}
