/** Ordinary least squares (scikit-learn's LinearRegression). */
import { ParamError } from '../../core/errors.js';
import type { GramResult } from '../../backend/backend.js';
import { choleskySolve, pseudoInverseSolve } from './dense.js';
import { GramRegressor, type LinearRegressorParams } from './base.js';

export type LinearRegressionParams = LinearRegressorParams;

export class LinearRegression extends GramRegressor<LinearRegressionParams> {
  /** Numerical rank of the centred X (as LAPACK's gelsd counts it). */
  rank: number | undefined;

  constructor(params: Partial<LinearRegressionParams> = {}) {
    super({ fitIntercept: true, backend: undefined }, params);
  }

  protected checkParams(p: LinearRegressionParams): void {
    if (typeof p.fitIntercept !== 'boolean') throw new ParamError('LinearRegression: fitIntercept must be a boolean');
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
  /** L2 strength: minimises ‖y − Xw − b‖² + alpha‖w‖² (the intercept is not penalised). */
  alpha: number;
}

/** Ridge regression in closed form on the centred Gram matrix (Cholesky). */
export class Ridge extends GramRegressor<RidgeParams> {
  constructor(params: Partial<RidgeParams> = {}) {
    super({ alpha: 1, fitIntercept: true, backend: undefined }, params);
  }

  protected checkParams(p: RidgeParams): void {
    if (typeof p.alpha !== 'number' || !(p.alpha >= 0) || !Number.isFinite(p.alpha)) {
      throw new ParamError(`Ridge: alpha must be a finite number >= 0, got ${p.alpha}`);
    }
    if (typeof p.fitIntercept !== 'boolean') throw new ParamError('Ridge: fitIntercept must be a boolean');
  }

  protected solve(g: GramResult, p: number, t: number, data: { X: { rows: number } }): Float64Array {
    const A = Float64Array.from(g.gram);
    for (let i = 0; i < p; i++) A[i * p + i] += this.params.alpha;
    // alpha = 0 on rank-deficient data is not positive definite: fall back to least squares.
    return choleskySolve(A, g.xty, p, t) ?? pseudoInverseSolve(A, g.xty, p, t, Number.EPSILON * Math.max(data.X.rows, p)).x;
  }
}
