/**
 * The targets of the multi-output estimators (MultiOutputClassifier / MultiOutputRegressor,
 * ClassifierChain): Y as a Matrix (n × outputs) or a 2-D array of labels, read once into one
 * column per output, and the member's outputs put back side by side.
 */
import { DTypeError, ShapeError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';

export interface Targets {
  rows: number;
  /** One label column per output. */
  columns: Label[][];
  /** Every label is a number (a Matrix, or a 2-D array of numbers). */
  numeric: boolean;
}

/** Y as its columns; a 1-D y or one column is refused (the estimator alone does that job). */
export function readTargets(Y: unknown, n: number, owner: string): Targets {
  let rows: number, cols: number, at: (r: number, c: number) => unknown;
  if (Y instanceof Matrix) {
    ({ rows, cols } = Y);
    at = (r, c) => Y.data[r * cols + c];
  } else if (Array.isArray(Y) && Y.length > 0 && Y.every((r) => Array.isArray(r))) {
    rows = Y.length;
    cols = (Y[0] as unknown[]).length;
    Y.forEach((r: unknown[], i) => {
      if (r.length !== cols) throw new ShapeError(`${owner}: Y row ${i} has ${r.length} outputs but row 0 has ${cols}; pass a rectangular Y`);
    });
    at = (r, c) => (Y[r] as unknown[])[c];
  } else {
    throw new ShapeError(`${owner}: Y must be a Matrix (rows × outputs) or a 2-D array with one row per sample; for one output fit the estimator itself`);
  }
  if (rows !== n) throw new ShapeError(`${owner}: Y has ${rows} rows but X has ${n}; pass one row of targets per sample`);
  if (cols < 2)
    throw new ShapeError(
      `${owner}: Y has ${cols} output column${cols === 1 ? '' : 's'}; a multi-output estimator needs at least 2 (for one output fit the estimator itself)`,
    );
  const columns: Label[][] = [];
  let numbers = 0;
  for (let c = 0; c < cols; c++) {
    const col: Label[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const v = at(r, c);
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new DTypeError(`${owner}: Y[${r}][${c}] is ${v}; targets must be finite`);
        numbers++;
      } else if (typeof v !== 'string') throw new DTypeError(`${owner}: Y[${r}][${c}] is ${JSON.stringify(v)}; targets must be numbers or strings`);
      col[r] = v;
    }
    columns.push(col);
  }
  return { rows, columns, numeric: numbers === rows * cols };
}

/** Output columns side by side: a Matrix when every value is a number, else rows of labels. */
export function stackColumns(columns: readonly ArrayLike<Label>[], rows: number): Matrix<Float64Array> | Label[][] {
  const L = columns.length;
  if (columns.every((c) => c instanceof Float64Array || Array.from(c).every((v) => typeof v === 'number'))) {
    const out = new Float64Array(rows * L);
    for (let j = 0; j < L; j++) for (let r = 0; r < rows; r++) out[r * L + j] = columns[j][r] as number;
    return new Matrix(out, rows, L);
  }
  return Array.from({ length: rows }, (_, r) => columns.map((c) => c[r]));
}

/** X with extra columns appended (the chain's earlier outputs). */
export function appendColumns(X: Matrix, extra: Float64Array, extraCols: number): Matrix<Float64Array> {
  const cols = X.cols + extraCols;
  const out = new Float64Array(X.rows * cols);
  for (let r = 0; r < X.rows; r++) {
    for (let c = 0; c < X.cols; c++) out[r * cols + c] = X.data[r * X.cols + c];
    for (let c = 0; c < extraCols; c++) out[r * cols + X.cols + c] = extra[r * extraCols + c];
  }
  return new Matrix(out, X.rows, cols);
}
