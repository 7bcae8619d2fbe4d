/**
 * Elementwise building blocks over f32 matrices: arithmetic with numpy-style
 * broadcasting, scale/clamp, activations, softmax and argmax by row. Inputs in
 * f64 are rounded to f32; results are new float32 matrices, or the caller's `out`.
 */
import { readMatrix } from '../core/read-matrix.js';
import { ParamError, ShapeError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions, finiteOption } from '../core/validate.js';
import type { BackendChoice, BinaryOp, Operand, UnaryOp } from '../backend/backend.js';
import { deviceKernels, resolveBackend } from '../backend/select.js';
import type { GpuMatrix } from '../backend/index.js';
import { isGpu } from './gpu.js';
import { callerOutput, type OutOption, outputMatrix } from './output.js';

/** A host operand (matrix or scalar) or a device-resident one. */
export type Operand2 = MatrixLike | GpuMatrix | number;

export interface ElementwiseOptions {
  backend?: BackendChoice;
  /** Skip the NaN/Infinity check of the inputs (arithmetic only; IEEE propagation applies). */
  allowNonFinite?: boolean;
  /**
   * Write the result here instead of a fresh matrix (host operands only): a Float32Array of the
   * result's length or a float32 Matrix of its shape, returned as the result. It may be a float32
   * input's own array (in place) but not part of one.
   */
  out?: OutOption;
}

const KEYS = ['backend', 'allowNonFinite', 'out'] as const;

/** The caller's output checked against the f32 operands, or undefined for a fresh one. */
function outOf(opts: { out?: OutOption }, rows: number, cols: number, fn: string, operands: { name: string; data: Float32Array }[]) {
  return opts.out === undefined ? undefined : callerOutput(opts.out, rows, cols, fn, operands, true);
}

function refuseDeviceOut(opts: { out?: OutOption }, fn: string): void {
  if (opts.out !== undefined) throw new ParamError(`${fn}: out is for host operands; a result on the device stays a GpuMatrix`);
}

function operand(x: MatrixLike | number, name: string, fn: string, opts: ElementwiseOptions): Operand {
  if (typeof x === 'number') {
    if (!opts.allowNonFinite) finiteOption(x, 0, `${fn}: ${name}`);
    return { data: new Float32Array([x]), rows: 1, cols: 1 };
  }
  const m = readMatrix(x, `${fn}: ${name}`, { nonFinite: opts.allowNonFinite ? 'keep' : 'refuse' });
  return { data: m.as('float32').data as Float32Array, rows: m.rows, cols: m.cols };
}

/** A host operand validated, or a GpuMatrix as is. */
function deviceOperand(x: Operand2, name: string, fn: string, opts: ElementwiseOptions): GpuMatrix | Matrix | number {
  if (isGpu(x)) return x;
  const o = operand(x as MatrixLike | number, name, fn, opts);
  return typeof x === 'number' ? x : new Matrix(o.data, o.rows, o.cols);
}

async function binaryOp(op: BinaryOp, a: Operand2, b: Operand2, opts: ElementwiseOptions): Promise<any> {
  checkOptions(opts, KEYS, op);
  if (isGpu(a) || isGpu(b)) {
    refuseDeviceOut(opts, op);
    return (await deviceKernels(opts.backend, op)).binary(op, deviceOperand(a, 'a', op, opts), deviceOperand(b, 'b', op, opts));
  }
  const A = operand(a as MatrixLike | number, 'a', op, opts),
    B = operand(b as MatrixLike | number, 'b', op, opts);
  const fits = (x: number, y: number) => x === y || x === 1 || y === 1;
  if (!fits(A.rows, B.rows) || !fits(A.cols, B.cols)) {
    throw new ShapeError(
      `${op}: a is ${A.rows} × ${A.cols} and b is ${B.rows} × ${B.cols}; each dimension must match or be 1 on one side ` +
        '(e.g. a 1 × n row vector or an m × 1 column vector)',
    );
  }
  const rows = Math.max(A.rows, B.rows),
    cols = Math.max(A.cols, B.cols);
  const out = outOf(opts, rows, cols, op, [
    { name: 'a', data: A.data },
    { name: 'b', data: B.data },
  ]);
  const backend = await resolveBackend(opts.backend, rows * cols);
  return outputMatrix(opts.out, await backend.elementwise.binary(op, A, B, out), rows, cols);
}

/** A binary op: on the device (GpuMatrix result) when either operand is a GpuMatrix. */
export interface BinaryFn {
  (a: GpuMatrix, b: Operand2, opts?: ElementwiseOptions): Promise<GpuMatrix>;
  (a: Operand2, b: GpuMatrix, opts?: ElementwiseOptions): Promise<GpuMatrix>;
  (a: MatrixLike | number, b: MatrixLike | number, opts?: ElementwiseOptions): Promise<Matrix<Float32Array>>;
}

const binaryFn = (op: BinaryOp): BinaryFn => ((a: Operand2, b: Operand2, opts: ElementwiseOptions = {}) => binaryOp(op, a, b, opts)) as BinaryFn;

/** a + b, broadcasting a 1 × n row, an m × 1 column or a scalar. */
export const add = binaryFn('add');
/** a − b, with broadcasting. */
export const sub = binaryFn('sub');
/** a · b elementwise, with broadcasting. */
export const mul = binaryFn('mul');
/** a / b elementwise, with broadcasting (x/0 gives ±Infinity or NaN, as in IEEE arithmetic). */
export const div = binaryFn('div');

async function unaryOp(op: UnaryOp, x: MatrixLike | GpuMatrix, p0: number, p1: number, opts: ElementwiseOptions, exact = true): Promise<any> {
  // exp-based kernels assume finite input (they are built for speed): no opting out there.
  checkOptions(opts, exact ? KEYS : ['backend', 'out'], op);
  if (isGpu(x)) {
    refuseDeviceOut(opts, op);
    return (await deviceKernels(opts.backend, op)).unary(op, x, p0, p1);
  }
  const X = operand(x as MatrixLike, 'x', op, opts);
  const out = outOf(opts, X.rows, X.cols, op, [{ name: 'x', data: X.data }]);
  const backend = await resolveBackend(opts.backend, X.data.length);
  return outputMatrix(opts.out, await backend.elementwise.unary(op, X.data, p0, p1, out), X.rows, X.cols);
}

/** A unary op: on the device (GpuMatrix result) for a GpuMatrix input. */
export interface UnaryFn<O> {
  (x: GpuMatrix, opts?: O): Promise<GpuMatrix>;
  (x: MatrixLike, opts?: O): Promise<Matrix<Float32Array>>;
}

/** x · factor. */
export async function scale(x: GpuMatrix, factor: number, opts?: ElementwiseOptions): Promise<GpuMatrix>;
export async function scale(x: MatrixLike, factor: number, opts?: ElementwiseOptions): Promise<Matrix<Float32Array>>;
export async function scale(x: MatrixLike | GpuMatrix, factor: number, opts: ElementwiseOptions = {}): Promise<any> {
  return unaryOp('scale', x, finiteOption(factor, 1, 'scale: factor'), 0, opts);
}

/** x bounded to [min, max] (NaN stays NaN with allowNonFinite). */
export async function clamp(x: GpuMatrix, min: number, max: number, opts?: ElementwiseOptions): Promise<GpuMatrix>;
export async function clamp(x: MatrixLike, min: number, max: number, opts?: ElementwiseOptions): Promise<Matrix<Float32Array>>;
export async function clamp(x: MatrixLike | GpuMatrix, min: number, max: number, opts: ElementwiseOptions = {}): Promise<any> {
  const lo = finiteOption(min, 0, 'clamp: min'),
    hi = finiteOption(max, 0, 'clamp: max');
  if (!(lo <= hi)) throw new ParamError(`clamp: min (${min}) must not exceed max (${max})`);
  return unaryOp('clamp', x, lo, hi, opts);
}

type ActivationOptions = Omit<ElementwiseOptions, 'allowNonFinite'>;

/** max(x, 0). */
export const relu = ((x: MatrixLike | GpuMatrix, opts: ElementwiseOptions = {}) => unaryOp('relu', x, 0, 0, opts)) as UnaryFn<ElementwiseOptions>;
/** 1 / (1 + e^−x); finite input only. */
export const sigmoid = ((x: MatrixLike | GpuMatrix, opts: ActivationOptions = {}) => unaryOp('sigmoid', x, 0, 0, opts, false)) as UnaryFn<ActivationOptions>;
/** tanh(x); finite input only. */
export const tanh = ((x: MatrixLike | GpuMatrix, opts: ActivationOptions = {}) => unaryOp('tanh', x, 0, 0, opts, false)) as UnaryFn<ActivationOptions>;

/** Softmax of each row (max-subtracted, so large logits never overflow); finite input only. */
export async function softmax(x: GpuMatrix, opts?: ActivationOptions): Promise<GpuMatrix>;
export async function softmax(x: MatrixLike, opts?: ActivationOptions): Promise<Matrix<Float32Array>>;
export async function softmax(x: MatrixLike | GpuMatrix, opts: ActivationOptions = {}): Promise<any> {
  checkOptions(opts, ['backend', 'out'], 'softmax');
  if (isGpu(x)) {
    refuseDeviceOut(opts, 'softmax');
    return (await deviceKernels(opts.backend, 'softmax')).softmax(x);
  }
  const X = operand(x, 'x', 'softmax', {});
  const out = outOf(opts, X.rows, X.cols, 'softmax', [{ name: 'x', data: X.data }]);
  const backend = await resolveBackend(opts.backend, X.data.length);
  return outputMatrix(opts.out, await backend.elementwise.softmaxRows(X.data, X.rows, X.cols, out), X.rows, X.cols);
}

/** Column index of each row's largest value (the first on ties). */
export async function argmax(x: MatrixLike | GpuMatrix, opts: Omit<ElementwiseOptions, 'out'> = {}): Promise<Int32Array> {
  checkOptions(opts, ['backend', 'allowNonFinite'], 'argmax');
  if (isGpu(x)) return (await deviceKernels(opts.backend, 'argmax')).argmax(x);
  const X = operand(x, 'x', 'argmax', opts);
  const backend = await resolveBackend(opts.backend, X.data.length);
  return backend.elementwise.argmaxRows(X.data, X.rows, X.cols);
}
