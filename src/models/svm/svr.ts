/** ε-support vector regression (scikit-learn's SVR) and ν-support vector regression (NuSVR), LIBSVM's solvers. */
import type { MatrixOrSparse } from '../../core/dense.js';
import { ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { num, type ParamSpecs } from '../../core/params.js';
import { readMatrix } from '../../core/read-matrix.js';
import { r2Score } from '../../metrics/regression.js';
import { readSampleWeight, readTarget } from '../common/targets.js';
import { KERNEL_DEFAULTS, KERNEL_SPECS, SvmBase, type KernelParams } from './base.js';
import { solveEpsilonSvr, solveNuSvr, type DecisionFunction, type SolveContext } from './problems.js';

abstract class SvrBase<P extends KernelParams & { C: number }> extends SvmBase<P> {
  protected abstract solve(ctx: SolveContext, rows: Int32Array, y: Float64Array, w: Float64Array): Promise<DecisionFunction>;

  async fit(X: MatrixOrSparse, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = `${this.constructor.name}.fit`;
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const t = readTarget(y, `${name}: y`);
      if (!t.oneD || t.y.length !== Xm.rows)
        throw new ShapeError(`${name}: y must be one number per row of X (${Xm.rows}), got ${t.y.length / t.outputs} rows × ${t.outputs}`);
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`) ?? new Float64Array(Xm.rows).fill(1);
      const keep = Int32Array.from(Array.from(w.keys()).filter((i) => w[i] > 0));
      const ctx = await this.solveContext(Xm, name, opts.signal);
      const f = await this.solve(
        ctx,
        keep,
        Float64Array.from(keep, (i) => t.y[i]),
        Float64Array.from(keep, (i) => w[i]),
      );
      const nz = Array.from(f.coef.keys()).filter((i) => f.coef[i] !== 0);
      const support = Int32Array.from(nz, (i) => keep[i]);
      const coef = Float64Array.from(nz, (i) => f.coef[i]);
      this.state = this.makeState(ctx, support, Int32Array.of(support.length), coef, Float64Array.of(f.rho), Int32Array.of(f.nIter));
      return this;
    });
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.singleDecision(X, 'predict'));
  }

  /** R² of the predictions on (X, y). */
  async score(X: MatrixOrSparse, y: ArrayLike<number>): Promise<number> {
    return r2Score(y, await this.predict(X));
  }
}

const C_SPEC = num({ min: 0, minExclusive: true, finite: true });

export interface SVRParams extends KernelParams {
  /** The penalty of errors beyond epsilon (a number > 0). Default: 1. */
  C: number;
  /** The half-width of the tube within which errors cost nothing (a number >= 0). Default: 0.1. */
  epsilon: number;
}

const SVR_SPECS: ParamSpecs<SVRParams> = { ...KERNEL_SPECS, C: C_SPEC, epsilon: num({ min: 0, finite: true }) };

export class SVR extends SvrBase<SVRParams> {
  constructor(params: Partial<SVRParams> = {}) {
    super({ ...KERNEL_DEFAULTS, C: 1, epsilon: 0.1 }, params);
  }

  protected get paramSpecs(): ParamSpecs<SVRParams> {
    return SVR_SPECS;
  }

  protected solve(ctx: SolveContext, rows: Int32Array, y: Float64Array, w: Float64Array): Promise<DecisionFunction> {
    return solveEpsilonSvr(ctx, rows, y, w, this.params.C, this.params.epsilon);
  }
}

export interface NuSVRParams extends KernelParams {
  /** The penalty of errors (a number > 0). Default: 1. */
  C: number;
  /** An upper bound on the fraction of training errors and a lower bound on the fraction of support vectors, in (0, 1]. Default: 0.5. */
  nu: number;
}

const NU_SVR_SPECS: ParamSpecs<NuSVRParams> = { ...KERNEL_SPECS, C: C_SPEC, nu: num({ min: 0, max: 1, minExclusive: true }) };

export class NuSVR extends SvrBase<NuSVRParams> {
  constructor(params: Partial<NuSVRParams> = {}) {
    super({ ...KERNEL_DEFAULTS, C: 1, nu: 0.5 }, params);
  }

  protected get paramSpecs(): ParamSpecs<NuSVRParams> {
    return NU_SVR_SPECS;
  }

  protected solve(ctx: SolveContext, rows: Int32Array, y: Float64Array, w: Float64Array): Promise<DecisionFunction> {
    return solveNuSvr(ctx, rows, y, w, this.params.C, this.params.nu);
  }
}
