/** k-nearest-neighbours regression (scikit-learn's KNeighborsRegressor), single or multi-output. */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import { readTarget, type RegressionTarget } from '../common/targets.js';
import { r2Score } from '../../metrics/regression.js';
import type { ParamSpecs } from '../../core/params.js';
import { NEIGHBORS_DEFAULTS, NEIGHBORS_SPECS, NeighborsBase, type NeighborsParams } from './neighbors-base.js';
import { neighborWeights, WEIGHTS, type NeighborWeights } from './weights.js';

export interface KNeighborsRegressorParams extends NeighborsParams {
  /** How the neighbours' targets are averaged: 'uniform', or 'distance' (weighted by 1/distance; neighbours at distance 0 take all the weight). Default: 'uniform'. */
  weights: NeighborWeights;
}

const REGRESSOR_SPECS: ParamSpecs<KNeighborsRegressorParams> = { ...NEIGHBORS_SPECS, weights: WEIGHTS };

export type { RegressionTarget };

export class KNeighborsRegressor extends NeighborsBase<KNeighborsRegressorParams> {
  private target: { y: Float64Array; outputs: number; oneD: boolean } | undefined;

  constructor(params: Partial<KNeighborsRegressorParams> = {}) {
    super({ ...NEIGHBORS_DEFAULTS, weights: 'uniform' }, params);
  }

  protected get paramSpecs(): ParamSpecs<KNeighborsRegressorParams> {
    return REGRESSOR_SPECS;
  }

  async fit(X: MatrixOrSparse, y: RegressionTarget, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const target = readTarget(y, 'KNeighborsRegressor.fit: y');
      const Xm = await this.fitIndex(X);
      if (target.y.length / target.outputs !== Xm.rows) {
        this.dispose();
        throw new ShapeError(`KNeighborsRegressor.fit: X has ${Xm.rows} rows but y has ${target.y.length / target.outputs}`);
      }
      this.target = target;
      return this;
    });
  }

  /** Float64Array for a 1-D target; a matrix (one column per output) otherwise. */
  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { y, outputs, oneD } = this.fitted(this.target);
      const nb = await this.kneighbors(X);
      const k = nb.k,
        rows = nb.distances.rows;
      const out = new Float64Array(rows * outputs);
      const w = new Float64Array(k);
      for (let q = 0; q < rows; q++) {
        neighborWeights(this.params.weights, nb.distances.data, q * k, k, w);
        let total = 0;
        for (let t = 0; t < k; t++) total += w[t];
        for (let o = 0; o < outputs; o++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += w[t] * y[nb.indices[q * k + t] * outputs + o];
          out[q * outputs + o] = s / total;
        }
      }
      return oneD ? out : new Matrix(out, rows, outputs);
    });
  }

  /** R² on (X, y), averaged over outputs. */
  async score(X: MatrixOrSparse, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, 'KNeighborsRegressor.score: y');
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}
