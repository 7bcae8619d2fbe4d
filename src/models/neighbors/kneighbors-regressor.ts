/** k-nearest-neighbours regression (scikit-learn's KNeighborsRegressor), single or multi-output. */
import { DTypeError, NonFiniteError, ShapeError } from '../../core/errors.js';
import { Matrix, toMatrix, type MatrixLike } from '../../core/matrix.js';
import { r2Score } from '../../metrics/regression.js';
import { NEIGHBORS_DEFAULTS, NeighborsBase, type NeighborsParams } from './neighbors-base.js';
import { checkWeights, neighborWeights, type NeighborWeights } from './weights.js';

export interface KNeighborsRegressorParams extends NeighborsParams {
  /** 'uniform' mean, or 'distance': mean weighted by 1/distance. */
  weights: NeighborWeights;
}

/** A 1-D target (array of numbers), or a matrix with one column per output. */
export type RegressionTarget = ArrayLike<number> | MatrixLike;

export class KNeighborsRegressor extends NeighborsBase<KNeighborsRegressorParams> {
  private target: { y: Float64Array; outputs: number; oneD: boolean } | undefined;

  constructor(params: Partial<KNeighborsRegressorParams> = {}) {
    super({ ...NEIGHBORS_DEFAULTS, weights: 'uniform' }, params);
  }

  protected checkParams(p: KNeighborsRegressorParams): void {
    this.checkNeighborsParams(p);
    checkWeights(p.weights, 'KNeighborsRegressor');
  }

  async fit(X: MatrixLike, y: RegressionTarget): Promise<this> {
    const target = readTarget(y, 'KNeighborsRegressor.fit: y');
    const Xm = await this.fitIndex(X);
    if (target.y.length / target.outputs !== Xm.rows) {
      this.dispose();
      throw new ShapeError(`KNeighborsRegressor.fit: X has ${Xm.rows} rows but y has ${target.y.length / target.outputs}`);
    }
    this.target = target;
    return this;
  }

  /** Float64Array for a 1-D target; a matrix (one column per output) otherwise. */
  async predict(X: MatrixLike): Promise<Float64Array | Matrix<Float64Array>> {
    const { y, outputs, oneD } = this.fitted(this.target);
    const nb = await this.kneighbors(X);
    const k = nb.k, rows = nb.distances.rows;
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
  }

  /** R² on (X, y), averaged over outputs. */
  async score(X: MatrixLike, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, 'KNeighborsRegressor.score: y');
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}

function readTarget(y: RegressionTarget, name: string): { y: Float64Array; outputs: number; oneD: boolean } {
  const first = (y as ArrayLike<unknown>)[0];
  const twoD = y instanceof Matrix || Array.isArray(first);
  let data: Float64Array, outputs = 1;
  if (twoD) {
    const m = toMatrix(y as MatrixLike, name);
    data = Float64Array.from(m.data);
    outputs = m.cols;
  } else {
    if (typeof (y as ArrayLike<number>).length !== 'number') throw new DTypeError(`${name} must be an array of numbers or a matrix`);
    data = Float64Array.from(y as ArrayLike<number>);
    for (let i = 0; i < data.length; i++) {
      if (typeof (y as ArrayLike<unknown>)[i] !== 'number') throw new DTypeError(`${name}[${i}] is not a number`);
    }
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new NonFiniteError(`${name} has a non-finite value (${data[bad]}) at position ${bad}`);
  return { y: data, outputs, oneD: !twoD };
}
