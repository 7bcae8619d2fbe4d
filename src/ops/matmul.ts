/** Matrix multiply, the first kernel carried through every layer. */
import { ShapeError } from '../core/errors.js';
import { Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { boolOption, checkOptions, finiteOption, requireFinite, requireNonEmpty } from '../core/validate.js';
import type { BackendChoice, SgemmArgs } from '../backend/backend.js';
import { resolveBackend, resolveBackendSync } from '../backend/select.js';

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
  c?: MatrixLike;
  /** Backend for this call (default: the process-wide choice). */
  backend?: BackendChoice;
  /** Skip the NaN/Infinity check of the inputs (IEEE propagation applies). */
  allowNonFinite?: boolean;
}

const OPTION_KEYS = ['transA', 'transB', 'alpha', 'beta', 'c', 'backend', 'allowNonFinite'] as const;

/**
 * alpha · op(a) · op(b) + beta · c in f32 (inputs in f64 are rounded to f32).
 * Returns a new float32 Matrix.
 */
export async function matmul(a: MatrixLike, b: MatrixLike, opts: MatmulOptions = {}): Promise<Matrix<Float32Array>> {
  const args = prepare(a, b, opts, 'matmul');
  const backend = await resolveBackend(opts.backend, args.m * args.n * args.k);
  await backend.sgemm(args);
  return new Matrix(args.c, args.m, args.n);
}

/** The synchronous path for small products (native or js backend, on the calling thread). */
export function matmulSync(a: MatrixLike, b: MatrixLike, opts: MatmulOptions = {}): Matrix<Float32Array> {
  const args = prepare(a, b, opts, 'matmulSync');
  resolveBackendSync(opts.backend, 'matmulSync').sgemmSync!(args);
  return new Matrix(args.c, args.m, args.n);
}

function prepare(aIn: MatrixLike, bIn: MatrixLike, opts: MatmulOptions, fn: string): SgemmArgs {
  checkOptions(opts, OPTION_KEYS, fn);
  const transA = boolOption(opts.transA, `${fn}: transA`);
  const transB = boolOption(opts.transB, `${fn}: transB`);
  const alpha = finiteOption(opts.alpha, 1, `${fn}: alpha`);
  const beta = opts.c === undefined ? 0 : finiteOption(opts.beta, 0, `${fn}: beta`);
  const a = toMatrix(aIn, `${fn}: a`);
  const b = toMatrix(bIn, `${fn}: b`);
  requireNonEmpty(a, `${fn}: a`);
  requireNonEmpty(b, `${fn}: b`);
  const [m, k] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (k !== kb) {
    throw new ShapeError(
      `${fn}: op(a) is ${m} × ${k} but op(b) is ${kb} × ${n}; the inner dimensions must match ` +
        '(check the shapes, or set transA/transB)',
    );
  }
  if (!opts.allowNonFinite) {
    requireFinite(a, `${fn}: a`);
    requireFinite(b, `${fn}: b`);
  }
  const out = new Float32Array(m * n);
  if (opts.c !== undefined) {
    const c = toMatrix(opts.c, `${fn}: c`);
    if (c.rows !== m || c.cols !== n) {
      throw new ShapeError(`${fn}: c is ${c.rows} × ${c.cols} but the product is ${m} × ${n}; pass an m × n matrix`);
    }
    if (!opts.allowNonFinite) requireFinite(c, `${fn}: c`);
    out.set(c.data);
  }
  return {
    transA, transB, m, n, k, alpha, beta,
    a: a.as('float32').data as Float32Array,
    b: b.as('float32').data as Float32Array,
    c: out,
  };
}
