/** The native elementwise family; outputs come from the backend's allocator. */
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type ElementwiseSyncKernels, type Operand, type UnaryOp } from '../contract/elementwise.js';
import { callNative, INLINE_MAX_ELEMENTS, type NativeAddon } from './addon.js';

type Alloc = (length: number, opts: { overwritten?: boolean }) => Float32Array;

export function nativeElementwise(addon: NativeAddon, alloc: Alloc): ElementwiseSyncKernels {
  const size = (a: Operand, b: Operand) => Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols);
  const binarySync = (op: BinaryOp, a: Operand, b: Operand, given?: Float32Array): Float32Array => {
    const out = given ?? alloc(size(a, b), { overwritten: true });
    const code = BINARY_OPS.indexOf(op);
    callNative('binary', () => addon.binarySync(code, a.data, a.rows, a.cols, b.data, b.rows, b.cols, out));
    return out;
  };
  const unarySync = (op: UnaryOp, x: Float32Array, p0: number, p1: number, given?: Float32Array): Float32Array => {
    const out = given ?? alloc(x.length, { overwritten: true });
    callNative('unary', () => addon.unarySync(UNARY_OPS.indexOf(op), x, out, p0, p1));
    return out;
  };
  const softmaxRowsSync = (x: Float32Array, rows: number, cols: number, given?: Float32Array): Float32Array => {
    const out = given ?? alloc(rows * cols, { overwritten: true });
    callNative('softmaxRows', () => addon.softmaxRowsSync(x, rows, cols, out));
    return out;
  };
  const argmaxRowsSync = (x: Float32Array, rows: number, cols: number): Int32Array => {
    const out = new Int32Array(rows);
    callNative('argmaxRows', () => addon.argmaxRowsSync(x, rows, cols, out));
    return out;
  };
  return {
    binarySync,
    unarySync,
    softmaxRowsSync,
    argmaxRowsSync,
    async binary(op, a, b, given) {
      if (size(a, b) <= INLINE_MAX_ELEMENTS) return binarySync(op, a, b, given);
      const out = given ?? alloc(size(a, b), { overwritten: true });
      const code = BINARY_OPS.indexOf(op);
      await callNative('binary', () => addon.binary(code, a.data, a.rows, a.cols, b.data, b.rows, b.cols, out));
      return out;
    },
    async unary(op, x, p0, p1, given) {
      if (x.length <= INLINE_MAX_ELEMENTS) return unarySync(op, x, p0, p1, given);
      const out = given ?? alloc(x.length, { overwritten: true });
      await callNative('unary', () => addon.unary(UNARY_OPS.indexOf(op), x, out, p0, p1));
      return out;
    },
    async softmaxRows(x, rows, cols, given) {
      if (x.length <= INLINE_MAX_ELEMENTS) return softmaxRowsSync(x, rows, cols, given);
      const out = given ?? alloc(rows * cols, { overwritten: true });
      await callNative('softmaxRows', () => addon.softmaxRows(x, rows, cols, out));
      return out;
    },
    async argmaxRows(x, rows, cols) {
      if (x.length <= INLINE_MAX_ELEMENTS) return argmaxRowsSync(x, rows, cols);
      const out = new Int32Array(rows);
      await callNative('argmaxRows', () => addon.argmaxRows(x, rows, cols, out));
      return out;
    },
  };
}
