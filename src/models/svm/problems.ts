/**
 * The five LIBSVM problems as scikit-learn 1.2 sets them up (solve_c_svc, solve_nu_svc,
 * solve_one_class, solve_epsilon_svr, solve_nu_svr): each states its Q matrix, linear term,
 * labels, starting point and per-sample bounds, has the svm kernels solve it, and returns the
 * signed coefficients and rho.
 */
import type { KernelSpec, SvmKernels, SvmQ } from '../../backend/contract/svm.js';

/** What every solve of one fit shares: the kernels, the training rows and kernel, the solver's options. */
export interface SolveContext {
  kernels: SvmKernels;
  x: Float64Array;
  n: number;
  d: number;
  kernel: KernelSpec;
  tol: number;
  shrinking: boolean;
  maxIter: number;
  /** MB, as scikit-learn's cache_size. */
  cacheSize: number;
  signal?: AbortSignal;
}

/** A trained decision function: coef_i (α_i y_i, or α_i − α*_i) per problem row, and rho. */
export interface DecisionFunction {
  coef: Float64Array;
  rho: number;
  nIter: number;
}

function solve(ctx: SolveContext, rows: Int32Array, q: SvmQ, nu: boolean, y: Int8Array, p: Float64Array, alpha: Float64Array, C: Float64Array) {
  const { kernels, x, n, d, kernel, tol, shrinking, maxIter, cacheSize } = ctx;
  return kernels.solve({ x, n, d, rows, q, kernel, y, p, alpha, C, eps: tol, shrinking, maxIter, nu, cacheBytes: cacheSize * 2 ** 20 }, ctx.signal);
}

/** C-SVC on rows (labels ±1, weights w): bounds w_i·Cp or w_i·Cn. */
export async function solveCSvc(ctx: SolveContext, rows: Int32Array, y: Int8Array, w: Float64Array, Cp: number, Cn: number): Promise<DecisionFunction> {
  const l = rows.length;
  const C = new Float64Array(l);
  for (let i = 0; i < l; i++) C[i] = w[i] * (y[i] > 0 ? Cp : Cn);
  const r = await solve(ctx, rows, 'class', false, y, new Float64Array(l).fill(-1), new Float64Array(l), C);
  for (let i = 0; i < l; i++) r.alpha[i] *= y[i];
  return { coef: r.alpha, rho: r.rho, nIter: r.nIter };
}

/** ν-SVC: the starting α spreads ν·Σw/2 over each label in order; the solution is scaled by 1/r. */
export async function solveNuSvc(ctx: SolveContext, rows: Int32Array, y: Int8Array, w: Float64Array, nu: number): Promise<DecisionFunction> {
  const l = rows.length;
  const C = Float64Array.from(w);
  let nuL = 0;
  for (let i = 0; i < l; i++) nuL += nu * C[i];
  let sumPos = nuL / 2,
    sumNeg = nuL / 2;
  const alpha = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    if (y[i] === 1) {
      alpha[i] = Math.min(C[i], sumPos);
      sumPos -= alpha[i];
    } else {
      alpha[i] = Math.min(C[i], sumNeg);
      sumNeg -= alpha[i];
    }
  }
  const r = await solve(ctx, rows, 'class', true, y, new Float64Array(l), alpha, C);
  for (let i = 0; i < l; i++) r.alpha[i] *= y[i] / r.r;
  return { coef: r.alpha, rho: r.rho / r.r, nIter: r.nIter };
}

/** One-class SVM: α starts at ν·Σw spread over the first rows. */
export async function solveOneClass(ctx: SolveContext, rows: Int32Array, w: Float64Array, nu: number): Promise<DecisionFunction> {
  const l = rows.length;
  const C = Float64Array.from(w);
  let nuL = 0;
  for (let i = 0; i < l; i++) nuL += C[i] * nu;
  const alpha = new Float64Array(l);
  for (let i = 0; nuL > 0 && i < l; i++) {
    alpha[i] = Math.min(C[i], nuL);
    nuL -= alpha[i];
  }
  const r = await solve(ctx, rows, 'oneClass', false, new Int8Array(l).fill(1), new Float64Array(l), alpha, C);
  return { coef: r.alpha, rho: r.rho, nIter: r.nIter };
}

/** ε-SVR: 2l variables (α, α*), linear term ε ∓ y. */
export async function solveEpsilonSvr(
  ctx: SolveContext,
  rows: Int32Array,
  target: Float64Array,
  w: Float64Array,
  Cval: number,
  epsilon: number,
): Promise<DecisionFunction> {
  const l = rows.length;
  const p = new Float64Array(2 * l),
    y = new Int8Array(2 * l),
    C = new Float64Array(2 * l);
  for (let i = 0; i < l; i++) {
    p[i] = epsilon - target[i];
    y[i] = 1;
    p[i + l] = epsilon + target[i];
    y[i + l] = -1;
    C[i] = C[i + l] = w[i] * Cval;
  }
  const r = await solve(ctx, rows, 'regression', false, y, p, new Float64Array(2 * l), C);
  const coef = new Float64Array(l);
  for (let i = 0; i < l; i++) coef[i] = r.alpha[i] - r.alpha[i + l];
  return { coef, rho: r.rho, nIter: r.nIter };
}

/** ν-SVR: α and α* start at C·ν·Σw/2 spread in order. */
export async function solveNuSvr(
  ctx: SolveContext,
  rows: Int32Array,
  target: Float64Array,
  w: Float64Array,
  Cval: number,
  nu: number,
): Promise<DecisionFunction> {
  const l = rows.length;
  const p = new Float64Array(2 * l),
    y = new Int8Array(2 * l),
    C = new Float64Array(2 * l),
    alpha = new Float64Array(2 * l);
  let sum = 0;
  for (let i = 0; i < l; i++) {
    C[i] = C[i + l] = w[i] * Cval;
    sum += C[i] * nu;
  }
  sum /= 2;
  for (let i = 0; i < l; i++) {
    alpha[i] = alpha[i + l] = Math.min(sum, C[i]);
    sum -= alpha[i];
    p[i] = -target[i];
    y[i] = 1;
    p[i + l] = target[i];
    y[i + l] = -1;
  }
  const r = await solve(ctx, rows, 'regression', true, y, p, alpha, C);
  const coef = new Float64Array(l);
  for (let i = 0; i < l; i++) coef[i] = r.alpha[i] - r.alpha[i + l];
  return { coef, rho: r.rho, nIter: r.nIter };
}
