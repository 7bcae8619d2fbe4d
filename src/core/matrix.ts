/** A dense row-major matrix over a Float32Array or Float64Array. */
import { allocArray } from './alloc.js';
import { DTypeError, LengthError, ParamError, ShapeError } from './errors.js';

export type FloatArray = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

export class Matrix<T extends FloatArray = FloatArray> {
  readonly data: T;
  readonly rows: number;
  readonly cols: number;

  /** Wraps `data` (not copied); `data.length` must equal rows × cols. */
  constructor(data: T, rows: number, cols: number) {
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
      throw new DTypeError(
        `Matrix data must be a Float32Array or Float64Array, got ${describeValue(data)}; ` + 'use Matrix.from(number[][]) for nested arrays',
      );
    }
    checkDim(rows, 'rows');
    checkDim(cols, 'cols');
    if (data.length !== rows * cols) {
      throw new LengthError(
        `Matrix data has ${data.length} elements but rows × cols = ${rows} × ${cols} = ${rows * cols}; ` + 'pass the matching rows and cols',
      );
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
  }

  /** Copies nested arrays into a new matrix (float64 unless `dtype` says otherwise). */
  static from(values: readonly (readonly number[])[], dtype: DType = 'float64'): Matrix {
    if (!Array.isArray(values)) {
      throw new DTypeError(`Matrix.from expects an array of rows (number[][]), got ${describeValue(values)}`);
    }
    const rows = values.length;
    const cols = rows > 0 && Array.isArray(values[0]) ? values[0].length : 0;
    const data = dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = values[i];
      if (!Array.isArray(row)) {
        throw new DTypeError(`Matrix.from: row ${i} is ${describeValue(row)}, expected an array of numbers`);
      }
      if (row.length !== cols) {
        throw new ShapeError(`Matrix.from: row ${i} has ${row.length} values but row 0 has ${cols}; rows must be equally long`);
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new DTypeError(`Matrix.from: value at [${i}][${j}] is ${describeValue(v)}, expected a number`);
        }
        data[i * cols + j] = v;
      }
    }
    return new Matrix(data, rows, cols);
  }

  static zeros(rows: number, cols: number, dtype: DType = 'float32'): Matrix {
    checkDim(rows, 'rows');
    checkDim(cols, 'cols');
    const fix = 'use fewer rows or columns, or process the data in batches';
    const data =
      dtype === 'float32'
        ? allocArray(Float32Array, `Matrix.zeros(${rows}, ${cols})`, [rows, cols], fix)
        : allocArray(Float64Array, `Matrix.zeros(${rows}, ${cols})`, [rows, cols], fix);
    return new Matrix(data, rows, cols);
  }

  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }

  get(i: number, j: number): number {
    if (!(i >= 0 && i < this.rows && j >= 0 && j < this.cols && Number.isInteger(i) && Number.isInteger(j))) {
      throw new ParamError(`Matrix.get(${i}, ${j}) is outside a ${this.rows} × ${this.cols} matrix`);
    }
    return this.data[i * this.cols + j];
  }

  /** A copy as nested arrays. */
  toArray(): number[][] {
    const out: number[][] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols));
    return out;
  }

  /** A new matrix of the rows at `idx`, in that order (same element type). */
  takeRows(idx: ArrayLike<number>): Matrix<T> {
    const cols = this.cols;
    const src = this.data;
    const data = new (src.constructor as new (n: number) => T)(idx.length * cols);
    if (cols > 32) for (let i = 0; i < idx.length; i++) data.set(src.subarray(idx[i] * cols, (idx[i] + 1) * cols), i * cols);
    else {
      // narrow rows: element copies, without a subarray object per row
      for (let i = 0, d = 0; i < idx.length; i++) for (let s = idx[i] * cols, e = s + cols; s < e; ) data[d++] = src[s++];
    }
    return new Matrix(data, idx.length, cols);
  }

  /** This matrix in the given element type (itself when it already is). */
  as(dtype: DType): Matrix {
    if (dtype === this.dtype) return this;
    const data = dtype === 'float32' ? Float32Array.from(this.data) : Float64Array.from(this.data);
    return new Matrix(data, this.rows, this.cols);
  }
}

/** What kiln accepts wherever it takes a matrix. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/** One sample as a flat row of feature values (length = the model's features). */
export type RowLike = readonly number[] | Float64Array;

/** What synchronous prediction takes: rows as a matrix, or one row on its own (no Matrix built). */
export type SyncRows = MatrixLike | RowLike;

/** Whether a SyncRows value is a single flat row rather than rows. */
export function isRow(X: SyncRows): X is RowLike {
  return X instanceof Float64Array || (Array.isArray(X) && X.length > 0 && !Array.isArray(X[0]));
}

/** Turns a MatrixLike into a Matrix, naming `argName` in any error. */
export function toMatrix(input: MatrixLike, argName: string): Matrix {
  if (input instanceof Matrix) return input;
  if (Array.isArray(input)) {
    try {
      return Matrix.from(input);
    } catch (e) {
      if (e instanceof Error) e.message = `${argName}: ${e.message}`;
      throw e;
    }
  }
  throw new DTypeError(`${argName} must be a Matrix or number[][], got ${describeValue(input)}`);
}

function checkDim(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0) {
    throw new ParamError(`Matrix ${name} must be a non-negative integer, got ${String(v)}`);
  }
}

/** A short description of a value's type for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an Array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}
