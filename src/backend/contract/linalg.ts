/**
 * The linalg family: dense f64 factorisations the decomposition room builds on — a symmetric
 * eigen-decomposition (covariance / Gram matrices) and a thin QR (orthonormal bases of
 * randomized range finders) — and the f64 matrix product around them (dgemm: the mixture's EM
 * steps, the range finder's products, projections of f64 data). Only the CPU backends run it: the matrices it factorises are
 * p × p or n × k with small k, so the large products around it (the GEMMs) are where a GPU
 * would help, and those go through the gemm family.
 */
import { NonFiniteError, ShapeError } from '../../core/errors.js';

/** A = V Λ Vᵀ: `values` descending; row i of `vectors` (n × n, row-major) is the unit eigenvector of values[i]. */
export interface SymEigResult {
  values: Float64Array;
  vectors: Float64Array;
}

/** A = Q R, Q m × n with orthonormal columns, R n × n upper triangular with diag(R) >= 0. */
export interface ThinQrResult {
  q: Float64Array;
  r: Float64Array;
}

/**
 * C = alpha · op(A) · op(B) + beta · C, row-major, C in f64; op(A) is m×k, op(B) is k×n.
 * A and B may be f32 (widened to f64 as they are read: f32 data multiplied in f64, no copy).
 */
export interface DgemmArgs {
  transA: boolean; // A is stored k×m
  transB: boolean; // B is stored n×k
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float64Array | Float32Array;
  b: Float64Array | Float32Array;
  beta: number; // 0 overwrites C, so NaN already in C does not propagate
  c: Float64Array; // m×n, read when beta ≠ 0, always written
}

export interface LinalgKernels {
  /** The f64 matrix product (see DgemmArgs). */
  dgemm(args: DgemmArgs): Promise<void>;
  /** Eigen-decomposition of a symmetric n × n matrix (row-major; its upper and lower triangles must agree). */
  symEig(a: Float64Array, n: number): Promise<SymEigResult>;
  /** Householder thin QR of an m × n row-major matrix, m >= n. */
  thinQr(a: Float64Array, m: number, n: number): Promise<ThinQrResult>;
}

export interface LinalgSyncKernels extends LinalgKernels {
  dgemmSync(args: DgemmArgs): void;
  symEigSync(a: Float64Array, n: number): SymEigResult;
  thinQrSync(a: Float64Array, m: number, n: number): ThinQrResult;
}

function requireFiniteArray(a: Float64Array, name: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new NonFiniteError(`${name} holds ${a[i]} at index ${i}; factorise finite values only`);
  }
}

export function checkSymEigArgs(a: Float64Array, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || a.length !== n * n) {
    throw new ShapeError(`symEig: a has ${a.length} values, expected n × n = ${n} × ${n}`);
  }
  requireFiniteArray(a, 'symEig: a');
}

export function checkThinQrArgs(a: Float64Array, m: number, n: number): void {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < n || n < 0 || a.length !== m * n) {
    throw new ShapeError(`thinQr: a has ${a.length} values for ${m} × ${n}; expected m × n values with m >= n`);
  }
  requireFiniteArray(a, 'thinQr: a');
}

/** Shapes and lengths of a dgemm call (values are not checked: IEEE propagation applies). */
export function checkDgemmArgs(g: DgemmArgs): void {
  const dims = [g.m, g.n, g.k];
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ShapeError(`dgemm: m, n, k must be integers >= 0, got ${dims.join(', ')}`);
  const want: [string, ArrayLike<number>, number][] = [
    ['a', g.a, g.m * g.k],
    ['b', g.b, g.k * g.n],
    ['c', g.c, g.m * g.n],
  ];
  for (const [name, arr, len] of want) {
    if (arr.length !== len) throw new ShapeError(`dgemm: ${name} has ${arr.length} values, expected ${len} for m=${g.m}, n=${g.n}, k=${g.k}`);
  }
}
