/**
 * Elementwise building blocks over f32 matrices: arithmetic with numpy-style
 * broadcasting, scale/clamp, activations, softmax and argmax by row. Inputs in
 * f64 are rounded to f32; results are new float32 matrices.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions, finiteOption, requireFinite, requireNonEmpty } from '../core/validate.js';
import type { BackendChoice, BinaryOp, Operand, UnaryOp } from '../backend/backend.js';
import { resolveBackend } from '../backend/select.js';

export interface ElementwiseOptions {
  backend?: BackendChoice;
  /** Skip the NaN/Infinity check of the inputs (arithmetic only; IEEE propagation applies). */
  allowNonFinite?: boolean;
}

const KEYS = ['backend', 'allowNonFinite'] as const;

function operand(x: MatrixLike | number, name: string, fn: string, opts: ElementwiseOptions): Operand {
  if (typeof x === 'number') {
    if (!opts.allowNonFinite) finiteOption(x, 0, `${fn}: ${name}`);
    return { data: new Float32Array([x]), rows: 1, cols: 1 };
  }
  const m = toMatrix(x, `${fn}: ${name}`);
  requireNonEmpty(m, `${fn}: ${name}`);
  if (!opts.allowNonFinite) requireFinite(m, `${fn}: ${name}`);
  return { data: m.as('float32').data as Float32Array, rows: m.rows, cols: m.cols };
}

async function binaryOp(op: BinaryOp, a: MatrixLike | number, b: MatrixLike | number, opts: ElementwiseOptions): Promise<Matrix<Float32Array>> {
  checkOptions(opts, KEYS, op);
  const A = operand(a, 'a', op, opts), B = operand(b, 'b', op, opts);
  const fits = (x: number, y: number) => x === y || x === 1 || y === 1;
  if (!fits(A.rows, B.rows) || !fits(A.cols, B.cols)) {
    throw new ShapeError(
      `${op}: a is ${A.rows} × ${A.cols} and b is ${B.rows} × ${B.cols}; each dimension must match or be 1 on one side ` +
        '(e.g. a 1 × n row vector or an m × 1 column vector)',
    );
  }
  const rows = Math.max(A.rows, B.rows), cols = Math.max(A.cols, B.cols);
  const backend = await resolveBackend(opts.backend, rows * cols);
  return new Matrix(await backend.binary(op, A, B), rows, cols);
}

/** a + b, broadcasting a 1 × n row, an m × 1 column or a scalar. */
export const add = (a: MatrixLike | number, b: MatrixLike | number, opts: ElementwiseOptions = {}) => binaryOp('add', a, b, opts);
/** a − b, with broadcasting. */
export const sub = (a: MatrixLike | number, b: MatrixLike | number, opts: ElementwiseOptions = {}) => binaryOp('sub', a, b, opts);
/** a · b elementwise, with broadcasting. */
export const mul = (a: MatrixLike | number, b: MatrixLike | number, opts: ElementwiseOptions = {}) => binaryOp('mul', a, b, opts);
/** a / b elementwise, with broadcasting (x/0 gives ±Infinity or NaN, as in IEEE arithmetic). */
export const div = (a: MatrixLike | number, b: MatrixLike | number, opts: ElementwiseOptions = {}) => binaryOp('div', a, b, opts);

async function unaryOp(op: UnaryOp, x: MatrixLike, p0: number, p1: number, opts: ElementwiseOptions, exact = true): Promise<Matrix<Float32Array>> {
  // exp-based kernels assume finite input (they are built for speed): no opting out there.
  checkOptions(opts, exact ? KEYS : ['backend'], op);
  const X = operand(x, 'x', op, opts);
  const backend = await resolveBackend(opts.backend, X.data.length);
  return new Matrix(await backend.unary(op, X.data, p0, p1), X.rows, X.cols);
}

/** x · factor. */
export async function scale(x: MatrixLike, factor: number, opts: ElementwiseOptions = {}): Promise<Matrix<Float32Array>> {
  return unaryOp('scale', x, finiteOption(factor, 1, 'scale: factor'), 0, opts);
}

/** x bounded to [min, max] (NaN stays NaN with allowNonFinite). */
export async function clamp(x: MatrixLike, min: number, max: number, opts: ElementwiseOptions = {}): Promise<Matrix<Float32Array>> {
  const lo = finiteOption(min, 0, 'clamp: min'), hi = finiteOption(max, 0, 'clamp: max');
  if (!(lo <= hi)) throw new ParamError(`clamp: min (${min}) must not exceed max (${max})`);
  return unaryOp('clamp', x, lo, hi, opts);
}

/** max(x, 0). */
export const relu = (x: MatrixLike, opts: ElementwiseOptions = {}) => unaryOp('relu', x, 0, 0, opts);
/** 1 / (1 + e^−x); finite input only. */
export const sigmoid = (x: MatrixLike, opts: Omit<ElementwiseOptions, 'allowNonFinite'> = {}) => unaryOp('sigmoid', x, 0, 0, opts, false);
/** tanh(x); finite input only. */
export const tanh = (x: MatrixLike, opts: Omit<ElementwiseOptions, 'allowNonFinite'> = {}) => unaryOp('tanh', x, 0, 0, opts, false);

/** Softmax of each row (max-subtracted, so large logits never overflow); finite input only. */
export async function softmax(x: MatrixLike, opts: Omit<ElementwiseOptions, 'allowNonFinite'> = {}): Promise<Matrix<Float32Array>> {
  checkOptions(opts, ['backend'], 'softmax');
  const X = operand(x, 'x', 'softmax', {});
  const backend = await resolveBackend(opts.backend, X.data.length);
  return new Matrix(await backend.softmaxRows(X.data, X.rows, X.cols), X.rows, X.cols);
}

/** Column index of each row's largest value (the first on ties). */
export async function argmax(x: MatrixLike, opts: ElementwiseOptions = {}): Promise<Int32Array> {
  checkOptions(opts, KEYS, 'argmax');
  const X = operand(x, 'x', 'argmax', opts);
  const backend = await resolveBackend(opts.backend, X.data.length);
  return backend.argmaxRows(X.data, X.rows, X.cols);
}
