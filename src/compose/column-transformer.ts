/**
 * ColumnTransformer (scikit-learn's): different transformers on different columns, outputs
 * side by side. Input is a numeric Matrix or rows mixing numbers and strings, so numeric
 * columns can be scaled and categorical ones encoded in one fitted object.
 */
import { DTypeError, EmptyInputError, NotFittedError, ParamError, ShapeError } from '../core/errors.js';
import { CsrMatrix } from '../core/csr.js';
import { Matrix } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import type { ColumnSource } from '../data/column.js';
import type { Table } from '../data/table.js';
import type { Category, CategoryColumns } from '../preprocessing/encoders.js';
import {
  checkNames,
  cloneStep,
  fitTransformStep,
  isTransformer,
  signalIn,
  stepOptions,
  type StepOutput,
  type TableInput,
  type TransformerStep,
} from './steps.js';

/** Pick a column table's columns by type: numbers (incl. boolean/datetime) or strings (categoricals). */
export interface DtypeSelector {
  dtype: 'number' | 'string';
}

/** Columns by index, by name when the input is a column table, or by type there. */
export type ColumnSpec = readonly [
  name: string,
  transformer: TransformerStep | 'passthrough' | 'drop',
  columns: readonly number[] | readonly string[] | DtypeSelector,
];

type ColumnList = readonly number[] | readonly string[];

export interface ColumnTransformerOptions {
  /** What happens to columns no transformer names. */
  remainder: 'drop' | 'passthrough';
}

export class ColumnTransformer {
  readonly transformers: ColumnSpec[];
  readonly remainder: 'drop' | 'passthrough';
  private nCols: number | undefined;
  private rest: number[] = [];
  private resolved: number[][] = [];
  /** Each spec as fitted: type selectors become the names they picked, so transform checks the same columns. */
  private fittedSpecs: ColumnList[] = [];

  constructor(transformers: readonly ColumnSpec[], opts: Partial<ColumnTransformerOptions> = {}) {
    if (!Array.isArray(transformers) || transformers.length === 0)
      throw new ParamError('ColumnTransformer: transformers must be a non-empty array of [name, transformer, columns]');
    checkNames(
      transformers.map((t) => t?.[0]),
      'ColumnTransformer',
    );
    for (const [name, t, cols] of transformers) {
      if (t !== 'passthrough' && t !== 'drop' && !isTransformer(t))
        throw new ParamError(`ColumnTransformer: '${name}' must be a transformer, 'passthrough' or 'drop'`);
      if (!Array.isArray(cols)) {
        const dtype = (cols as DtypeSelector)?.dtype;
        if (dtype !== 'number' && dtype !== 'string')
          throw new ParamError(`ColumnTransformer: '${name}' columns must be indices, names or { dtype: 'number' | 'string' }`);
        continue;
      }
      const byIndex = (cols as readonly unknown[]).every((c) => Number.isInteger(c) && (c as number) >= 0),
        byName = (cols as readonly unknown[]).every((c) => typeof c === 'string');
      if (!Array.isArray(cols) || cols.length === 0 || !(byIndex || byName)) {
        throw new ParamError(`ColumnTransformer: '${name}' columns must be a non-empty array of column indices or of column names`);
      }
    }
    const remainder = opts.remainder ?? 'drop';
    if (remainder !== 'drop' && remainder !== 'passthrough') throw new ParamError("ColumnTransformer: remainder must be 'drop' or 'passthrough'");
    this.transformers = transformers.map(([n, t, c]) => [n, t, Array.isArray(c) ? [...c] : { ...(c as DtypeSelector) }] as ColumnSpec);
    this.remainder = remainder;
  }

  async fit(X: TableInput, y?: unknown, opts?: { signal?: AbortSignal }): Promise<this> {
    await this.fitTransform(X, y, opts);
    return this;
  }

  async fitTransform(X: TableInput, y?: unknown, opts?: { signal?: AbortSignal }): Promise<StepOutput> {
    checkOptions(opts, ['signal'], 'ColumnTransformer.fit');
    const signal = signalIn(opts, 'ColumnTransformer.fit');
    const cols = tableCols(X, 'ColumnTransformer.fit: X');
    this.fittedSpecs = this.transformers.map(([name, , cs]) => (Array.isArray(cs) ? cs : selectByDtype(X, cs as DtypeSelector, name)));
    this.resolved = this.fittedSpecs.map((cs) => resolveColumns(X, cols, cs, 'ColumnTransformer.fit: X'));
    const used = new Set(this.resolved.flat());
    this.rest = Array.from({ length: cols }, (_, c) => c).filter((c) => !used.has(c));
    const parts: StepOutput[] = [];
    for (const [i, [, t]] of this.transformers.entries()) {
      if (t === 'drop') continue;
      const cs = this.resolved[i];
      parts.push(t === 'passthrough' ? numericPart(X, cs) : await fitTransformStep(t, selectColumns(X, cs), y, signal));
    }
    if (this.remainder === 'passthrough' && this.rest.length) parts.push(numericPart(X, this.rest));
    this.nCols = cols;
    return hstack(parts);
  }

  async transform(X: TableInput, opts?: { signal?: AbortSignal }): Promise<StepOutput> {
    checkOptions(opts, ['signal'], 'ColumnTransformer.transform');
    const signal = signalIn(opts, 'ColumnTransformer.transform');
    if (this.nCols === undefined) throw new NotFittedError('ColumnTransformer');
    const cols = tableCols(X, 'ColumnTransformer.transform: X');
    // by name: look the columns up again, so a reordered table still works and a missing one is
    // reported by name (before any count mismatch)
    const resolved = this.fittedSpecs.map((spec, i) =>
      typeof spec[0] === 'string' ? resolveColumns(X, cols, spec, 'ColumnTransformer.transform: X') : this.resolved[i],
    );
    if (cols !== this.nCols) throw new ShapeError(`ColumnTransformer.transform: X has ${cols} columns but it was fitted with ${this.nCols}`);
    const parts: StepOutput[] = [];
    for (const [i, [, t]] of this.transformers.entries()) {
      if (t === 'drop') continue;
      const cs = resolved[i];
      parts.push(t === 'passthrough' ? numericPart(X, cs) : await t.transform(selectColumns(X, cs), ...stepOptions(signal)));
    }
    if (this.remainder === 'passthrough' && this.rest.length) parts.push(numericPart(X, this.rest));
    return hstack(parts);
  }

  /** An unfitted copy with clones of every transformer. */
  clone(): ColumnTransformer {
    return new ColumnTransformer(
      this.transformers.map(([n, t, c]) => [n, typeof t === 'string' ? t : cloneStep(t), c] as const),
      { remainder: this.remainder },
    );
  }
}

function isTable(X: TableInput): X is Table {
  if (X instanceof Matrix || Array.isArray(X)) return false;
  // a Frame before its `columns`: reading that view would decode every categorical column
  return isSource(X) || typeof (X as Table)?.columns === 'object';
}

/**
 * A Frame (any ColumnSource): its columns are read one by one, so categorical ones reach the
 * encoders as codes — its `columns` view would decode every one of them to strings.
 */
function isSource(X: TableInput): X is Table & ColumnSource {
  return (
    !(X instanceof Matrix) &&
    !Array.isArray(X) &&
    typeof (X as Partial<ColumnSource>).column === 'function' &&
    Array.isArray((X as Partial<ColumnSource>).columnNames)
  );
}

function namesOf(X: Table): string[] {
  return isSource(X) ? X.columnNames : Object.keys(X.columns);
}

function tableCols(X: TableInput, name: string): number {
  if (X instanceof Matrix) return X.cols;
  if (isTable(X)) {
    if (!(X.rows > 0)) throw new EmptyInputError(`${name} is empty`);
    return namesOf(X).length;
  }
  if (!Array.isArray(X) || X.length === 0) throw new EmptyInputError(`${name} is empty`);
  const cols = Array.isArray(X[0]) ? X[0].length : -1;
  X.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== cols) throw new ShapeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, row 0 has ${cols}`);
  });
  return cols;
}

/** The names of a table's columns of one type (none is an error: the spec would do nothing). */
function selectByDtype(X: TableInput, sel: DtypeSelector, owner: string): string[] {
  if (!isTable(X)) throw new ParamError(`ColumnTransformer: '${owner}' selects columns by dtype, which needs a column table or Frame`);
  const numeric = (n: string) => (isSource(X) ? X.column(n).kind !== 'categorical' : X.columns[n] instanceof Float64Array);
  const names = namesOf(X).filter((n) => numeric(n) === (sel.dtype === 'number'));
  if (names.length === 0) throw new ShapeError(`ColumnTransformer: '${owner}' selects ${sel.dtype} columns but the table has none`);
  return names;
}

/** Column specs as indices into the input of `width` columns (names only for a column table). */
function resolveColumns(X: TableInput, width: number, spec: ColumnList, name: string): number[] {
  if (typeof spec[0] === 'string') {
    if (!isTable(X))
      throw new ParamError(`${name}: columns by name (${spec.join(', ')}) need a column table such as readParquet returns; pass indices for a Matrix or rows`);
    const names = namesOf(X);
    return (spec as readonly string[]).map((s) => {
      const i = names.indexOf(s);
      if (i < 0) throw new ShapeError(`${name} has no column '${s}'; it has ${names.join(', ')}`);
      return i;
    });
  }
  const bad = (spec as readonly number[]).find((c) => c >= width);
  if (bad !== undefined) throw new ShapeError(`${name}: column ${bad} was asked for but X has ${width} columns`);
  return [...(spec as readonly number[])];
}

/**
 * The chosen columns: a Matrix from a Matrix; from rows or a table a Float64 Matrix when every
 * chosen value is numeric (null = missing), else categories — so no transformer parses twice.
 */
function selectColumns(X: TableInput, cols: readonly number[]): TableInput | CategoryColumns {
  if (X instanceof Matrix) {
    const out = new Float64Array(X.rows * cols.length);
    for (let r = 0; r < X.rows; r++) for (let j = 0; j < cols.length; j++) out[r * cols.length + j] = X.data[r * X.cols + cols[j]];
    return new Matrix(out, X.rows, cols.length);
  }
  if (isSource(X)) {
    const names = X.columnNames,
      chosen = cols.map((c) => X.column(names[c]));
    if (chosen.every((c) => c.kind !== 'categorical'))
      return columnMatrix(
        chosen.map((c) => (c as { values: Float64Array }).values),
        X.rows,
      );
    // codes for the encoders that read them; the values decoded only if a step asks for them
    let values: ArrayLike<Category | null>[] | undefined;
    return {
      coded: chosen.map((c) => (c.kind === 'categorical' ? { codes: c.codes, labels: c.labels } : undefined)),
      get columns() {
        values ??= chosen.map((c) => (c.kind === 'categorical' ? Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k])) : c.values));
        return values;
      },
    };
  }
  if (isTable(X)) {
    const all = Object.values(X.columns),
      chosen = cols.map((c) => all[c]);
    if (chosen.every((c) => c instanceof Float64Array)) return columnMatrix(chosen as Float64Array[], X.rows);
    return { columns: chosen as ArrayLike<Category | null>[] };
  }
  const out = new Float64Array(X.length * cols.length);
  for (let r = 0, k = 0; r < X.length; r++) {
    const row = X[r];
    for (let j = 0; j < cols.length; j++, k++) {
      const v = row[cols[j]];
      if (typeof v === 'number') out[k] = v;
      else if (v === null) out[k] = NaN;
      else return X.map((row) => cols.map((c) => row[c]));
    }
  }
  return new Matrix(out, X.length, cols.length);
}

/** Numeric columns side by side as a row-major Matrix. */
function columnMatrix(chosen: readonly Float64Array[], rows: number): Matrix<Float64Array> {
  const width = chosen.length,
    out = new Float64Array(rows * width);
  chosen.forEach((col, j) => {
    for (let r = 0; r < rows; r++) out[r * width + j] = col[r];
  });
  return new Matrix(out, rows, width);
}

function numericPart(X: TableInput, cols: readonly number[]): Matrix<Float64Array> {
  const m = selectColumns(X, cols);
  if (m instanceof Matrix) return m as Matrix<Float64Array>;
  if (!Array.isArray(m))
    throw new DTypeError(`ColumnTransformer: passthrough columns ${cols.join(', ')} are not all numeric; only numbers pass through — encode them first`);
  return new Matrix(
    Float64Array.from(m.flat(), (v, i) => {
      if (typeof v === 'number' || v === null) return v === null ? NaN : v;
      throw new DTypeError(
        `ColumnTransformer: passthrough column ${cols[i % cols.length]} holds ${JSON.stringify(v)}; only numbers pass through — encode it first`,
      );
    }),
    m.length,
    cols.length,
  );
}

/** Blocks side by side: a CsrMatrix as soon as one block is sparse (as scikit-learn's sparse_threshold 0.3 would mostly give). */
function hstack(parts: StepOutput[]): StepOutput {
  if (parts.length === 0) throw new ParamError('ColumnTransformer: every column was dropped; nothing to output');
  if (parts.some((p) => p instanceof CsrMatrix)) return CsrMatrix.hstack(parts);
  const rows = parts[0].rows,
    width = parts.reduce((w, p) => w + p.cols, 0);
  const out = new Float64Array(rows * width);
  let offset = 0;
  for (const p of parts as Matrix<Float64Array>[]) {
    const d = p.data,
      w = p.cols;
    // element by element: a subarray per row (for out.set) costs more than the copy of a few values
    for (let r = 0; r < rows; r++) for (let j = 0, o = r * width + offset, i = r * w; j < w; j++) out[o + j] = d[i + j];
    offset += p.cols;
  }
  return new Matrix(out, rows, width);
}
