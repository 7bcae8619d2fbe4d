/** What the transformers share: numeric input with NaN as missing, the column kernel. */
import { DTypeError, EmptyInputError, NonFiniteError, ShapeError } from '../core/errors.js';
import { Estimator, type CallOptions } from '../core/estimator.js';
import { describeValue, Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { requireNonEmpty } from '../core/validate.js';
import type { BackendChoice } from '../backend/backend.js';
import { resolveKernels, type ResolvedKernels } from '../backend/select.js';

/** Numeric input where NaN (or null in nested arrays) marks a missing value; ±Infinity is refused. */
export function readNumeric(X: MatrixLike, name: string): Matrix {
  const m = Array.isArray(X) ? rowsToMatrix(X as readonly (readonly unknown[])[], name) : toMatrix(X, name);
  requireNonEmpty(m, name);
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v === Infinity || v === -Infinity) {
      throw new NonFiniteError(`${name} has ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; only NaN marks a missing value`);
    }
  }
  return m;
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

export function requireCols(m: Matrix, cols: number, name: string): void {
  if (m.cols !== cols) throw new ShapeError(`${name} has ${m.cols} columns but the transformer was fitted with ${cols}`);
}

/** The f64 column kernels (the linear family: native or js) and the backend that runs them. */
export async function columnBackend(choice: BackendChoice | undefined, work: number, owner: string): Promise<ResolvedKernels<'linear'>> {
  return resolveKernels('linear', choice, work, `${owner} (f64 column kernels)`);
}

export interface TransformerParams {
  backend: BackendChoice | undefined;
}

export abstract class Transformer<P extends object> extends Estimator<P> {
  abstract fit(X: MatrixLike, y?: unknown, opts?: CallOptions): Promise<this>;
  abstract transform(X: MatrixLike, opts?: CallOptions): Promise<Matrix<Float64Array>>;

  /** fit then transform on the same data. */
  async fitTransform(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }
}
