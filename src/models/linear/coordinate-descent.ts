/**
 * Lasso and ElasticNet by cyclic coordinate descent with covariance (Gram)
 * updates, as scikit-learn's enet_coordinate_descent_gram: minimises
 * (1/(2n))‖y − Xw − b‖² + alpha·l1Ratio·‖w‖₁ + ½·alpha·(1 − l1Ratio)·‖w‖², each
 * output independently, stopping on the duality gap (tol · ‖y − ȳ‖²).
 */
import { hint, int, num, oneOf, type ParamSpecs } from '../../core/params.js';
import type { GramResult } from '../../backend/backend.js';
import type { Matrix } from '../../core/matrix.js';
import type { Target } from '../common/targets.js';
import { GramRegressor, LINEAR_REGRESSOR_SPECS, type LinearRegressorParams } from './base.js';

export interface ElasticNetParams extends LinearRegressorParams {
  /**
   * Penalty strength, a finite number >= 0: minimises (1/(2n))‖y − Xw − b‖² + alpha·l1Ratio·‖w‖₁
   * + ½·alpha·(1 − l1Ratio)·‖w‖². Default: 1.
   */
  alpha: number;
  /** Share of L1 in the penalty, in [0, 1]: 1 is the lasso, 0 ridge. Default: 0.5 (Lasso: fixed at 1). */
  l1Ratio: number;
  /** Most coordinate-descent sweeps per output. Default: 1000. */
  maxIter: number;
  /** Stop when the duality gap is below tol · ‖y − ȳ‖², a number >= 0. Default: 1e-4. */
  tol: number;
}

const ELASTIC_NET_SPECS: ParamSpecs<ElasticNetParams> = {
  ...LINEAR_REGRESSOR_SPECS,
  alpha: num({ min: 0, finite: true }),
  l1Ratio: num({ min: 0, max: 1 }),
  maxIter: int({ min: 1 }),
  tol: num({ min: 0 }),
};
const LASSO_SPECS: ParamSpecs<ElasticNetParams> = {
  ...ELASTIC_NET_SPECS,
  l1Ratio: hint(oneOf(1), 'the lasso is pure L1; use ElasticNet to mix in an L2 penalty'),
};

export class ElasticNet extends GramRegressor<ElasticNetParams> {
  /** Coordinate-descent sweeps, per output. */
  nIter: number[] | undefined;

  constructor(params: Partial<ElasticNetParams> = {}, defaults: Partial<ElasticNetParams> = {}) {
    super({ alpha: 1, l1Ratio: 0.5, fitIntercept: true, maxIter: 1000, tol: 1e-4, backend: undefined, ...defaults }, params);
  }

  protected get paramSpecs(): ParamSpecs<ElasticNetParams> {
    return ELASTIC_NET_SPECS;
  }

  protected solve(g: GramResult, p: number, t: number, data: { X: Matrix; target: Target; w: Float64Array | null }): Float64Array {
    const n = data.X.rows;
    // scikit-learn rescales sample weights to sum to n, so the objective keeps its 1/(2n).
    const scale = data.w ? n / g.wSum : 1;
    const Q = g.gram.map((v) => v * scale);
    const l1 = this.params.alpha * this.params.l1Ratio * n;
    const l2 = this.params.alpha * (1 - this.params.l1Ratio) * n;
    const out = new Float64Array(p * t);
    this.nIter = [];
    for (let o = 0; o < t; o++) {
      const q = Float64Array.from({ length: p }, (_, c) => g.xty[c * t + o] * scale);
      let yNorm2 = 0;
      for (let r = 0; r < n; r++) yNorm2 += (data.w ? data.w[r] * scale : 1) * (data.target.y[r * t + o] - g.yMean[o]) ** 2;
      const { w, nIter } = gramCoordinateDescent(Q, q, yNorm2, p, l1, l2, this.params.maxIter, this.params.tol);
      this.nIter.push(nIter);
      for (let c = 0; c < p; c++) out[c * t + o] = w[c];
    }
    return out;
  }
}

/** Lasso: ElasticNet with l1Ratio = 1. */
export class Lasso extends ElasticNet {
  constructor(params: Partial<Omit<ElasticNetParams, 'l1Ratio'>> & { l1Ratio?: 1 } = {}) {
    super(params, { l1Ratio: 1 });
  }

  protected override get paramSpecs(): ParamSpecs<ElasticNetParams> {
    return LASSO_SPECS;
  }
}

function gramCoordinateDescent(
  Q: Float64Array,
  q: Float64Array,
  yNorm2: number,
  p: number,
  l1: number,
  l2: number,
  maxIter: number,
  tol: number,
): { w: Float64Array; nIter: number } {
  const w = new Float64Array(p),
    H = new Float64Array(p); // H = Q w
  const gapTol = tol * yNorm2;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    let wMax = 0,
      dwMax = 0;
    for (let j = 0; j < p; j++) {
      const qjj = Q[j * p + j];
      if (qjj === 0) continue;
      const old = w[j];
      if (old !== 0) for (let i = 0; i < p; i++) H[i] -= old * Q[j * p + i];
      const tmp = q[j] - H[j];
      w[j] = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / (qjj + l2);
      if (w[j] !== 0) for (let i = 0; i < p; i++) H[i] += w[j] * Q[j * p + i];
      dwMax = Math.max(dwMax, Math.abs(w[j] - old));
      wMax = Math.max(wMax, Math.abs(w[j]));
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
      if (dualityGap(q, w, H, yNorm2, p, l1, l2) < gapTol) return { w, nIter: iter + 1 };
    }
  }
  return { w, nIter: iter };
}

function dualityGap(q: Float64Array, w: Float64Array, H: Float64Array, yNorm2: number, p: number, l1: number, l2: number): number {
  let qDotW = 0,
    wH = 0,
    wNorm2 = 0,
    wL1 = 0,
    dual = 0;
  for (let i = 0; i < p; i++) {
    qDotW += q[i] * w[i];
    wH += w[i] * H[i];
    wNorm2 += w[i] * w[i];
    wL1 += Math.abs(w[i]);
    dual = Math.max(dual, Math.abs(q[i] - H[i] - l2 * w[i]));
  }
  const rNorm2 = yNorm2 + wH - 2 * qDotW;
  let gap: number, c: number;
  if (dual > l1) {
    c = l1 / dual;
    gap = 0.5 * (rNorm2 + rNorm2 * c * c);
  } else {
    c = 1;
    gap = rNorm2;
  }
  return gap + l1 * wL1 - c * yNorm2 + c * qDotW + 0.5 * l2 * (1 + c * c) * wNorm2;
}
