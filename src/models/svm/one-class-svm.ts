/** Unsupervised outlier detection by LIBSVM's one-class SVM (scikit-learn's OneClassSVM). */
import type { MatrixOrSparse } from '../../core/dense.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { num, type ParamSpecs } from '../../core/params.js';
import { readMatrix } from '../../core/read-matrix.js';
import { readSampleWeight } from '../common/targets.js';
import { KERNEL_DEFAULTS, KERNEL_SPECS, SvmBase, type KernelParams } from './base.js';
import { solveOneClass } from './problems.js';

export interface OneClassSVMParams extends KernelParams {
  /** An upper bound on the fraction of training outliers and a lower bound on the fraction of support vectors, in (0, 1]. Default: 0.5. */
  nu: number;
}

const ONE_CLASS_SPECS: ParamSpecs<OneClassSVMParams> = { ...KERNEL_SPECS, nu: num({ min: 0, max: 1, minExclusive: true }) };

export class OneClassSVM extends SvmBase<OneClassSVMParams> {
  constructor(params: Partial<OneClassSVMParams> = {}) {
    super({ ...KERNEL_DEFAULTS, nu: 0.5 }, params);
  }

  protected get paramSpecs(): ParamSpecs<OneClassSVMParams> {
    return ONE_CLASS_SPECS;
  }

  /** rho: scoreSamples − decisionFunction (scikit-learn's offset_). */
  get offset(): number {
    return this.fitted(this.state).rho[0];
  }

  /** Fits on X alone; y is ignored (scikit-learn's signature). */
  async fit(X: MatrixOrSparse, _y?: unknown, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = 'OneClassSVM.fit';
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`) ?? new Float64Array(Xm.rows).fill(1);
      const keep = Int32Array.from(Array.from(w.keys()).filter((i) => w[i] > 0));
      const ctx = await this.solveContext(Xm, name, opts.signal);
      const f = await solveOneClass(
        ctx,
        keep,
        Float64Array.from(keep, (i) => w[i]),
        this.params.nu,
      );
      const nz = Array.from(f.coef.keys()).filter((i) => f.coef[i] !== 0);
      const support = Int32Array.from(nz, (i) => keep[i]);
      this.state = this.makeState(
        ctx,
        support,
        Int32Array.of(support.length),
        Float64Array.from(nz, (i) => f.coef[i]),
        Float64Array.of(f.rho),
        Int32Array.of(f.nIter),
      );
      return this;
    });
  }

  /** Σ coef·K(x, sv) − rho: positive inside the learned region, negative outside. */
  async decisionFunction(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.singleDecision(X, 'decisionFunction'));
  }

  /** The unshifted score Σ coef·K(x, sv) (decisionFunction + offset). */
  async scoreSamples(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('scoreSamples', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const rho = this.fitted(this.state).rho[0];
      return (await this.singleDecision(X, 'scoreSamples')).map((v) => v + rho);
    });
  }

  /** +1 for inliers (decision value > 0), −1 for outliers. */
  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Int32Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => Int32Array.from(await this.singleDecision(X, 'predict'), (v) => (v > 0 ? 1 : -1)));
  }
}
