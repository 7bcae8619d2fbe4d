/**
 * A compressed sparse row matrix (scikit-learn's default one-hot output): row r's nonzeros are
 * indices/data[indptr[r] .. indptr[r+1]), column indices ascending within a row.
 */
import { ShapeError } from './errors.js';
import { Matrix } from './matrix.js';

export class CsrMatrix {
  constructor(
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly data: Float64Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (indptr.length !== rows + 1 || indices.length !== data.length || indptr[rows] !== data.length) {
      throw new ShapeError(`CsrMatrix: indptr must have rows + 1 = ${rows + 1} entries ending at nnz = ${data.length}`);
    }
  }

  get nnz(): number { return this.data.length; }

  toDense(): Matrix<Float64Array> {
    const out = new Float64Array(this.rows * this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let k = this.indptr[r]; k < this.indptr[r + 1]; k++) out[r * this.cols + this.indices[k]] = this.data[k];
    }
    return new Matrix(out, this.rows, this.cols);
  }

  toArray(): number[][] { return this.toDense().toArray(); }

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
    const nnz = indptr[rows], indices = new Int32Array(nnz), data = new Float64Array(nnz);
    const width = parts.reduce((w, p) => w + p.cols, 0);
    for (let r = 0; r < rows; r++) {
      let k = indptr[r], offset = 0;
      for (const p of parts) {
        if (p instanceof CsrMatrix) {
          for (let j = p.indptr[r]; j < p.indptr[r + 1]; j++, k++) { indices[k] = offset + p.indices[j]; data[k] = p.data[j]; }
        } else {
          for (let c = 0; c < p.cols; c++) {
            const v = p.data[r * p.cols + c];
            if (v !== 0) { indices[k] = offset + c; data[k] = v; k++; }
          }
        }
        offset += p.cols;
      }
    }
    return new CsrMatrix(indptr, indices, data, rows, width);
  }
}
