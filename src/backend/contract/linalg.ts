/**
 * The linalg family: dense f64 factorisations the decomposition room builds on — a symmetric
 * eigen-decomposition (covariance / Gram matrices) and a thin QR (orthonormal bases of
 * randomized range finders). Only the CPU backends run it: the matrices it factorises are
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

export interface LinalgKernels {
  /** Eigen-decomposition of a symmetric n × n matrix (row-major; its upper and lower triangles must agree). */
  symEig(a: Float64Array, n: number): Promise<SymEigResult>;
  /** Householder thin QR of an m × n row-major matrix, m >= n. */
  thinQr(a: Float64Array, m: number, n: number): Promise<ThinQrResult>;
}

export interface LinalgSyncKernels extends LinalgKernels {
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
