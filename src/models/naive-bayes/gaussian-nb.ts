/**
 * Gaussian naive Bayes (scikit-learn's GaussianNB): per-class feature means and
 * variances (ddof 0) plus epsilon = varSmoothing · the largest feature variance;
 * probabilities by log-sum-exp of the joint log-likelihood.
 */
import { readMatrix } from '../../core/read-matrix.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { list, num, optional, refine, type ParamSpecs } from '../../core/params.js';
import { WEIGHTED_FIT, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import type { Label } from '../../metrics/classification.js';
import { encodeLabels } from '../../core/labels.js';
import { readSampleWeight } from '../common/targets.js';
import { NaiveBayes } from './naive-bayes-base.js';

export interface GaussianNBParams {
  /** Share of the largest feature variance added to every variance, for stability (a finite number >= 0). Default: 1e-9. */
  varSmoothing: number;
  /** Class priors in the order of the sorted classes (numbers >= 0 summing to 1); undefined: the class frequencies. Default: undefined. */
  priors: number[] | undefined;
}

const GAUSSIAN_NB_SPECS: ParamSpecs<GaussianNBParams> = {
  varSmoothing: num({ min: 0, finite: true }),
  priors: optional(refine(list(num({ min: 0 })), 'summing to 1', (ps) => Math.abs(ps.reduce((a, b) => a + b, 0) - 1) <= 1e-9, [[0.2, 0.2]])),
};

interface Fitted {
  classes: Label[];
  classCount: Float64Array;
  classPrior: Float64Array;
  theta: Float64Array; // classes × p
  variance: Float64Array; // classes × p
  epsilon: number;
  p: number;
}

export class GaussianNB extends NaiveBayes<GaussianNBParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<GaussianNBParams> = {}) {
    super({ varSmoothing: 1e-9, priors: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<GaussianNBParams> {
    return GAUSSIAN_NB_SPECS;
  }

  protected fittedClasses(): Label[] {
    return this.fitted(this.state).classes;
  }
  get classCount(): Float64Array {
    return Float64Array.from(this.fitted(this.state).classCount);
  }
  get classPrior(): Float64Array {
    return Float64Array.from(this.fitted(this.state).classPrior);
  }
  /** Per-class means, classes × features. */
  get theta(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.theta), s.classes.length, s.p);
  }
  /** Per-class variances plus epsilon, classes × features. */
  get variance(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.variance), s.classes.length, s.p);
  }
  get epsilon(): number {
    return this.fitted(this.state).epsilon;
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = 'GaussianNB.fit';
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const { classes, codes } = encodeLabels(y, `${name}: y`);
      if (codes.length !== Xm.rows) throw new ShapeError(`${name}: X has ${Xm.rows} rows but y has ${codes.length} labels`);
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`);
      const { rows, cols: p } = Xm,
        K = classes.length;
      if (this.params.priors && this.params.priors.length !== K) {
        throw new ParamError(`GaussianNB: priors has ${this.params.priors.length} values but y has ${K} classes`);
      }
      // epsilon from the variance of each whole column (unweighted, as scikit-learn).
      let maxVar = 0;
      for (let c = 0; c < p; c++) {
        let mean = 0;
        for (let r = 0; r < rows; r++) mean += Xm.data[r * p + c];
        mean /= rows;
        let v = 0;
        for (let r = 0; r < rows; r++) v += (Xm.data[r * p + c] - mean) ** 2;
        maxVar = Math.max(maxVar, v / rows);
      }
      const epsilon = this.params.varSmoothing * maxVar;
      const count = new Float64Array(K),
        theta = new Float64Array(K * p),
        variance = new Float64Array(K * p);
      for (let r = 0; r < rows; r++) {
        const k = codes[r],
          wr = w ? w[r] : 1;
        count[k] += wr;
        for (let c = 0; c < p; c++) theta[k * p + c] += wr * Xm.data[r * p + c];
      }
      for (let k = 0; k < K; k++) for (let c = 0; c < p; c++) theta[k * p + c] /= count[k];
      for (let r = 0; r < rows; r++) {
        const k = codes[r],
          wr = w ? w[r] : 1;
        for (let c = 0; c < p; c++) variance[k * p + c] += wr * (Xm.data[r * p + c] - theta[k * p + c]) ** 2;
      }
      for (let k = 0; k < K; k++) for (let c = 0; c < p; c++) variance[k * p + c] = variance[k * p + c] / count[k] + epsilon;
      const total = count.reduce((a, b) => a + b, 0);
      const classPrior = this.params.priors ? Float64Array.from(this.params.priors) : count.map((v) => v / total);
      this.state = { classes, classCount: count, classPrior, theta, variance, epsilon, p };
      return this;
    });
  }

  protected jointLogLikelihood(X: MatrixOrSparse, method: string): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    const Xm = readMatrix(X, `GaussianNB.${method}: X`, { sparse: 'densify', features: s.p });
    const K = s.classes.length,
      p = s.p;
    const out = new Float64Array(Xm.rows * K);
    for (let k = 0; k < K; k++) {
      let norm = 0;
      for (let c = 0; c < p; c++) norm += Math.log(2 * Math.PI * s.variance[k * p + c]);
      const base = Math.log(s.classPrior[k]) - 0.5 * norm;
      for (let r = 0; r < Xm.rows; r++) {
        let q = 0;
        for (let c = 0; c < p; c++) q += (Xm.data[r * p + c] - s.theta[k * p + c]) ** 2 / s.variance[k * p + c];
        out[r * K + k] = base - 0.5 * q;
      }
    }
    return new Matrix(out, Xm.rows, K);
  }
}
