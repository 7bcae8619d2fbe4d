/** Unsupervised exact neighbour search (scikit-learn's NearestNeighbors). */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError } from '../../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { checkOptions } from '../../core/validate.js';
import { num, type ParamSpecs } from '../../core/params.js';
import { NEIGHBORS_DEFAULTS, NEIGHBORS_SPECS, NeighborsBase, type NeighborsParams } from './neighbors-base.js';

export interface NearestNeighborsParams extends NeighborsParams {
  /** The radius radiusNeighbors uses when its call gives none, a finite number >= 0. Default: 1. */
  radius: number;
}

const NEAREST_SPECS: ParamSpecs<NearestNeighborsParams> = { ...NEIGHBORS_SPECS, radius: num({ min: 0, finite: true }) };

export interface RadiusNeighborsResult {
  /** Per query: distances of the points within the radius, ascending. */
  distances: Float64Array[];
  /** Per query: their indices into the fitted data. */
  indices: Int32Array[];
}

export class NearestNeighbors extends NeighborsBase<NearestNeighborsParams> {
  constructor(params: Partial<NearestNeighborsParams> = {}) {
    super({ ...NEIGHBORS_DEFAULTS, radius: 1 }, params);
  }

  protected get paramSpecs(): ParamSpecs<NearestNeighborsParams> {
    return NEAREST_SPECS;
  }

  async fit(X: MatrixOrSparse, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      await this.fitIndex(X);
      return this;
    });
  }

  /**
   * Every fitted point within `radius` of each query (distance ≤ radius), sorted by
   * distance. Without X, the neighbours of each fitted point, excluding itself.
   * (Euclidean metrics on the native GEMM tiles, decided by exact f64 distances; others by an exact scan.)
   */
  async radiusNeighbors(X?: MatrixOrSparse, opts: { radius?: number } = {}): Promise<RadiusNeighborsResult> {
    const name = 'NearestNeighbors.radiusNeighbors';
    checkOptions(opts, ['radius'], name);
    const radius = opts.radius ?? this.params.radius;
    if (!(radius >= 0) || !Number.isFinite(radius)) throw new ParamError(`${name}: radius must be a finite number >= 0, got ${radius}`);
    const st = this.fittedState;
    const excludeSelf = X === undefined;
    const Q = excludeSelf ? st.X : this.queries(X, name);
    const r = await st.backend.knn.radius(st.index, Q.data, Q.rows, radius, excludeSelf);
    const out: RadiusNeighborsResult = { distances: [], indices: [] };
    for (let q = 0; q < Q.rows; q++) {
      out.distances.push(r.distances.slice(r.offsets[q], r.offsets[q + 1]));
      out.indices.push(r.indices.slice(r.offsets[q], r.offsets[q + 1]));
    }
    return out;
  }
}
