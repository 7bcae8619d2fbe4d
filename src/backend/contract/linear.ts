/**
 * The linear family: f64 kernels of the linear models and the column scalers. CPU backends
 * only (WGSL has no f64, and these feed solvers that need it).
 */
import type { FloatArray } from '../../core/matrix.js';

/** Weighted, centred cross-products for linear models (all f64). */
export interface GramResult {
  xMean: Float64Array;
  yMean: Float64Array;
  /** p × p: Σ w (x − x̄)(x − x̄)ᵀ */
  gram: Float64Array;
  /** p × t: Σ w (x − x̄)(y − ȳ)ᵀ */
  xty: Float64Array;
  wSum: number;
}

/** Logistic loss Σ w·logloss and its gradient for coef (scores × (p + 1), intercept last). */
export interface LogisticResult {
  loss: number;
  grad: Float64Array;
}

/** The binary loss, gradient and Hessian (coef, grad: p + 1 with the intercept last; hess: (p + 1) × (p + 1), or null when not asked for). */
export interface LogisticHessResult extends LogisticResult {
  hess: Float64Array | null;
}

/** The binary Newton kernel's data and point: n × p rows x, labels y in {0, 1}, coef (p + 1). */
export type LogisticHessInputs = [x: FloatArray, n: number, p: number, y: Int32Array, coef: Float64Array, fitIntercept: boolean, w: Float64Array | null];
/** The binary Newton kernel's arguments; hessian false skips the Hessian. */
export type LogisticHessArgs = [...LogisticHessInputs, hessian: boolean];

export type SgdLossName = 'hinge' | 'log_loss' | 'squared_error' | 'huber' | 'squared_hinge' | 'modified_huber';
export const SGD_LOSSES: readonly SgdLossName[] = ['hinge', 'log_loss', 'squared_error', 'huber', 'squared_hinge', 'modified_huber'];
export type SgdRateName = 'optimal' | 'constant' | 'invscaling';
export const SGD_RATES: readonly SgdRateName[] = ['optimal', 'constant', 'invscaling'];

/** One SGD epoch over rows in `order` for `models` independent linear models (updated in place). */
export interface SgdEpochArgs {
  x: FloatArray;
  n: number;
  p: number;
  /** models × n targets (classification: ±1 per one-vs-all model). */
  y: Float64Array;
  models: number;
  order: Int32Array;
  w: Float64Array | null;
  loss: SgdLossName;
  epsilon: number;
  alpha: number;
  l1Ratio: number;
  rate: SgdRateName;
  eta0: number;
  powerT: number;
  optimalInit: number;
  fitIntercept: boolean;
  /** models × (p + 1): weights then intercept. */
  coef: Float64Array;
  /** models: update counters (start at 1). */
  t: Float64Array;
  /** models: Σ w·loss over the epoch (output). */
  lossSum: Float64Array;
}

/** Linear SVM by dual coordinate descent, one binary problem per model (in place). */
export interface SvmArgs {
  x: FloatArray;
  n: number;
  p: number;
  /** models × n labels, +1 / −1. */
  y: Float64Array;
  models: number;
  squaredHinge: boolean;
  C: number;
  /** The constant intercept feature's value (0: no intercept). */
  interceptScaling: number;
  maxIter: number;
  tol: number;
  seed: number;
  /** models × (p + 1), output. */
  coef: Float64Array;
  /** models: sweeps run, output. */
  iterations: Int32Array;
  /** n positive row weights (LIBLINEAR's instance weights: row i's C is C · weight[i]); null: all 1. */
  weight: Float64Array | null;
}

/** The logistic loss-and-gradient kernel's inputs: n × p rows x, class codes y, coef as classes' scores × (p + 1). */
export type LogisticLossArgs = [
  x: FloatArray,
  n: number,
  p: number,
  y: Int32Array,
  classes: number,
  coef: Float64Array,
  fitIntercept: boolean,
  w: Float64Array | null,
];

export interface LinearKernels {
  weightedGram(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null, center: boolean): Promise<GramResult>;
  /** classes = 2: one score (sigmoid); more: one score per class (softmax). */
  logisticLossGrad(...args: LogisticLossArgs): Promise<LogisticResult>;
  /**
   * Binary only: the loss, gradient and Hessian Σ w·p(1−p)·[x, 1][x, 1]ᵀ in one pass (Newton-Cholesky).
   * The Hessian's intercept row and column are filled either way; without an intercept its gradient entry is 0.
   */
  logisticLossGradHess(...args: LogisticHessArgs): Promise<LogisticHessResult>;
  sgdEpoch(args: SgdEpochArgs): Promise<void>;
  svmDualCd(args: SvmArgs): Promise<void>;
  /** (x − shift) · scale per column in f64; NaN cells become fill (when given) first. */
  affineColumns(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array, fill: Float64Array | null): Promise<Float64Array>;
}
