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
    // block by block, each in its own tight loop (a loop over rows that switched on the block's type per row cost more than the copy)
    const counts = new Int32Array(rows);
    for (const p of parts) {
      if (p instanceof CsrMatrix) {
        const ip = p.indptr;
        for (let r = 0; r < rows; r++) counts[r] += ip[r + 1] - ip[r];
      } else {
        const d = p.data,
          w = p.cols;
        for (let r = 0, i = 0; r < rows; r++) for (let c = 0; c < w; c++, i++) if (d[i] !== 0) counts[r]++;
      }
    }
    const indptr = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + counts[r];
    const nnz = indptr[rows],
      indices = new Int32Array(nnz),
      data = new Float64Array(nnz);
    const width = parts.reduce((w, p) => w + p.cols, 0);
    const next = indptr.slice(0, rows); // where each row's next value goes
    let offset = 0;
    for (const p of parts) {
      if (p instanceof CsrMatrix) {
        const ip = p.indptr,
          pi = p.indices,
          pd = p.data;
        for (let r = 0; r < rows; r++) {
          let k = next[r];
          for (let j = ip[r]; j < ip[r + 1]; j++, k++) {
            indices[k] = offset + pi[j];
            data[k] = pd[j];
          }
          next[r] = k;
        }
      } else {
        const d = p.data,
          w = p.cols;
        for (let r = 0, i = 0; r < rows; r++) {
          let k = next[r];
          for (let c = 0; c < w; c++, i++) {
            const v = d[i];
            if (v !== 0) {
              indices[k] = offset + c;
              data[k] = v;
              k++;
            }
          }
          next[r] = k;
        }
      }
      offset += p.cols;
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
