/** Ordinary least squares (scikit-learn's LinearRegression). */
import { num, type ParamSpecs } from '../../core/params.js';
import type { GramResult } from '../../backend/backend.js';
import { choleskySolve, pseudoInverseSolve } from './dense.js';
import { GramRegressor, LINEAR_REGRESSOR_SPECS, type LinearRegressorParams } from './base.js';

export type LinearRegressionParams = LinearRegressorParams;

export class LinearRegression extends GramRegressor<LinearRegressionParams> {
  /** Numerical rank of the centred X (as LAPACK's gelsd counts it). */
  rank: number | undefined;

  constructor(params: Partial<LinearRegressionParams> = {}) {
    super({ fitIntercept: true, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<LinearRegressionParams> {
    return LINEAR_REGRESSOR_SPECS;
  }

  /**
   * The minimum-norm least-squares solution, like scipy.linalg.lstsq: from the
   * eigendecomposition of the f64 Gram matrix, dropping directions whose singular
   * value is below eps · max(n, p) of the largest (collinear or constant columns).
   */
  protected solve(g: GramResult, p: number, t: number, data: { X: { rows: number } }): Float64Array {
    const rcond = Number.EPSILON * Math.max(data.X.rows, p);
    const { x, rank } = pseudoInverseSolve(g.gram, g.xty, p, t, rcond);
    this.rank = rank;
    return x;
  }
}

export interface RidgeParams extends LinearRegressorParams {
  /** L2 strength, a finite number >= 0: minimises ‖y − Xw − b‖² + alpha‖w‖² (the intercept is not penalised). Default: 1. */
  alpha: number;
}

const RIDGE_SPECS: ParamSpecs<RidgeParams> = { ...LINEAR_REGRESSOR_SPECS, alpha: num({ min: 0, finite: true }) };

/** Ridge regression in closed form on the centred Gram matrix (Cholesky). */
export class Ridge extends GramRegressor<RidgeParams> {
  constructor(params: Partial<RidgeParams> = {}) {
    super({ alpha: 1, fitIntercept: true, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<RidgeParams> {
    return RIDGE_SPECS;
  }

  protected solve(g: GramResult, p: number, t: number, data: { X: { rows: number } }): Float64Array {
    const A = Float64Array.from(g.gram);
    for (let i = 0; i < p; i++) A[i * p + i] += this.params.alpha;
    // alpha = 0 on rank-deficient data is not positive definite: fall back to least squares.
    return choleskySolve(A, g.xty, p, t) ?? pseudoInverseSolve(A, g.xty, p, t, Number.EPSILON * Math.max(data.X.rows, p)).x;
  }
}
