/**
 * Multinomial naive Bayes for count features (scikit-learn's MultinomialNB):
 * additive (Laplace/Lidstone) smoothing alpha, learned or uniform class priors.
 */
import { readMatrix } from '../../core/read-matrix.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { bool, num, type ParamSpecs } from '../../core/params.js';
import { WEIGHTED_FIT, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import type { Label } from '../../metrics/classification.js';
import { encodeLabels } from '../../core/labels.js';
import { readSampleWeight } from '../common/targets.js';
import { NaiveBayes } from './naive-bayes-base.js';

export interface MultinomialNBParams {
  /** Additive (Laplace/Lidstone) smoothing added to every feature count, a finite number >= 0. Default: 1. */
  alpha: number;
  /** Learn class priors from the class frequencies (false: uniform priors). Default: true. */
  fitPrior: boolean;
}

const MULTINOMIAL_NB_SPECS: ParamSpecs<MultinomialNBParams> = { alpha: num({ min: 0, finite: true }), fitPrior: bool() };

interface Fitted {
  classes: Label[];
  classCount: Float64Array;
  featureLogProb: Float64Array; // classes × p
  classLogPrior: Float64Array;
  p: number;
}

export class MultinomialNB extends NaiveBayes<MultinomialNBParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<MultinomialNBParams> = {}) {
    super({ alpha: 1, fitPrior: true }, params);
  }

  protected get paramSpecs(): ParamSpecs<MultinomialNBParams> {
    return MULTINOMIAL_NB_SPECS;
  }

  protected fittedClasses(): Label[] {
    return this.fitted(this.state).classes;
  }
  get classCount(): Float64Array {
    return Float64Array.from(this.fitted(this.state).classCount);
  }
  /** log P(feature | class), classes × features. */
  get featureLogProb(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.featureLogProb), s.classes.length, s.p);
  }
  get classLogPrior(): Float64Array {
    return Float64Array.from(this.fitted(this.state).classLogPrior);
  }

  private counts(X: MatrixOrSparse, name: string): Matrix {
    const m = readMatrix(X, name, { sparse: 'densify' });
    const neg = m.data.findIndex((v) => v < 0);
    if (neg >= 0)
      throw new ParamError(`${name} has a negative value (${m.data[neg]}) at row ${Math.floor(neg / m.cols)}; MultinomialNB needs counts or frequencies`);
    return m;
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const Xm = this.counts(X, 'MultinomialNB.fit: X');
      const { classes, codes } = encodeLabels(y, 'MultinomialNB.fit: y');
      if (codes.length !== Xm.rows) throw new ShapeError(`MultinomialNB.fit: X has ${Xm.rows} rows but y has ${codes.length} labels`);
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, 'MultinomialNB.fit: sampleWeight');
      const K = classes.length,
        p = Xm.cols;
      const classCount = new Float64Array(K),
        fc = new Float64Array(K * p);
      for (let r = 0; r < Xm.rows; r++) {
        const k = codes[r],
          wr = w ? w[r] : 1;
        classCount[k] += wr;
        for (let c = 0; c < p; c++) fc[k * p + c] += wr * Xm.data[r * p + c];
      }
      const featureLogProb = new Float64Array(K * p);
      for (let k = 0; k < K; k++) {
        let total = 0;
        for (let c = 0; c < p; c++) total += fc[k * p + c] + this.params.alpha;
        for (let c = 0; c < p; c++) featureLogProb[k * p + c] = Math.log(fc[k * p + c] + this.params.alpha) - Math.log(total);
      }
      const n = classCount.reduce((a, b) => a + b, 0);
      const classLogPrior = this.params.fitPrior ? classCount.map((v) => Math.log(v / n)) : new Float64Array(K).fill(-Math.log(K));
      this.state = { classes, classCount, featureLogProb, classLogPrior, p };
      return this;
    });
  }

  protected jointLogLikelihood(X: MatrixOrSparse, method: string): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    const Xm = this.counts(X, `MultinomialNB.${method}: X`);
    if (Xm.cols !== s.p) throw new ShapeError(`MultinomialNB: X has ${Xm.cols} features but the model was fitted with ${s.p}`);
    const K = s.classes.length,
      out = new Float64Array(Xm.rows * K);
    for (let r = 0; r < Xm.rows; r++) {
      for (let k = 0; k < K; k++) {
        let j = s.classLogPrior[k];
        for (let c = 0; c < s.p; c++) j += Xm.data[r * s.p + c] * s.featureLogProb[k * s.p + c];
        out[r * K + k] = j;
      }
    }
    return new Matrix(out, Xm.rows, K);
  }
}
