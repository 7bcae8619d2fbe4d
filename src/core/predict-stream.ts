/**
 * predictStream: predictions over an async (or plain) iterable of rows or batches, the library
 * twin of `kiln predict`. Pull-based: the next input is read only when the consumer asks for the
 * next result (back-pressure for free), and at most one batch of rows is held, so memory stays
 * bounded whatever the stream's length. Rows (arrays in column order, or objects keyed by column)
 * are gathered into batches of `batchSize`; batches given whole (a Matrix, an array of rows, a
 * column table { rows, columns }) are scored as they come.
 */
import { DTypeError, ParamError } from './errors.js';
import { Matrix } from './matrix.js';
import { checkOptions, checkSignal } from './validate.js';

export interface PredictStreamOptions {
  /** Rows per model call when rows arrive one by one. Default: 1024. */
  batchSize?: number;
  /** Also yield predictProba's probabilities (classifiers). Default: false. */
  proba?: boolean;
  /** Column order for object rows; default: the keys of the first object row. */
  columns?: readonly string[];
  /**
   * How gathered rows reach the model: 'matrix' (a Float64 Matrix in column order) or 'table' (a
   * column table keyed by name, as pipelines with a ColumnTransformer by name take). Default:
   * 'matrix' when every value is a number, else 'table' — as kiln's server does.
   */
  format?: 'matrix' | 'table';
  /** Stops the stream: the iterator rejects with the signal's reason at the next batch. */
  signal?: AbortSignal;
}

export interface PredictedBatch {
  /** Index of the batch's first row in the stream. */
  offset: number;
  rows: number;
  predictions: ArrayLike<unknown>;
  /** With `proba`: the probabilities, one row per input row. */
  probabilities?: Matrix;
}

interface StreamPredictor {
  predict(X: unknown, opts?: { signal?: AbortSignal }): Promise<unknown> | unknown;
  predictProba?(X: unknown, opts?: { signal?: AbortSignal }): Promise<unknown> | unknown;
}

type ColumnTable = { rows: number; columns: Record<string, ArrayLike<unknown>> };

const isColumnTable = (v: unknown): v is ColumnTable =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as ColumnTable).rows === 'number' && typeof (v as ColumnTable).columns === 'object';

/** A row: an array of scalars or a plain object of scalars. Anything else that is an array is a batch of rows. */
function isRow(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0 || v[0] === null || typeof v[0] !== 'object';
  return v !== null && typeof v === 'object' && !(v instanceof Matrix) && !isColumnTable(v) && !ArrayBuffer.isView(v);
}

/** Rows gathered into one model input: a Float64 Matrix when every value is a number (null → NaN), else a column table. */
function assemble(rows: unknown[], columns: readonly string[] | undefined, format: 'matrix' | 'table' | undefined, offset: number): Matrix | ColumnTable {
  const objects = !Array.isArray(rows[0]);
  const names = objects ? (columns ?? Object.keys(rows[0] as object)) : undefined;
  const p = names ? names.length : (rows[0] as unknown[]).length;
  const cell = (r: unknown, j: number, i: number): unknown => {
    if (objects) {
      if (Array.isArray(r)) throw new DTypeError(`predictStream: row ${offset + i} is an array but earlier rows are objects; send one kind`);
      return Object.hasOwn(r as object, names![j]) ? (r as Record<string, unknown>)[names![j]] : null;
    }
    if (!Array.isArray(r)) throw new DTypeError(`predictStream: row ${offset + i} is an object but earlier rows are arrays; send one kind`);
    if (r.length !== p) throw new DTypeError(`predictStream: row ${offset + i} has ${r.length} values but the first row has ${p}`);
    return r[j];
  };
  const n = rows.length;
  const numeric: boolean[] = new Array(p).fill(true);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const v = cell(rows[i], j, i);
      if (v === null || v === undefined || typeof v === 'number') continue;
      if (typeof v === 'string') numeric[j] = false;
      else throw new DTypeError(`predictStream: row ${offset + i}, column ${names ? `'${names[j]}'` : j}: expected a number, string or null, got ${typeof v}`);
    }
  }
  // as kiln's server lays rows out: a Matrix in column order when every value is a number, else a column table
  if (format !== 'table' && numeric.every(Boolean)) {
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) data[i * p + j] = (cell(rows[i], j, i) as number | null | undefined) ?? NaN;
    return new Matrix(data, n, p);
  }
  if (format === 'matrix') {
    const j = numeric.indexOf(false);
    throw new DTypeError(`predictStream: column ${names ? `'${names[j]}'` : j} holds strings, which a matrix cannot; use format 'table'`);
  }
  const cols: Record<string, ArrayLike<unknown>> = {};
  for (let j = 0; j < p; j++) {
    const key = names ? names[j] : String(j);
    cols[key] = numeric[j]
      ? Float64Array.from({ length: n }, (_, i) => (cell(rows[i], j, i) as number | null | undefined) ?? NaN)
      : Array.from({ length: n }, (_, i) => {
          const v = cell(rows[i], j, i);
          return v === undefined ? null : v;
        });
  }
  return { rows: n, columns: cols };
}

function batchRows(b: unknown): number {
  if (b instanceof Matrix) return b.rows;
  if (isColumnTable(b)) return b.rows;
  return (b as unknown[]).length;
}

/** Predictions of `model` over `source`, one result per batch, in order; bad options throw here, before any row is read. */
export function predictStream(
  model: StreamPredictor,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  opts: PredictStreamOptions = {},
): AsyncGenerator<PredictedBatch, void, undefined> {
  const fn = 'predictStream';
  checkOptions(opts, ['batchSize', 'proba', 'columns', 'format', 'signal'], fn);
  if (opts.format !== undefined && opts.format !== 'matrix' && opts.format !== 'table')
    throw new ParamError(`${fn}: format must be 'matrix' or 'table', got ${String(opts.format)}`);
  const signal = checkSignal(opts.signal, fn);
  const batchSize = opts.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ParamError(`${fn}: batchSize must be a positive integer, got ${String(opts.batchSize)}`);
  if (opts.columns !== undefined && (!Array.isArray(opts.columns) || opts.columns.some((c) => typeof c !== 'string'))) {
    throw new ParamError(`${fn}: columns must be an array of column names`);
  }
  if (typeof model?.predict !== 'function') throw new ParamError(`${fn}: model must have predict (a fitted estimator or pipeline)`);
  if (opts.proba && typeof model.predictProba !== 'function') throw new ParamError(`${fn}: proba needs a model with predictProba (a classifier)`);
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new ParamError(`${fn}: source must be an iterable or async iterable of rows or batches (an array, a generator, a Readable in object mode)`);
  }
  return run(model, source, opts, batchSize, signal);
}

async function* run(
  model: StreamPredictor,
  source: AsyncIterable<unknown> | Iterable<unknown>,
  opts: PredictStreamOptions,
  batchSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<PredictedBatch, void, undefined> {
  const fn = 'predictStream';

  let offset = 0;
  const score = async (X: unknown, rows: number): Promise<PredictedBatch> => {
    signal?.throwIfAborted();
    const call = signal ? { signal } : undefined;
    const predictions = (await model.predict(X, call)) as ArrayLike<unknown>;
    const out: PredictedBatch = { offset, rows, predictions };
    if (opts.proba) out.probabilities = (await model.predictProba!(X, call)) as Matrix;
    offset += rows;
    return out;
  };

  let pending: unknown[] = [];
  for await (const item of source as AsyncIterable<unknown>) {
    signal?.throwIfAborted();
    if (item === null || item === undefined) throw new DTypeError(`${fn}: item ${offset + pending.length} of the stream is ${item}; send rows or batches`);
    if (isRow(item)) {
      pending.push(item);
      if (pending.length === batchSize) {
        const rows = pending;
        pending = [];
        yield await score(assemble(rows, opts.columns, opts.format, offset), rows.length);
      }
      continue;
    }
    // a whole batch: what was gathered so far goes first, keeping the stream's order
    if (pending.length) {
      const rows = pending;
      pending = [];
      yield await score(assemble(rows, opts.columns, opts.format, offset), rows.length);
    }
    const n = batchRows(item);
    if (n === 0) continue;
    yield await score(Array.isArray(item) ? assemble(item, opts.columns, opts.format, offset) : item, n);
  }
  if (pending.length) yield await score(assemble(pending, opts.columns, opts.format, offset), pending.length);
}
