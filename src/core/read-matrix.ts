/**
 * The one way an estimator, transformer or metric reads a matrix argument: a Matrix, nested
 * number arrays or (where the model computes on dense rows) a CsrMatrix, checked once at the
 * boundary — non-empty, the column count a fitted model expects, and NaN/±Infinity taken as the
 * caller declares (refused, NaN as a missing value, or kept as values).
 */
import { CsrMatrix } from './csr.js';
import { toDenseMatrix, type MatrixOrSparse } from './dense.js';
import { DTypeError, EmptyInputError, NonFiniteError, ShapeError } from './errors.js';
import { describeValue, Matrix, toMatrix } from './matrix.js';
import { requireFinite, requireNonEmpty } from './validate.js';

export interface ReadMatrixOptions {
  /**
   * How NaN and ±Infinity are taken. 'refuse' (the default): either is E_NONFINITE (linear
   * models, MLPs, metrics). 'missing': NaN — and null in nested rows — marks a missing value,
   * ±Infinity is refused (transformers, imputers). 'keep': values pass as they are (trees: NaN
   * goes the learned missing direction, infinities order as numbers).
   */
  nonFinite?: 'refuse' | 'missing' | 'keep';
  /** The column count the input must have (a fitted model's). */
  features?: number;
  /** 'densify': a CsrMatrix becomes a dense matrix, within DENSIFY_MAX_CELLS; otherwise it is refused. */
  sparse?: 'densify';
}

export function readMatrix(X: MatrixOrSparse, name: string, opts: ReadMatrixOptions = {}): Matrix {
  const nonFinite = opts.nonFinite ?? 'refuse';
  let m: Matrix;
  if (X instanceof CsrMatrix && opts.sparse === 'densify') m = toDenseMatrix(X, name);
  else if (nonFinite === 'missing' && Array.isArray(X)) m = rowsToMatrix(X as readonly (readonly unknown[])[], name);
  else m = toMatrix(X as Exclude<MatrixOrSparse, CsrMatrix>, name);
  requireNonEmpty(m, name);
  if (opts.features !== undefined && m.cols !== opts.features) {
    throw new ShapeError(`${name} has ${m.cols} features but the model was fitted with ${opts.features}`);
  }
  if (nonFinite === 'refuse') requireFinite(m, name);
  else if (nonFinite === 'missing') refuseInfinity(m, name);
  return m;
}

function refuseInfinity(m: Matrix, name: string): void {
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v === Infinity || v === -Infinity) {
      throw new NonFiniteError(`${name} has ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; only NaN marks a missing value`);
    }
  }
}

/** Nested rows straight into f64 in one pass (null → NaN): no per-row copies on millions of rows. */
function rowsToMatrix(X: readonly (readonly unknown[])[], name: string): Matrix<Float64Array> {
  if (X.length === 0) throw new EmptyInputError(`${name} is empty`);
  const cols = Array.isArray(X[0]) ? X[0].length : 0;
  const data = new Float64Array(X.length * cols);
  for (let r = 0, k = 0; r < X.length; r++) {
    const row = X[r];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new ShapeError(`${name}: row ${r} has ${Array.isArray(row) ? row.length : 'no'} values, row 0 has ${cols}`);
    }
    for (let c = 0; c < cols; c++, k++) {
      const v = row[c];
      if (typeof v === 'number') data[k] = v;
      else if (v === null) data[k] = NaN;
      else throw new DTypeError(`${name}[${r}][${c}] is ${describeValue(v)}; expected a number (null or NaN for missing) — encode categorical columns first`);
    }
  }
  return new Matrix(data, X.length, cols);
}
