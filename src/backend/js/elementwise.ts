/** The js backend's elementwise family, in f64 with f32 results. */
import type { BinaryOp, ElementwiseSyncKernels, Operand, UnaryOp } from '../contract/elementwise.js';

const BINARY: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

const UNARY: Record<UnaryOp, (x: number, p0: number, p1: number) => number> = {
  scale: (x, p0) => x * p0,
  clamp: (x, p0, p1) => (x < p0 ? p0 : x > p1 ? p1 : x),
  relu: (x) => (x < 0 ? 0 : x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};

function binarySync(op: BinaryOp, a: Operand, b: Operand, given?: Float32Array): Float32Array {
  const rows = Math.max(a.rows, b.rows),
    cols = Math.max(a.cols, b.cols);
  const out = given ?? new Float32Array(rows * cols);
  const f = BINARY[op];
  for (let r = 0; r < rows; r++) {
    const ar = a.rows === 1 ? 0 : r * a.cols,
      br = b.rows === 1 ? 0 : r * b.cols;
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = f(a.data[ar + (a.cols === 1 ? 0 : c)], b.data[br + (b.cols === 1 ? 0 : c)]);
    }
  }
  return out;
}

function unarySync(op: UnaryOp, x: Float32Array, p0: number, p1: number, given?: Float32Array): Float32Array {
  const out = given ?? new Float32Array(x.length);
  const f = UNARY[op];
  for (let i = 0; i < x.length; i++) out[i] = f(x[i], Math.fround(p0), Math.fround(p1));
  return out;
}

function softmaxRowsSync(x: Float32Array, rows: number, cols: number, given?: Float32Array): Float32Array {
  const out = given ?? new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - max);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
  }
  return out;
}

function argmaxRowsSync(x: Float32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0,
      bestV = x[r * cols];
    for (let c = 1; c < cols; c++) {
      const v = x[r * cols + c];
      // NaN never wins, unless the whole row is NaN (then 0)
      if (v > bestV || (Number.isNaN(bestV) && !Number.isNaN(v))) {
        bestV = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

export const jsElementwise: ElementwiseSyncKernels = {
  binary: async (op, a, b, out) => binarySync(op, a, b, out),
  binarySync,
  unary: async (op, x, p0, p1, out) => unarySync(op, x, p0, p1, out),
  unarySync,
  softmaxRows: async (x, rows, cols, out) => softmaxRowsSync(x, rows, cols, out),
  softmaxRowsSync,
  argmaxRows: async (x, rows, cols) => argmaxRowsSync(x, rows, cols),
  argmaxRowsSync,
};
