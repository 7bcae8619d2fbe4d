/**
 * Logistic regression (scikit-learn's LogisticRegression, lbfgs or newton-cholesky
 * solver): binary (one coefficient row, sigmoid) or multinomial (one row per class,
 * softmax; lbfgs only); L2 or no penalty; class and sample weights. Each L-BFGS
 * evaluation is one pass of the backend's f64 loss-and-gradient kernel over all rows;
 * each Newton evaluation one pass of its loss-gradient-Hessian kernel.
 */
import { abortCheckpoint } from '../../core/abort.js';
import { readMatrix } from '../../core/read-matrix.js';
import { classWeights } from '../common/class-weight.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import type { BackendChoice } from '../../backend/backend.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { bool, int, num, oneOf, optional, type ParamSpecs } from '../../core/params.js';
import { CLASS_WEIGHT } from '../common/class-weight.js';
import type { Label } from '../../metrics/classification.js';
import { lbfgs } from '../../training/lbfgs.js';
import { readSampleWeight } from '../common/targets.js';
import { linearBackend, linearScores } from './base.js';
import { LinearClassifier, type LinearClassifierFit } from './classifier.js';
import { readClassLabels } from '../common/class-labels.js';
import { ParamError } from '../../core/errors.js';
import { fitLogisticNewton } from './logistic-newton.js';

export interface LogisticRegressionParams {
  /** 'l2' (the ½‖W‖² term below) or 'none' (unpenalised; C is then unused). Default: 'l2'. */
  penalty: 'l2' | 'none';
  /** Inverse regularisation strength, a finite number > 0: minimises ½‖W‖² + C·Σ wᵢ·loglossᵢ. Default: 1. */
  C: number;
  /** Fit an intercept per score (not penalised). Default: true. */
  fitIntercept: boolean;
  /**
   * 'lbfgs' (L-BFGS on C·Σ loss + ½‖W‖²) or 'newton-cholesky' (scikit-learn 1.2's Newton solver:
   * each iteration one pass computing the loss, gradient and Hessian, then a Cholesky solve; for
   * many rows and few features; binary targets only, as scikit-learn's has no multinomial form).
   * Both find the same minimiser. Default: 'lbfgs'.
   */
  solver: 'lbfgs' | 'newton-cholesky';
  /** Most solver iterations. Default: 100. */
  maxIter: number;
  /**
   * Stopping tolerance, a number > 0. lbfgs: the gradient's largest component ≤ tol. newton-cholesky
   * (on the objective divided by C·Σ sample weights, as scikit-learn): that and the Newton
   * decrement ½·ΔᵀHΔ ≤ tol. Default: 1e-4.
   */
  tol: number;
  /**
   * Weights of the classes' losses: 'balanced' (n / (classes · count)), or a weight per class
   * label (1 for labels left out); undefined weighs every class 1. Default: undefined.
   */
  classWeight: 'balanced' | Record<string, number> | undefined;
  /**
   * Backend of the f64 loss-and-gradient kernel: 'auto', 'native' or 'js' (it does not run on
   * 'webgpu'); undefined uses the process-wide choice (setBackend). Default: undefined.
   */
  backend: BackendChoice | undefined;
}

const LOGISTIC_SPECS: ParamSpecs<LogisticRegressionParams> = {
  penalty: oneOf('l2', 'none'),
  C: num({ min: 0, minExclusive: true, finite: true }),
  fitIntercept: bool(),
  solver: oneOf('lbfgs', 'newton-cholesky'),
  maxIter: int({ min: 1 }),
  tol: num({ min: 0, minExclusive: true }),
  classWeight: optional(CLASS_WEIGHT),
  backend: optional(BACKEND_CHOICE),
};

interface Fitted {
  classes: Label[];
  coef: Float64Array; // scores × p
  intercept: Float64Array; // scores
  scores: number; // 1 (binary) or classes
  nFeatures: number;
  nIter: number;
}

export class LogisticRegression extends LinearClassifier<LogisticRegressionParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    super({ penalty: 'l2', C: 1, fitIntercept: true, solver: 'lbfgs', maxIter: 100, tol: 1e-4, classWeight: undefined, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<LogisticRegressionParams> {
    return LOGISTIC_SPECS;
  }

  protected fittedLinear(): LinearClassifierFit {
    const s = this.fitted(this.state);
    return { classes: s.classes, coef: s.coef, intercept: s.intercept, columns: s.scores, features: s.nFeatures, nIter: s.nIter };
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = 'LogisticRegression.fit';
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const { classes, codes } = readClassLabels(y, Xm.rows, name);
      if (this.params.solver === 'newton-cholesky' && classes.length > 2) {
        throw new ParamError(
          `${name}: solver 'newton-cholesky' fits binary targets only (y has ${classes.length} classes), as in scikit-learn 1.2; use solver 'lbfgs' for a multinomial model`,
        );
      }
      const sample = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`);
      const w = this.rowWeights(codes, classes, sample);
      const backend = await linearBackend(this.params.backend, Xm.rows * Xm.cols * classes.length, name);
      const p = Xm.cols,
        K = classes.length,
        scores = K === 2 ? 1 : K,
        stride = p + 1;
      // scikit-learn 1.2's objective for lbfgs: C·Σ wᵢ·loglossᵢ + ½‖W‖² (the stopping rule applies to it).
      const C = this.params.C;
      const l2 = this.params.penalty === 'l2' ? 1 : 0;
      const fitIntercept = this.params.fitIntercept;
      const checkpoint = abortCheckpoint(opts.signal);
      if (this.params.solver === 'newton-cholesky') {
        const res = await fitLogisticNewton(backend, {
          X: Xm,
          y: codes,
          w,
          sampleWeightSum: sample ? sample.reduce((a, v) => a + v, 0) : Xm.rows,
          C,
          penalised: l2 === 1,
          fitIntercept,
          maxIter: this.params.maxIter,
          tol: this.params.tol,
          checkpoint,
        });
        this.state = { classes, coef: res.x.slice(0, p), intercept: Float64Array.of(res.x[p]), scores: 1, nFeatures: p, nIter: res.nIter };
        return this;
      }
      const res = await lbfgs(
        async (coef) => {
          await checkpoint(); // between iterations: lbfgs asks for the loss once or more per step
          const { loss, grad } = await backend.logisticLossGrad(Xm.data, Xm.rows, p, codes, K, coef, fitIntercept, w);
          let value = C * loss;
          for (let i = 0; i < grad.length; i++) grad[i] *= C;
          for (let q = 0; q < scores; q++) {
            for (let c = 0; c < p; c++) {
              const v = coef[q * stride + c];
              value += 0.5 * l2 * v * v;
              grad[q * stride + c] += l2 * v;
            }
          }
          return { value, grad };
        },
        new Float64Array(scores * stride),
        { maxIter: this.params.maxIter, gtol: this.params.tol, ftol: 64 * Number.EPSILON },
      );
      const coef = new Float64Array(scores * p),
        intercept = new Float64Array(scores);
      for (let q = 0; q < scores; q++) {
        for (let c = 0; c < p; c++) coef[q * p + c] = res.x[q * stride + c];
        intercept[q] = fitIntercept ? res.x[q * stride + p] : 0;
      }
      this.state = { classes, coef, intercept, scores, nFeatures: p, nIter: res.nIter };
      return this;
    });
  }

  /** rows × classes probabilities, in the order of `classes`. */
  async predictProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const Xm = this.queries(X, 'predictProba');
      const z = linearScores(Xm, s.coef, s.intercept, s.scores);
      const K = s.classes.length;
      const out = new Float64Array(Xm.rows * K);
      for (let r = 0; r < Xm.rows; r++) {
        if (s.scores === 1) {
          const p1 = 1 / (1 + Math.exp(-z[r]));
          out[r * 2] = 1 - p1;
          out[r * 2 + 1] = p1;
          continue;
        }
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, z[r * K + k]);
        let se = 0;
        for (let k = 0; k < K; k++) se += Math.exp(z[r * K + k] - mx);
        for (let k = 0; k < K; k++) out[r * K + k] = Math.exp(z[r * K + k] - mx) / se;
      }
      return new Matrix(out, Xm.rows, K);
    });
  }

  async predictLogProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictLogProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const p = await this.predictProba(X);
      return new Matrix(p.data.map(Math.log), p.rows, p.cols);
    });
  }

  /** Sample weights × class weights; null when all are 1. */
  private rowWeights(codes: Int32Array, classes: Label[], sample: Float64Array | null): Float64Array | null {
    const cw = this.params.classWeight;
    if (cw === undefined) return sample;
    const perClass = classWeights(cw, classes, codes, 'LogisticRegression');
    return Float64Array.from(codes, (c, i) => perClass[c] * (sample ? sample[i] : 1));
  }
}
