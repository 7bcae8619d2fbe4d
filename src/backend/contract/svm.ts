/**
 * The svm family: LIBSVM's SMO solve (WSS3 working sets, shrinking, an f32 kernel row cache) of
 *   min ½ αᵀQα + pᵀα  subject to  yᵀα = Δ, 0 ≤ α_i ≤ C_i
 * with Q from a kernel over rows of x: 'class' (Q_ij = y_i y_j K_ij, SVC / ν-SVC), 'oneClass'
 * (Q_ij = K_ij) or 'regression' (2l variables α, α*: Q = [K −K; −K K], SVR / ν-SVR). The js
 * kernels are the oracle (a port of scikit-learn 1.2's LIBSVM); the native kernels run the same
 * algorithm in C++ (kernel rows blocked and threaded, exp vectorised), so a solve agrees with
 * the js one to f32 rounding of kernel values (the same path on well-conditioned problems).
 * CPU only: webgpu does not run the family.
 */
import { ShapeError } from '../../core/errors.js';

export type SvmKernelKind = 'linear' | 'poly' | 'rbf' | 'sigmoid';

export interface KernelSpec {
  kernel: SvmKernelKind;
  /** The resolved gamma (a number). */
  gamma: number;
  degree: number;
  coef0: number;
}

export type SvmQ = 'class' | 'oneClass' | 'regression';

export interface SvmSolveArgs {
  /** n × d training rows, row-major f64. */
  x: Float64Array;
  n: number;
  d: number;
  /** The row of x of each of the problem's l points. */
  rows: Int32Array;
  q: SvmQ;
  kernel: KernelSpec;
  /** Per variable (l, or 2l for 'regression'): labels ±1, linear term, start (feasible), upper bound. */
  y: Int8Array;
  p: Float64Array;
  alpha: Float64Array;
  C: Float64Array;
  /** Stopping tolerance (LIBSVM's eps). */
  eps: number;
  shrinking: boolean;
  /** -1: no limit. */
  maxIter: number;
  /** Solver_NU (ν-SVC, ν-SVR). */
  nu: boolean;
  /** The kernel row cache's budget in bytes. */
  cacheBytes: number;
}

export interface SvmSolveResult {
  /** α in the problem's order. */
  alpha: Float64Array;
  rho: number;
  /** ν-solvers' r (0 otherwise). */
  r: number;
  obj: number;
  nIter: number;
}

export interface SvmKernels {
  /** Solves one problem; an aborted signal stops the solve and rejects with its reason. */
  solve(a: SvmSolveArgs, signal?: AbortSignal): Promise<SvmSolveResult>;
  /** rows × m kernel values between query rows q (rows × d) and vectors v (m × d), f64. */
  cross(kernel: KernelSpec, q: Float64Array, rows: number, v: Float64Array, m: number, d: number): Promise<Float64Array>;
}

const KINDS: readonly SvmKernelKind[] = ['linear', 'poly', 'rbf', 'sigmoid'];

/** Lengths and indices a backend trusts before it touches memory. */
export function checkSvmSolveArgs(a: SvmSolveArgs): void {
  const l = a.rows.length,
    vars = a.q === 'regression' ? 2 * l : l;
  if (a.x.length !== a.n * a.d) throw new ShapeError(`svm: x has ${a.x.length} values, expected n × d = ${a.n * a.d}`);
  if (l < 1 || a.d < 1) throw new ShapeError(`svm: needs at least one row and one feature, got ${l} rows, d = ${a.d}`);
  for (const [name, arr] of [
    ['y', a.y],
    ['p', a.p],
    ['alpha', a.alpha],
    ['C', a.C],
  ] as const) {
    if (arr.length !== vars) throw new ShapeError(`svm: ${name} has ${arr.length} values, expected ${vars}`);
  }
  for (let i = 0; i < l; i++) {
    if (!(a.rows[i] >= 0 && a.rows[i] < a.n)) throw new ShapeError(`svm: rows[${i}] = ${a.rows[i]} is not a row of x (n = ${a.n})`);
  }
  for (let i = 0; i < vars; i++) if (a.y[i] !== 1 && a.y[i] !== -1) throw new ShapeError(`svm: y[${i}] = ${a.y[i]}; labels are +1 or -1`);
  if (!KINDS.includes(a.kernel.kernel)) throw new ShapeError(`svm: unknown kernel '${a.kernel.kernel}'`);
}
