/**
 * Linear models fitted by stochastic gradient descent (scikit-learn's
 * SGDClassifier / SGDRegressor): each epoch is one native call over all rows
 * (one-vs-all class models in parallel); partialFit runs one epoch on new data for
 * online learning. Stops when the epoch loss has not improved by tol · n for
 * nIterNoChange epochs.
 */
import { abortCheckpoint } from '../../core/abort.js';
import { readMatrix } from '../../core/read-matrix.js';
import { classWeights } from '../common/class-weight.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import { shuffleInPlace } from '../../ops/shuffle.js';
import type { BackendChoice, SgdLossName, SgdRateName } from '../../backend/backend.js';
import { sgdDloss } from '../../backend/linear/sgd-losses.js';
import { resolveKernels } from '../../backend/select.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { bool, int, nullable, num, oneOf, optional, type ParamSpecs } from '../../core/params.js';

import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import { encodeLabels } from '../../core/labels.js';
import { readSampleWeight, readTarget, shapeOutput, type RegressionTarget } from '../common/targets.js';
import { linearScores, readRows } from './base.js';
import { decisionOutput, labelsOfScores, oneVsRestTargets } from './classifier.js';
import { readClassLabels } from '../common/class-labels.js';

/** What SGD's fit reports after each epoch. */
export interface SGDEpochLogs {
  /** Epochs done so far in this fit, from 1. */
  epoch: number;
  /** Most epochs this fit may run (maxIter). */
  epochs: number;
  /** The epoch's training loss summed over rows (and class models), as the convergence test sees it. */
  loss: number;
}

/** fit's options: sample weights, a signal, and a per-epoch progress hook. */
export interface SGDFitOptions extends WeightedFitOptions {
  /**
   * Called after each epoch of fit; it may throw (e.g. a study's pruning callback throwing
   * TrialPruned) to end the fit early, which leaves the estimator as it was before fit.
   */
  onProgress?: (logs: SGDEpochLogs) => void | Promise<void>;
}

const SGD_FIT = [...WEIGHTED_FIT, 'onProgress'] as const;

export interface SGDParams {
  /**
   * The loss. SGDClassifier: 'hinge' (linear SVM), 'log_loss' (logistic regression),
   * 'modified_huber' or 'squared_hinge'. SGDRegressor: 'squared_error' or 'huber'.
   * Default: 'hinge' (SGDClassifier), 'squared_error' (SGDRegressor).
   */
  loss: SgdLossName;
  /** The penalty: 'l2', 'l1', 'elasticnet' (l1Ratio of L1, the rest L2) or 'none'. Default: 'l2'. */
  penalty: 'l2' | 'l1' | 'elasticnet' | 'none';
  /** Penalty strength, a finite number >= 0 (> 0 for learningRate 'optimal', whose step size it sets). Default: 1e-4. */
  alpha: number;
  /** Share of L1 in the 'elasticnet' penalty, in [0, 1]. Default: 0.15. */
  l1Ratio: number;
  /** Fit an intercept (not penalised). Default: true. */
  fitIntercept: boolean;
  /** Most epochs (passes over the data) of fit. Default: 1000. */
  maxIter: number;
  /**
   * fit stops when the epoch loss has not improved by tol · n for nIterNoChange epochs in a row
   * (a number >= 0); null: run all maxIter epochs. Default: 1e-3.
   */
  tol: number | null;
  /** Shuffle the rows before each epoch. Default: true. */
  shuffle: boolean;
  /** The 'huber' loss's threshold: residuals beyond it count linearly (a finite number >= 0). Default: 0.1. */
  epsilon: number;
  /** Seed of the shuffles (any integer). Default: 0. */
  randomState: number;
  /**
   * The step size schedule: 'optimal' 1 / (alpha·(t0 + t)), t0 by scikit-learn's heuristic;
   * 'constant' eta0; 'invscaling' eta0 / t^powerT. Default: 'optimal' (SGDClassifier), 'invscaling' (SGDRegressor).
   */
  learningRate: SgdRateName;
  /** Initial step size of 'constant' and 'invscaling' (needs > 0 there), a finite number >= 0. Default: 0 (SGDClassifier), 0.01 (SGDRegressor). */
  eta0: number;
  /** Exponent of the 'invscaling' schedule, a finite number. Default: 0.5 (SGDClassifier), 0.25 (SGDRegressor). */
  powerT: number;
  /** Epochs without improvement (see tol) before fit stops, an integer >= 1. Default: 5. */
  nIterNoChange: number;
  /**
   * Backend of the epoch kernel: 'auto', 'native' or 'js' (it does not run on 'webgpu');
   * undefined uses the process-wide choice (setBackend). Default: undefined.
   */
  backend: BackendChoice | undefined;
}

const COMMON: Omit<SGDParams, 'loss' | 'learningRate' | 'eta0' | 'powerT'> = {
  penalty: 'l2',
  alpha: 1e-4,
  l1Ratio: 0.15,
  fitIntercept: true,
  maxIter: 1000,
  tol: 1e-3,
  shuffle: true,
  epsilon: 0.1,
  randomState: 0,
  nIterNoChange: 5,
  backend: undefined,
};

const COMMON_SPECS: ParamSpecs<Omit<SGDParams, 'loss'>> = {
  penalty: oneOf('l2', 'l1', 'elasticnet', 'none'),
  alpha: num({ min: 0, finite: true }),
  l1Ratio: num({ min: 0, max: 1 }),
  fitIntercept: bool(),
  maxIter: int({ min: 1 }),
  tol: nullable(num({ min: 0 })),
  shuffle: bool(),
  epsilon: num({ min: 0, finite: true }),
  randomState: int(),
  learningRate: oneOf('optimal', 'constant', 'invscaling'),
  eta0: num({ min: 0, finite: true }),
  powerT: num({ finite: true }),
  nIterNoChange: int({ min: 1 }),
  backend: optional(BACKEND_CHOICE),
};

interface Model {
  coef: Float64Array; // models × (p + 1)
  t: Float64Array;
  p: number;
  models: number;
  nIter: number;
}

abstract class SGDBase<P extends SGDParams> extends Estimator<P> {
  protected model: Model | undefined;
  private rng: Rng | undefined;

  protected override checkTogether(p: P): void {
    const name = this.constructor.name;
    if (p.learningRate === 'optimal' && !(p.alpha > 0)) throw new ParamError(`${name}: learningRate 'optimal' needs alpha > 0`);
    if (p.learningRate !== 'optimal' && !(p.eta0 > 0)) throw new ParamError(`${name}: learningRate '${p.learningRate}' needs eta0 > 0`);
  }

  /** Update steps taken so far (scikit-learn's t_). */
  get t(): number {
    return this.fitted(this.model).t[0];
  }

  /** Epochs run by the last fit (or partialFit calls since). */
  get nIter(): number {
    return this.fitted(this.model).nIter;
  }

  private get l1Share(): number {
    const p = this.params;
    return p.penalty === 'l1' ? 1 : p.penalty === 'elasticnet' ? p.l1Ratio : 0;
  }

  /** Runs epochs until convergence (fit) or exactly one (partialFit) on targets ±1 / values. */
  protected async train(
    X: Matrix,
    y: Float64Array,
    models: number,
    w: Float64Array | null,
    epochs: 'fit' | 'one',
    signal: AbortSignal | undefined,
    onProgress?: SGDFitOptions['onProgress'],
  ): Promise<void> {
    const name = this.constructor.name;
    const { kernels: backend } = await resolveKernels('linear', this.params.backend, X.rows * X.cols, name);
    const p = X.cols,
      n = X.rows;
    if (!this.model || epochs === 'fit') {
      this.model = { coef: new Float64Array(models * (p + 1)), t: new Float64Array(models).fill(1), p, models, nIter: 0 };
      this.rng = new Rng(this.params.randomState);
    }
    const m = this.model;
    const alpha = this.params.penalty === 'none' ? 0 : this.params.alpha;
    // scikit-learn's 'optimal' schedule: eta = 1 / (alpha (t0 + t - 1)), t0 from a typical weight size.
    const typw = Math.sqrt(1 / Math.sqrt(Math.max(alpha, 1e-300)));
    const eta0Optimal = typw / Math.max(1, sgdDloss(this.params.loss, -typw, 1, this.params.epsilon));
    const optimalInit = 1 / (eta0Optimal * Math.max(alpha, 1e-300));
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const lossSum = new Float64Array(models);
    let best = Infinity,
      stale = 0;
    const maxEpochs = epochs === 'fit' ? this.params.maxIter : 1;
    const checkpoint = abortCheckpoint(signal);
    for (let epoch = 0; epoch < maxEpochs; epoch++) {
      await checkpoint();
      if (this.params.shuffle) shuffleInPlace(order, this.rng!);
      await backend.sgdEpoch({
        x: X.data,
        n,
        p,
        y,
        models,
        order,
        w,
        loss: this.params.loss,
        epsilon: this.params.epsilon,
        alpha,
        l1Ratio: this.l1Share,
        rate: this.params.learningRate,
        eta0: this.params.eta0,
        powerT: this.params.powerT,
        optimalInit,
        fitIntercept: this.params.fitIntercept,
        coef: m.coef,
        t: m.t,
        lossSum,
      });
      m.nIter++;
      if (!m.coef.every(Number.isFinite)) {
        throw new ParamError(`${name}: the weights diverged (non-finite) at epoch ${m.nIter}; lower eta0 or scale the features`);
      }
      const total = lossSum.reduce((a, b) => a + b, 0);
      if (onProgress) await onProgress({ epoch: epoch + 1, epochs: maxEpochs, loss: total });
      if (this.params.tol !== null && epochs === 'fit') {
        stale = total > best - this.params.tol * n * models ? stale + 1 : 0;
        best = Math.min(best, total);
        if (stale >= this.params.nIterNoChange) break;
      }
    }
  }

  /** rows × models raw scores. */
  protected scores(X: MatrixOrSparse, method: string): { z: Float64Array; rows: number } {
    const m = this.fitted(this.model);
    const Xm = readRows(X, `${this.constructor.name}.${method}: X`);
    if (Xm.cols !== m.p) throw new ShapeError(`${this.constructor.name}.${method}: X has ${Xm.cols} features but the model was fitted with ${m.p}`);
    const coef = new Float64Array(m.models * m.p),
      b = new Float64Array(m.models);
    for (let k = 0; k < m.models; k++) {
      coef.set(m.coef.subarray(k * (m.p + 1), k * (m.p + 1) + m.p), k * m.p);
      b[k] = m.coef[k * (m.p + 1) + m.p];
    }
    return { z: linearScores(Xm, coef, b, m.models), rows: Xm.rows };
  }

  /** models × p */
  protected coefMatrix(): Matrix<Float64Array> {
    const m = this.fitted(this.model);
    const out = new Float64Array(m.models * m.p);
    for (let k = 0; k < m.models; k++) out.set(m.coef.subarray(k * (m.p + 1), k * (m.p + 1) + m.p), k * m.p);
    return new Matrix(out, m.models, m.p);
  }

  protected interceptVector(): Float64Array {
    const m = this.fitted(this.model);
    return Float64Array.from({ length: m.models }, (_, k) => m.coef[k * (m.p + 1) + m.p]);
  }
}

export interface SGDClassifierParams extends SGDParams {
  /** 'balanced' weighs each row's loss by n / (classes · count of its class); undefined weighs every class 1. Default: undefined. */
  classWeight: 'balanced' | undefined;
}

const SGD_CLASSIFIER_SPECS: ParamSpecs<SGDClassifierParams> = {
  ...COMMON_SPECS,
  loss: oneOf('hinge', 'log_loss', 'modified_huber', 'squared_hinge'),
  classWeight: oneOf('balanced', undefined),
};
const SGD_REGRESSOR_SPECS: ParamSpecs<SGDParams> = { ...COMMON_SPECS, loss: oneOf('squared_error', 'huber') };

export class SGDClassifier extends SGDBase<SGDClassifierParams> {
  private labels: Label[] | undefined;

  constructor(params: Partial<SGDClassifierParams> = {}) {
    super({ ...COMMON, loss: 'hinge', learningRate: 'optimal', eta0: 0, powerT: 0.5, classWeight: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<SGDClassifierParams> {
    return SGD_CLASSIFIER_SPECS;
  }

  get classes(): Label[] {
    return [...this.fitted(this.labels)];
  }
  /** One row per one-vs-all model (a single row for two classes). */
  get coef(): Matrix<Float64Array> {
    return this.coefMatrix();
  }
  get intercept(): Float64Array {
    return this.interceptVector();
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: SGDFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SGD_FIT);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'SGDClassifier.fit: X', { sparse: 'densify' });
      const { classes, codes } = readClassLabels(y, Xm.rows, 'SGDClassifier.fit');
      this.labels = classes;
      await this.train(Xm, ...this.targets(Xm, codes, opts.sampleWeight, 'fit'), 'fit', opts.signal, checkHook(opts.onProgress, 'SGDClassifier.fit'));
      return this;
    });
  }

  /**
   * One epoch on this batch (online learning). The first call must list every class
   * (`classes`); later batches may only hold those labels.
   */
  async partialFit(X: MatrixOrSparse, y: ArrayLike<Label>, opts: WeightedFitOptions & { classes?: Label[] } = {}): Promise<this> {
    this.callOptions('partialFit', opts, ['classes', 'sampleWeight', 'signal']);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'SGDClassifier.partialFit: X', { sparse: 'densify' });
      if (!this.labels) {
        if (!opts.classes) throw new ParamError('SGDClassifier.partialFit: the first call needs { classes: [...every label] }');
        this.labels = encodeLabels(opts.classes, 'SGDClassifier.partialFit: classes').classes;
        if (this.labels.length < 2) throw new ParamError('SGDClassifier.partialFit: classes needs at least 2 labels');
      }
      const index = new Map(this.labels.map((c, i) => [c, i]));
      const codes = Int32Array.from(Array.from(y as ArrayLike<Label>), (v, i) => {
        const c = index.get(v);
        if (c === undefined) {
          throw new ParamError(
            `SGDClassifier.partialFit: y[${i}] = ${JSON.stringify(v)} is not one of the classes given at the first call (${this.labels!.map((l) => JSON.stringify(l)).join(', ')})`,
          );
        }
        return c;
      });
      await this.train(Xm, ...this.targets(Xm, codes, opts.sampleWeight, 'partialFit'), 'one', opts.signal);
      return this;
    });
  }

  private targets(X: Matrix, codes: Int32Array, sampleWeight: ArrayLike<number> | undefined, method: string): [Float64Array, number, Float64Array | null] {
    if (codes.length !== X.rows) throw new ShapeError(`SGDClassifier.${method}: X has ${X.rows} rows but y has ${codes.length} labels`);
    const K = this.labels!.length,
      n = X.rows;
    const { y, models } = oneVsRestTargets(codes, K);
    let w = readSampleWeight(sampleWeight, n, `SGDClassifier.${method}: sampleWeight`);
    if (this.params.classWeight === 'balanced') {
      const perClass = classWeights(
        'balanced',
        Array.from({ length: K }, (_, k) => k),
        codes,
        'SGDClassifier',
      );
      w = Float64Array.from(codes, (c, i) => perClass[c] * (w ? w[i] : 1));
    }
    return [y, models, w];
  }

  async decisionFunction(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { z, rows } = this.scores(X, 'decisionFunction');
      return decisionOutput(z, rows, this.fitted(this.model).models);
    });
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const classes = this.fitted(this.labels);
      const { z, rows } = this.scores(X, 'predict');
      return labelsOfScores(classes, z, rows, this.fitted(this.model).models);
    });
  }

  /** Probabilities for log_loss (sigmoid) and modified_huber; one-vs-all scores are normalised. */
  async predictProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const loss = this.params.loss;
      if (loss !== 'log_loss' && loss !== 'modified_huber') {
        throw new ParamError(`SGDClassifier.predictProba: not available for loss '${loss}'; use 'log_loss' or 'modified_huber'`);
      }
      const classes = this.fitted(this.labels);
      const { z, rows } = this.scores(X, 'predictProba');
      const K = classes.length,
        models = K === 2 ? 1 : K;
      const prob = (s: number) => (loss === 'log_loss' ? 1 / (1 + Math.exp(-s)) : (Math.min(1, Math.max(-1, s)) + 1) / 2);
      const out = new Float64Array(rows * K);
      for (let r = 0; r < rows; r++) {
        if (models === 1) {
          const p1 = prob(z[r]);
          out[r * 2] = 1 - p1;
          out[r * 2 + 1] = p1;
          continue;
        }
        let sum = 0;
        for (let k = 0; k < K; k++) sum += out[r * K + k] = prob(z[r * K + k]);
        for (let k = 0; k < K; k++) out[r * K + k] = sum > 0 ? out[r * K + k] / sum : 1 / K;
      }
      return new Matrix(out, rows, K);
    });
  }

  async predictLogProba(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictLogProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const p = await this.predictProba(X);
      return new Matrix(p.data.map(Math.log), p.rows, p.cols);
    });
  }

  async score(X: MatrixOrSparse, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export type SGDRegressorParams = SGDParams;

export class SGDRegressor extends SGDBase<SGDRegressorParams> {
  constructor(params: Partial<SGDRegressorParams> = {}) {
    super({ ...COMMON, loss: 'squared_error', learningRate: 'invscaling', eta0: 0.01, powerT: 0.25 }, params);
  }

  protected get paramSpecs(): ParamSpecs<SGDRegressorParams> {
    return SGD_REGRESSOR_SPECS;
  }

  get coef(): Float64Array {
    return this.coefMatrix().data;
  }
  get intercept(): number {
    return this.interceptVector()[0];
  }

  async fit(X: MatrixOrSparse, y: ArrayLike<number>, opts: SGDFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SGD_FIT);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'SGDRegressor.fit: X', { sparse: 'densify' });
      await this.train(
        Xm,
        this.target(Xm, y, 'fit'),
        1,
        readSampleWeight(opts.sampleWeight, Xm.rows, 'SGDRegressor.fit: sampleWeight'),
        'fit',
        opts.signal,
        checkHook(opts.onProgress, 'SGDRegressor.fit'),
      );
      return this;
    });
  }

  /** One epoch on this batch (online learning). */
  async partialFit(X: MatrixOrSparse, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('partialFit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'SGDRegressor.partialFit: X', { sparse: 'densify' });
      await this.train(
        Xm,
        this.target(Xm, y, 'partialFit'),
        1,
        readSampleWeight(opts.sampleWeight, Xm.rows, 'SGDRegressor.partialFit: sampleWeight'),
        'one',
        opts.signal,
      );
      return this;
    });
  }

  private target(X: Matrix, y: ArrayLike<number>, method: string): Float64Array {
    const t = readTarget(y as RegressionTarget, `SGDRegressor.${method}: y`);
    if (t.outputs !== 1) throw new ShapeError(`SGDRegressor.${method}: y must be 1-D (one target)`);
    if (t.y.length !== X.rows) throw new ShapeError(`SGDRegressor.${method}: X has ${X.rows} rows but y has ${t.y.length}`);
    return t.y;
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { z, rows } = this.scores(X, 'predict');
      return shapeOutput(z, rows, 1, true) as Float64Array;
    });
  }

  async score(X: MatrixOrSparse, y: ArrayLike<number>): Promise<number> {
    return r2Score(Float64Array.from(y), await this.predict(X));
  }
}

function checkHook(hook: SGDFitOptions['onProgress'], owner: string): SGDFitOptions['onProgress'] {
  if (hook !== undefined && typeof hook !== 'function') throw new ParamError(`${owner}: onProgress must be a function (logs) => void, got ${typeof hook}`);
  return hook;
}
