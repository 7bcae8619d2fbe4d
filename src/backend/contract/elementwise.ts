/** The elementwise family: broadcast binary ops, unary ops, row softmax and argmax. Every backend runs it. */

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export type UnaryOp = 'scale' | 'clamp' | 'relu' | 'sigmoid' | 'tanh';
/** Op codes shared with the native binding and the WGSL kernels. */
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];
export const UNARY_OPS: readonly UnaryOp[] = ['scale', 'clamp', 'relu', 'sigmoid', 'tanh'];

/** A row-major f32 operand of an elementwise op; shapes broadcast numpy-style. */
export interface Operand {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Each returns freshly allocated output, or writes `out` (the caller's array of the result's
 * length, checked by the op; it may be an input's own array: every kernel reads an element before
 * it writes the same index) and returns it.
 */
export interface ElementwiseKernels {
  /** a op b over the broadcast shape (max rows × max cols). */
  binary(op: BinaryOp, a: Operand, b: Operand, out?: Float32Array): Promise<Float32Array>;
  /** f(x) elementwise; `scale` multiplies by p0, `clamp` bounds to [p0, p1]. */
  unary(op: UnaryOp, x: Float32Array, p0: number, p1: number, out?: Float32Array): Promise<Float32Array>;
  softmaxRows(x: Float32Array, rows: number, cols: number, out?: Float32Array): Promise<Float32Array>;
  /** Index of each row's largest value (the first on ties). */
  argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array>;
}

export interface ElementwiseSyncKernels extends ElementwiseKernels {
  binarySync(op: BinaryOp, a: Operand, b: Operand, out?: Float32Array): Float32Array;
  unarySync(op: UnaryOp, x: Float32Array, p0: number, p1: number, out?: Float32Array): Float32Array;
  softmaxRowsSync(x: Float32Array, rows: number, cols: number, out?: Float32Array): Float32Array;
  argmaxRowsSync(x: Float32Array, rows: number, cols: number): Int32Array;
}
