/**
 * What every kernel SVM shares: the kernel parameters and the solver's, their specs, the fitted
 * support vectors and coefficients (LIBSVM's layout), the attributes scikit-learn exposes, and
 * kernel values between query rows and the support vectors.
 */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError } from '../../core/errors.js';
import { Estimator } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import { bool, int, num, oneOf, optional, union, type ParamSpecs } from '../../core/params.js';
import { readMatrix } from '../../core/read-matrix.js';
import { BACKEND_CHOICE, type BackendChoice } from '../../backend/contract/names.js';
import type { KernelSpec, SvmKernelKind } from '../../backend/contract/svm.js';
import { resolveKernels } from '../../backend/select.js';
import { resolveGamma, type Gamma } from './gamma.js';
import type { SolveContext } from './problems.js';

/** Kernel values held at once while predicting (rows × support vectors): 16 Mi doubles, 128 MB. */
const BLOCK_VALUES = 2 ** 24;

export interface KernelParams {
  /** The kernel: 'linear' (x·x'), 'poly' ((gamma x·x' + coef0)^degree), 'rbf' (exp(−gamma |x − x'|²)) or 'sigmoid' (tanh(gamma x·x' + coef0)). Default: 'rbf'. */
  kernel: SvmKernelKind;
  /** The degree of the 'poly' kernel (an integer >= 0). Default: 3. */
  degree: number;
  /** Kernel coefficient of 'rbf', 'poly' and 'sigmoid': 'scale' (1 / (features · Var(X))), 'auto' (1 / features) or a number > 0. Default: 'scale'. */
  gamma: Gamma;
  /** The constant term of 'poly' and 'sigmoid'. Default: 0. */
  coef0: number;
  /** Stopping tolerance of the solver (LIBSVM's eps: the maximal violating pair's gap). Default: 0.001. */
  tol: number;
  /** The kernel row cache's budget in MB (as scikit-learn's cache_size). Default: 200. */
  cacheSize: number;
  /** Shrink the working set by LIBSVM's heuristic (faster; the same solution). Default: true. */
  shrinking: boolean;
  /** The solver's iteration limit per binary problem; -1: none. Default: -1. */
  maxIter: number;
  /** Backend for the svm kernels (native or js; webgpu does not run them); undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

export const KERNEL_DEFAULTS: KernelParams = {
  kernel: 'rbf',
  degree: 3,
  gamma: 'scale',
  coef0: 0,
  tol: 1e-3,
  cacheSize: 200,
  shrinking: true,
  maxIter: -1,
  backend: undefined,
};

export const KERNEL_SPECS: ParamSpecs<KernelParams> = {
  kernel: oneOf('linear', 'poly', 'rbf', 'sigmoid'),
  degree: int({ min: 0 }),
  gamma: union(oneOf('scale', 'auto'), num({ min: 0, minExclusive: true, finite: true })),
  coef0: num({ finite: true }),
  tol: num({ min: 0, minExclusive: true, finite: true }),
  cacheSize: num({ min: 0, minExclusive: true, finite: true }),
  shrinking: bool(),
  maxIter: union(oneOf(-1), int({ min: 1 })),
  backend: optional(BACKEND_CHOICE),
};

/** The fitted model, in LIBSVM's layout. */
export interface SvmState {
  p: number;
  kernel: SvmKernelKind;
  gamma: number;
  degree: number;
  coef0: number;
  /** nSV × p. */
  supportVectors: Float64Array;
  support: Int32Array;
  nSupport: Int32Array;
  /** (classes − 1) × nSV (one row for regression and one-class). */
  svCoef: Float64Array;
  rho: Float64Array;
  nIter: Int32Array;
}

export abstract class SvmBase<P extends KernelParams> extends Estimator<P> {
  protected state: SvmState | undefined;

  /** Training rows that became support vectors, nSV × features. */
  get supportVectors(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.supportVectors), s.support.length, s.p);
  }
  /** The training-row index of each support vector. */
  get support(): Int32Array {
    return Int32Array.from(this.fitted(this.state).support);
  }
  /** Support vectors per class (one count for regression and one-class). */
  get nSupport(): Int32Array {
    return Int32Array.from(this.fitted(this.state).nSupport);
  }
  /** The coefficients of the support vectors in the decision functions. */
  get dualCoef(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.svCoef), s.svCoef.length / s.support.length || 0, s.support.length);
  }
  /** The constants of the decision functions (−rho). */
  get intercept(): Float64Array {
    return this.fitted(this.state).rho.map((r) => (r !== 0 ? -r : 0));
  }
  /** Solver iterations per binary problem. */
  get nIter(): Int32Array {
    return Int32Array.from(this.fitted(this.state).nIter);
  }
  /** Primal weights, rows × features (linear kernel only): dualCoef · supportVectors. */
  get coef(): Matrix<Float64Array> {
    const s = this.linearState();
    const m = s.support.length,
      p = s.p,
      out = new Float64Array(p);
    for (let k = 0; k < m; k++) for (let f = 0; f < p; f++) out[f] += s.svCoef[k] * s.supportVectors[k * p + f];
    return new Matrix(out, 1, p);
  }
  /** The fitted state of a linear-kernel model (coef exists only there). */
  protected linearState(): SvmState {
    const s = this.fitted(this.state);
    if (s.kernel !== 'linear') throw new ParamError(`${this.constructor.name}: coef exists only with kernel 'linear' (this model's is '${s.kernel}')`);
    return s;
  }
  /** The gamma the kernel used (after 'scale' / 'auto'). */
  get gammaValue(): number {
    return this.fitted(this.state).gamma;
  }

  /** What the solves of one fit share: the svm kernels, X in f64, the kernel with gamma resolved on X. */
  protected async solveContext(X: Matrix, owner: string, signal: AbortSignal | undefined): Promise<SolveContext> {
    const x = X.data instanceof Float64Array ? X.data : Float64Array.from(X.data);
    const { kernel, degree, coef0, tol, shrinking, maxIter, cacheSize } = this.params;
    const spec: KernelSpec = { kernel, degree, coef0, gamma: resolveGamma(this.params.gamma, x, X.cols, owner) };
    const { kernels } = await resolveKernels('svm', this.params.backend, X.rows * X.rows * X.cols, owner);
    return { kernels, x, n: X.rows, d: X.cols, kernel: spec, tol, shrinking, maxIter, cacheSize, signal };
  }

  /** The state of a fit: the support vectors copied out of the training rows. */
  protected makeState(ctx: SolveContext, support: Int32Array, nSupport: Int32Array, svCoef: Float64Array, rho: Float64Array, nIter: Int32Array): SvmState {
    const p = ctx.d,
      sv = new Float64Array(support.length * p);
    for (let s = 0; s < support.length; s++) sv.set(ctx.x.subarray(support[s] * p, support[s] * p + p), s * p);
    const { kernel, gamma, degree, coef0 } = ctx.kernel;
    return { p, kernel, gamma, degree, coef0, supportVectors: sv, support, nSupport, svCoef, rho, nIter };
  }

  /**
   * Runs `fn` over blocks of X's rows with their kernel values against the support vectors (block
   * rows × nSV, bounded in memory) and gathers its `width` outputs per row.
   */
  protected async overKernelBlocks(
    X: MatrixOrSparse,
    method: string,
    width: number,
    fn: (kv: Float64Array, rows: number) => Float64Array,
  ): Promise<{ out: Float64Array; rows: number }> {
    const s = this.fitted(this.state);
    const owner = `${this.constructor.name}.${method}`;
    const Xm = readMatrix(X, `${owner}: X`, { sparse: 'densify', features: s.p });
    const q = Xm.data instanceof Float64Array ? Xm.data : Float64Array.from(Xm.data);
    const m = s.support.length,
      p = s.p;
    const { kernels } = await resolveKernels('svm', this.params.backend, Xm.rows * m * p, owner);
    const block = Math.max(1, Math.floor(BLOCK_VALUES / Math.max(1, m)));
    const out = new Float64Array(Xm.rows * width);
    for (let r0 = 0; r0 < Xm.rows; r0 += block) {
      const rows = Math.min(block, Xm.rows - r0);
      const kv = await kernels.cross(s, q.subarray(r0 * p, (r0 + rows) * p), rows, s.supportVectors, m, p);
      out.set(fn(kv, rows), r0 * width);
    }
    return { out, rows: Xm.rows };
  }

  /** Single-output decision values Σ coef·K − rho (regression, one-class). */
  protected async singleDecision(X: MatrixOrSparse, method: string): Promise<Float64Array> {
    const s = this.fitted(this.state);
    const m = s.support.length;
    const { out } = await this.overKernelBlocks(X, method, 1, (kv, rows) => {
      const dec = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let k = 0; k < m; k++) sum += s.svCoef[k] * kv[r * m + k];
        dec[r] = sum - s.rho[0];
      }
      return dec;
    });
    return out;
  }
}
