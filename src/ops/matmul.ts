/** Matrix multiply, the first kernel carried through every layer. */
import { readMatrix } from '../core/read-matrix.js';
import { ParamError, ShapeError } from '../core/errors.js';
import { type Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { boolOption, checkOptions, finiteOption, requireFinite, requireNonEmpty } from '../core/validate.js';
import type { Backend, BackendChoice, SgemmArgs } from '../backend/backend.js';
import { deviceKernels, resolveBackend, resolveBackendSync } from '../backend/select.js';
import type { GpuMatrix } from '../backend/index.js';
import { isGpu } from './gpu.js';
import { callerOutput, outputMatrix } from './output.js';

export interface MatmulOptions {
  /** Use A transposed: `a` is given as k × m. */
  transA?: boolean;
  /** Use B transposed: `b` is given as n × k. */
  transB?: boolean;
  /** Scales the product (default 1). */
  alpha?: number;
  /** Scales `c` before it is added (default 0; ignored without `c`). */
  beta?: number;
  /** An m × n matrix added as beta · c; it is read, never modified. */
  c?: MatrixLike | GpuMatrix;
  /** Backend for this call (default: the process-wide choice). */
  backend?: BackendChoice;
  /** Skip the NaN/Infinity check of the inputs (IEEE propagation applies). */
  allowNonFinite?: boolean;
  /**
   * Where to write the m × n product (a Float32Array of m·n values, or an m × n float32 Matrix)
   * instead of a new array: a loop that reuses it allocates nothing. It may be `c`'s own array
   * (updated in place, as BLAS does) but must not overlap `a` or `b`. Host operands only.
   */
  out?: Float32Array | Matrix<Float32Array>;
}

const OPTION_KEYS = ['transA', 'transB', 'alpha', 'beta', 'c', 'backend', 'allowNonFinite', 'out'] as const;

/**
 * alpha · op(a) · op(b) + beta · c in f32 (inputs in f64 are rounded to f32).
 * Returns a new float32 Matrix (or `out`'s).
 */
export async function matmul(a: GpuMatrix, b: MatrixLike | GpuMatrix, opts?: MatmulOptions): Promise<GpuMatrix>;
export async function matmul(a: MatrixLike, b: GpuMatrix, opts?: MatmulOptions): Promise<GpuMatrix>;
export async function matmul(a: MatrixLike, b: MatrixLike, opts?: MatmulOptions): Promise<Matrix<Float32Array>>;
export async function matmul(a: MatrixLike | GpuMatrix, b: MatrixLike | GpuMatrix, opts: MatmulOptions = {}): Promise<Matrix<Float32Array> | GpuMatrix> {
  if (isGpu(a) || isGpu(b) || isGpu(opts.c)) {
    if (opts.out !== undefined) throw new ParamError('matmul: out is for host operands; a product of GpuMatrix operands stays on the device');
    return matmulOnDevice(a, b, opts);
  }
  const shape = shapeOf(a, b, opts, 'matmul');
  const backend = await resolveBackend(opts.backend, shape.m * shape.n * shape.k);
  const args = prepare(shape, backend, opts, 'matmul');
  await backend.gemm.sgemm(args);
  return outputMatrix(opts.out, args.c, args.m, args.n);
}

/** matmul with device-resident operands: the result stays on the GPU. */
async function matmulOnDevice(a: MatrixLike | GpuMatrix, b: MatrixLike | GpuMatrix, opts: MatmulOptions): Promise<GpuMatrix> {
  const fn = 'matmul';
  checkOptions(opts, OPTION_KEYS, fn);
  const transA = boolOption(opts.transA, `${fn}: transA`);
  const transB = boolOption(opts.transB, `${fn}: transB`);
  const alpha = finiteOption(opts.alpha, 1, `${fn}: alpha`);
  const beta = opts.c === undefined ? 0 : finiteOption(opts.beta, 0, `${fn}: beta`);
  const A = deviceOperand(a, `${fn}: a`, opts),
    B = deviceOperand(b, `${fn}: b`, opts);
  const [m, k] = transA ? [A.cols, A.rows] : [A.rows, A.cols];
  const [kb, n] = transB ? [B.cols, B.rows] : [B.rows, B.cols];
  if (k !== kb) {
    throw new ShapeError(`${fn}: op(a) is ${m} × ${k} but op(b) is ${kb} × ${n}; the inner dimensions must match (check the shapes, or set transA/transB)`);
  }
  const C = opts.c === undefined ? undefined : deviceOperand(opts.c, `${fn}: c`, opts);
  if (C && (C.rows !== m || C.cols !== n)) {
    throw new ShapeError(`${fn}: c is ${C.rows} × ${C.cols} but the product is ${m} × ${n}; pass an m × n matrix`);
  }
  return (await deviceKernels(opts.backend, fn)).gemm(A, B, C, { transA, transB, alpha, beta, m, n, k });
}

/** A GpuMatrix as is, or a host matrix validated like any input. */
function deviceOperand(x: MatrixLike | GpuMatrix, name: string, opts: MatmulOptions): GpuMatrix | Matrix {
  if (isGpu(x)) return x;
  const m = readMatrix(x, name, { nonFinite: opts.allowNonFinite ? 'keep' : 'refuse' });
  return m;
}

/** The synchronous path for small products (native or js backend, on the calling thread). */
export function matmulSync(a: MatrixLike, b: MatrixLike, opts: MatmulOptions = {}): Matrix<Float32Array> {
  if (isGpu(a) || isGpu(b) || isGpu(opts.c)) throw new ParamError('matmulSync: GpuMatrix operands need the async matmul');
  const shape = shapeOf(a, b, opts, 'matmulSync');
  const backend = resolveBackendSync(opts.backend, 'matmulSync');
  const args = prepare(shape, backend, opts, 'matmulSync');
  backend.gemm.sgemmSync(args);
  return outputMatrix(opts.out, args.c, args.m, args.n);
}

interface Shape {
  a: Matrix;
  b: Matrix;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

/** Validates the operands and options and works out m, n, k. */
function shapeOf(aIn: MatrixLike, bIn: MatrixLike, opts: MatmulOptions, fn: string): Shape {
  checkOptions(opts, OPTION_KEYS, fn);
  const transA = boolOption(opts.transA, `${fn}: transA`);
  const transB = boolOption(opts.transB, `${fn}: transB`);
  const a = toMatrix(aIn, `${fn}: a`);
  const b = toMatrix(bIn, `${fn}: b`);
  requireNonEmpty(a, `${fn}: a`);
  requireNonEmpty(b, `${fn}: b`);
  const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (k !== kb) {
    throw new ShapeError(
      `${fn}: op(a) is ${m} × ${k} but op(b) is ${kb} × ${n}; the inner dimensions must match ` + '(check the shapes, or set transA/transB)',
    );
  }
  if (!opts.allowNonFinite) {
    requireFinite(a, `${fn}: a`);
    requireFinite(b, `${fn}: b`);
  }
  return { a, b, transA, transB, m, n, k };
}

/** Kernel arguments: f32 operands and a fresh output (holding c when given). */
function prepare(s: Shape, backend: Backend, opts: MatmulOptions, fn: string): SgemmArgs {
  const alpha = finiteOption(opts.alpha, 1, `${fn}: alpha`);
  const beta = opts.c === undefined ? 0 : finiteOption(opts.beta, 0, `${fn}: beta`);
  const a = s.a.as('float32').data as Float32Array,
    b = s.b.as('float32').data as Float32Array;
  // With beta = 0 the kernel writes all of C, so the buffer need not be zeroed first.
  const out =
    opts.out === undefined
      ? backend.allocF32(s.m * s.n, { overwritten: opts.c === undefined })
      : callerOutput(
          opts.out,
          s.m,
          s.n,
          fn,
          [
            { name: 'a', data: a },
            { name: 'b', data: b },
          ],
          false,
        );
  if (opts.c !== undefined) {
    const c = toMatrix(opts.c as MatrixLike, `${fn}: c`);
    if (c.rows !== s.m || c.cols !== s.n) {
      throw new ShapeError(`${fn}: c is ${c.rows} × ${c.cols} but the product is ${s.m} × ${s.n}; pass an m × n matrix`);
    }
    if (!opts.allowNonFinite) requireFinite(c, `${fn}: c`);
    if (c.data !== out) out.set(c.data);
  }
  return {
    transA: s.transA,
    transB: s.transB,
    m: s.m,
    n: s.n,
    k: s.k,
    alpha,
    beta,
    a,
    b,
    c: out,
  };
}
