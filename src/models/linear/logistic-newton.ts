/**
 * Binary logistic regression by Newton-Cholesky, on scikit-learn 1.2's scaling for that
 * solver: Σ ŵᵢ·loglossᵢ + ½·λ‖w‖² with ŵ the row weights over the sum of sample weights
 * (n without them; class weights are applied after that division) and λ = 1 / (C · that
 * sum), 0 without a penalty. The minimiser is lbfgs's (the two objectives differ by a
 * constant factor); the scaling matters for where tol stops the solver. Each evaluation is
 * one pass of the backend's loss-gradient-Hessian kernel.
 */
import type { LinearKernels } from '../../backend/backend.js';
import type { Matrix } from '../../core/matrix.js';
import { newtonCholesky, type NewtonCholeskyResult, type NewtonEvaluation } from './newton-cholesky.js';

export interface LogisticNewtonProblem {
  X: Matrix;
  /** 0 / 1 per row. */
  y: Int32Array;
  /** Row weights (sample × class), or null for all 1. */
  w: Float64Array | null;
  /** Σ sample weights (n without them), before class weights. */
  sampleWeightSum: number;
  C: number;
  penalised: boolean;
  fitIntercept: boolean;
  maxIter: number;
  tol: number;
  /** Awaited before every pass (abort checks). */
  checkpoint: () => Promise<void>;
}

/** The fitted p + 1 values (weights, then the intercept: 0 without one) and the iterations. */
export async function fitLogisticNewton(kernels: LinearKernels, pr: LogisticNewtonProblem): Promise<NewtonCholeskyResult> {
  const { X, y, w, fitIntercept } = pr,
    p = X.cols,
    stride = p + 1;
  const dim = fitIntercept ? stride : p; // the solver's unknowns: no intercept, no intercept row
  const scale = 1 / pr.sampleWeightSum,
    l2 = pr.penalised ? 1 / (pr.C * pr.sampleWeightSum) : 0;
  const full = (x: Float64Array) => {
    const coef = new Float64Array(stride);
    coef.set(x);
    return coef;
  };
  // value and gradient of the scaled objective from the kernel's sums (gradient entries 0..dim-1).
  const objective = (x: Float64Array, loss: number, sumGrad: Float64Array) => {
    let value = scale * loss;
    const grad = new Float64Array(dim);
    for (let i = 0; i < dim; i++) grad[i] = scale * sumGrad[i];
    for (let c = 0; c < p; c++) {
      value += 0.5 * l2 * x[c] * x[c];
      grad[c] += l2 * x[c];
    }
    return { value, grad };
  };
  const evaluate = async (x: Float64Array, hessian: boolean): Promise<NewtonEvaluation> => {
    await pr.checkpoint();
    const r = await kernels.logisticLossGradHess(X.data, X.rows, p, y, full(x), fitIntercept, w, hessian);
    if (r.hess === null) return { ...objective(x, r.loss, r.grad), hess: null };
    const hess = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) hess[i * dim + j] = scale * r.hess[i * stride + j];
      if (i < p) hess[i * dim + i] += l2;
    }
    return { ...objective(x, r.loss, r.grad), hess };
  };
  const lossGrad = async (x: Float64Array) => {
    await pr.checkpoint();
    const r = await kernels.logisticLossGrad(X.data, X.rows, p, y, 2, full(x), fitIntercept, w);
    return objective(x, r.loss, r.grad);
  };
  const res = await newtonCholesky(evaluate, lossGrad, new Float64Array(dim), { maxIter: pr.maxIter, tol: pr.tol });
  return { ...res, x: full(res.x) };
}
