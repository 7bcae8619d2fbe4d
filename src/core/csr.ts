/**
 * A compressed sparse row matrix (scikit-learn's default one-hot output): row r's nonzeros are
 * indices/data[indptr[r] .. indptr[r+1]), column indices ascending within a row.
 */
import { allocArray } from './alloc.js';
import { DTypeError, ParamError, ShapeError } from './errors.js';
import { Matrix } from './matrix.js';

export class CsrMatrix {
  constructor(
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float64Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    checkCsr(indptr, indices, data, rows, cols);
  }

  get nnz(): number {
    return this.data.length;
  }

  toDense(): Matrix<Float64Array> {
    const out = allocArray(
      Float64Array,
      `CsrMatrix.toDense: ${this.rows} rows × ${this.cols} columns`,
      [this.rows, this.cols],
      'keep the data sparse (e.g. HashingEncoder with fewer nFeatures) or densify fewer rows at a time',
    );
    for (let r = 0; r < this.rows; r++) {
      for (let k = this.indptr[r]; k < this.indptr[r + 1]; k++) out[r * this.cols + this.indices[k]] = this.data[k];
    }
    return new Matrix(out, this.rows, this.cols);
  }

  toArray(): number[][] {
    return this.toDense().toArray();
  }

  /** Side-by-side concatenation of dense and sparse blocks with the same row count (dense zeros kept out). */
  static hstack(parts: readonly (Matrix | CsrMatrix)[]): CsrMatrix {
    const rows = parts[0].rows;
    if (parts.some((p) => p.rows !== rows)) throw new ShapeError('CsrMatrix.hstack: all blocks need the same number of rows');
    const indptr = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) {
      let n = 0;
      for (const p of parts) {
        if (p instanceof CsrMatrix) n += p.indptr[r + 1] - p.indptr[r];
        else for (let c = 0; c < p.cols; c++) if (p.data[r * p.cols + c] !== 0) n++;
      }
      indptr[r + 1] = indptr[r] + n;
    }
    const nnz = indptr[rows],
      indices = new Int32Array(nnz),
      data = new Float64Array(nnz);
    const width = parts.reduce((w, p) => w + p.cols, 0);
    for (let r = 0; r < rows; r++) {
      let k = indptr[r],
        offset = 0;
      for (const p of parts) {
        if (p instanceof CsrMatrix) {
          for (let j = p.indptr[r]; j < p.indptr[r + 1]; j++, k++) {
            indices[k] = offset + p.indices[j];
            data[k] = p.data[j];
          }
        } else {
          for (let c = 0; c < p.cols; c++) {
            const v = p.data[r * p.cols + c];
            if (v !== 0) {
              indices[k] = offset + c;
              data[k] = v;
              k++;
            }
          }
        }
        offset += p.cols;
      }
    }
    return new CsrMatrix(indptr, indices, data, rows, width);
  }
}

/**
 * The structure every reader of a CsrMatrix relies on, checked once on construction (an
 * unchecked indptr or index reads out of bounds or writes into the wrong row): integer
 * shapes, indptr of rows + 1 entries from 0 up to nnz without decreasing, indices in [0, cols).
 */
function checkCsr(indptr: Int32Array, indices: Int32Array, data: Float64Array, rows: number, cols: number): void {
  for (const [v, name] of [
    [rows, 'rows'],
    [cols, 'cols'],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ParamError(`CsrMatrix: ${name} must be a non-negative integer, got ${String(v)}`);
  }
  for (const [a, name] of [
    [indptr, 'indptr'],
    [indices, 'indices'],
  ] as const) {
    if (!(a instanceof Int32Array))
      throw new DTypeError(
        `CsrMatrix: ${name} must be an Int32Array, got ${(a as unknown as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof a}`,
      );
  }
  if (!(data instanceof Float64Array))
    throw new DTypeError(
      `CsrMatrix: data must be a Float64Array, got ${(data as unknown as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof data}`,
    );
  const nnz = data.length;
  if (indices.length !== nnz)
    throw new ShapeError(`CsrMatrix: indices has ${indices.length} entries but data has ${nnz}; they must match (one column index per stored value)`);
  if (indptr.length !== rows + 1) throw new ShapeError(`CsrMatrix: indptr must have rows + 1 = ${rows + 1} entries, got ${indptr.length}`);
  if (indptr[0] !== 0) throw new ParamError(`CsrMatrix: indptr[0] must be 0, got ${indptr[0]}`);
  if (indptr[rows] !== nnz) throw new ParamError(`CsrMatrix: indptr[${rows}] (the last entry) must equal nnz = ${nnz}, got ${indptr[rows]}`);
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1] < indptr[r]) {
      throw new ParamError(`CsrMatrix: indptr must not decrease, but indptr[${r + 1}] = ${indptr[r + 1]} < indptr[${r}] = ${indptr[r]}`);
    }
  }
  for (let k = 0; k < nnz; k++) {
    if (indices[k] < 0 || indices[k] >= cols) {
      throw new ParamError(`CsrMatrix: indices[${k}] = ${indices[k]} is outside [0, ${cols}) (cols = ${cols}); every column index must address a column`);
    }
  }
}
