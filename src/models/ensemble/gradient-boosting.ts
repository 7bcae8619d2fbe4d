/**
 * GradientBoostingClassifier (binary logistic, multiclass softmax) and
 * GradientBoostingRegressor (squared error, absolute error, Huber, quantile; Poisson, Gamma and
 * Tweedie on the log link) on the native hist engine:
 * LightGBM-style leaf-wise trees, missing values and native categorical splits, bagging,
 * feature subsampling, early stopping, staged prediction, importances and TreeSHAP.
 */
import { readMatrix } from '../../core/read-matrix.js';
import { ParamError, ShapeError } from '../../core/errors.js';
import { SIGNAL_ONLY, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix, type MatrixLike, type SyncRows } from '../../core/matrix.js';
import { num, nullable, oneOf, type ParamSpecs } from '../../core/params.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import type { BackendChoice } from '../../backend/backend.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { r2Score, weightedPercentile } from '../../metrics/regression.js';
import { numpySum, percentile } from '../../core/numeric.js';
import { HIST_LOG_LINK } from '../../backend/contract/hist.js';
import { CLASS_WEIGHT, classWeights, type ClassWeight } from '../common/class-weight.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { readSampleWeight } from '../common/targets.js';
import { boost, BOOSTING_DEFAULTS, BOOSTING_SPECS, type BoostingParams, type BoostingTask, type RoundLogs } from './booster.js';
import { categoricalMask, treeBackend } from '../tree/engine.js';
import { rawScores, singleTarget, TreeModel, type FittedTrees } from '../tree/model.js';
import { holdOut } from '../tree/split.js';

export interface BoostingFitOptions extends WeightedFitOptions {
  /** Validation data for early stopping and the validation history (instead of validationFraction). */
  evalSet?: [MatrixLike, ArrayLike<Label>] | [MatrixLike, ArrayLike<Label>, ArrayLike<number>];
  /** Called after each boosting round with its losses. */
  onProgress?: (logs: RoundLogs) => void;
}

const BOOSTING_FIT = ['sampleWeight', 'evalSet', 'onProgress', 'signal'] as const;

type FitTask = Omit<BoostingTask, 'valid'> & { valid: BoostingTask['valid'] | 'holdout' };

interface BoostingState extends FittedTrees {
  trainLoss: number[];
  validLoss: number[] | null;
  bestIteration: number;
}

export abstract class BaseGradientBoosting<P extends BoostingParams & { backend: BackendChoice }> extends TreeModel<P, BoostingState> {
  /** Rounds kept (the best iteration under early stopping). */
  get nIter(): number {
    return this.fitted(this.state).bestIteration;
  }
  get bestIteration(): number {
    return this.fitted(this.state).bestIteration;
  }
  /** Mean training loss after each round, and the validation loss when there was validation data. */
  get evalHistory(): { train: number[]; valid: number[] | null } {
    const s = this.fitted(this.state);
    return { train: [...s.trainLoss], valid: s.validLoss ? [...s.validLoss] : null };
  }
  /** Raw scores after each round in turn (rounds 1 .. nIter). */
  protected async *stagedRaw(X: MatrixLike, method: string): AsyncGenerator<Float64Array> {
    const s = this.fitted(this.state),
      k = s.ensemble.outputs;
    const owner = `${this.constructor.name}.${method}`;
    let scores: Float64Array | undefined;
    for (let round = 0; round < s.ensemble.trees / k; round++) {
      const delta = await rawScores(s, X, this.params.backend, owner, [round * k, (round + 1) * k]);
      if (!scores) scores = delta;
      else for (let i = 0; i < scores.length; i++) scores[i] += delta[i] - s.baseScore[i % k];
      yield Float64Array.from(scores);
    }
  }

  protected async fitTask(X: MatrixLike, task: FitTask): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep' });
    if (Xm.rows !== task.y.length) throw new ShapeError(`${owner}: X has ${Xm.rows} rows but y has ${task.y.length}`);
    const p = this.params;
    const categorical = categoricalMask(p.categoricalFeatures, Xm.cols, this.constructor.name);
    let train = Xm,
      t: BoostingTask = { ...task, valid: task.valid === 'holdout' ? null : task.valid };
    if (task.valid === 'holdout') {
      const { train: tr, valid: va } = holdOut(Xm.rows, p.validationFraction, p.randomState, task.strata);
      const pick = (a: Float64Array | null, idx: Int32Array) => (a ? Float64Array.from(idx, (i) => a[i]) : null);
      train = Xm.takeRows(tr);
      t = { ...task, y: pick(task.y, tr)!, w: pick(task.w, tr), valid: { X: Xm.takeRows(va), y: pick(task.y, va)!, w: pick(task.w, va) } };
    } else if (task.valid && task.valid.X.cols !== Xm.cols) {
      throw new ShapeError(`${owner}: evalSet has ${task.valid.X.cols} features but X has ${Xm.cols}`);
    }
    const backend = await treeBackend(p.backend, train.rows * train.cols * p.nEstimators, this.constructor.name);
    const r = await boost(backend, train, t, p, categorical, this.constructor.name);
    this.state = { ensemble: r.ensemble, baseScore: t.init, features: Xm.cols, trainLoss: r.trainLoss, validLoss: r.validLoss, bestIteration: r.bestIteration };
  }
}

export interface GradientBoostingClassifierParams extends BoostingParams {
  /**
   * Weights of the classes: 'balanced' (n / (classes · count)) or a weight per class label (1 for
   * labels left out), multiplying the rows' sample weights; null weighs every class 1. Default: null.
   */
  classWeight: ClassWeight | null;
  /** Backend of the hist engine (binning, gradients, growing, prediction): 'auto', 'native', 'webgpu' or 'js'. Default: 'auto'. */
  backend: BackendChoice;
}

const CLASSIFIER_SPECS: ParamSpecs<GradientBoostingClassifierParams> = { ...BOOSTING_SPECS, classWeight: nullable(CLASS_WEIGHT), backend: BACKEND_CHOICE };

export class GradientBoostingClassifier extends BaseGradientBoosting<GradientBoostingClassifierParams> {
  private labels: Label[] | undefined;

  constructor(params: Partial<GradientBoostingClassifierParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, classWeight: null, backend: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<GradientBoostingClassifierParams> {
    return CLASSIFIER_SPECS;
  }

  get classes(): Label[] {
    return [...this.fitted(this.labels)];
  }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: BoostingFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, BOOSTING_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = 'GradientBoostingClassifier.fit';
      const { classes, codes } = encodeLabels(y, `${owner}: y`);
      const n = codes.length;
      if (classes.length < 2) throw new ParamError(`${owner}: y holds one class only (${String(classes[0])}); a classifier needs at least two`);
      const K = classes.length;
      let w = readSampleWeight(opts.sampleWeight, n, `${owner}: sampleWeight`);
      if (this.params.classWeight !== null) {
        const cw = classWeights(this.params.classWeight, classes, codes, 'GradientBoostingClassifier');
        w = Float64Array.from({ length: n }, (_, i) => (w ? w[i] : 1) * cw[codes[i]]);
      }
      const yCodes = Float64Array.from(codes);
      const k = K === 2 ? 1 : K;
      const init = priorScores(yCodes, w, K);
      let valid: BoostingTask['valid'] | 'holdout' = null;
      if (opts.evalSet) {
        const [Xv, yv, wv] = opts.evalSet;
        const Xvm = readMatrix(Xv, `${owner}: evalSet X`, { nonFinite: 'keep' });
        const index = new Map(classes.map((c, i) => [c, i]));
        const yvCodes = Float64Array.from({ length: yv.length }, (_, i) => {
          const c = index.get(yv[i]);
          if (c === undefined) throw new ParamError(`${owner}: evalSet y[${i}] = ${String(yv[i])} is not a class seen in y`);
          return c;
        });
        if (yvCodes.length !== Xvm.rows) throw new ShapeError(`${owner}: evalSet has ${Xvm.rows} rows but ${yvCodes.length} labels`);
        valid = { X: Xvm, y: yvCodes, w: readSampleWeight(wv, Xvm.rows, `${owner}: evalSet weights`) };
      } else if (this.params.earlyStoppingRounds !== null) {
        valid = 'holdout';
      }
      await this.fitTask(X, {
        loss: K === 2 ? 'logistic' : 'softmax',
        k,
        y: yCodes,
        w,
        init,
        lossParam: 0,
        strata: codes,
        valid,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      this.labels = classes;
      return this;
    });
  }

  /** Raw scores: the log-odds of the second class (binary, 1-D), or rows × classes. */
  async decisionFunction(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const raw = await this.raw(X, 'decisionFunction');
      const k = this.fitted(this.state).ensemble.outputs;
      return k === 1 ? raw : new Matrix(raw, raw.length / k, k);
    });
  }

  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      return this.probabilities(await this.raw(X, 'predictProba'));
    });
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const proba = await this.predictProba(X);
      return labelsOfMaxScore(this.classes, proba.data, proba.rows, proba.cols);
    });
  }

  /** Synchronous prediction in-process, for single rows and small batches. */
  predictProbaSync(X: SyncRows): Matrix<Float64Array> {
    return this.probabilities(this.rawSync(X, 'predictProbaSync'));
  }

  predictSync(X: SyncRows): Label[] {
    const proba = this.predictProbaSync(X);
    return labelsOfMaxScore(this.fitted(this.labels), proba.data, proba.rows, proba.cols);
  }

  /** Class probabilities after each round. */
  async *stagedPredictProba(X: MatrixLike): AsyncGenerator<Matrix<Float64Array>> {
    for await (const raw of this.stagedRaw(X, 'stagedPredictProba')) yield this.probabilities(raw);
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }

  private probabilities(raw: Float64Array): Matrix<Float64Array> {
    const K = this.fitted(this.labels).length;
    if (K === 2) {
      const out = new Float64Array(raw.length * 2);
      for (let i = 0; i < raw.length; i++) {
        const p1 = 1 / (1 + Math.exp(-raw[i]));
        out[2 * i] = 1 - p1;
        out[2 * i + 1] = p1;
      }
      return new Matrix(out, raw.length, 2);
    }
    const n = raw.length / K,
      out = new Float64Array(raw.length);
    for (let i = 0; i < n; i++) {
      let mx = -Infinity,
        s = 0;
      for (let c = 0; c < K; c++) mx = Math.max(mx, raw[i * K + c]);
      for (let c = 0; c < K; c++) s += out[i * K + c] = Math.exp(raw[i * K + c] - mx);
      for (let c = 0; c < K; c++) out[i * K + c] /= s;
    }
    return new Matrix(out, n, K);
  }
}

/** Starting scores: the log-odds of the weighted class-1 share (binary) or the log class priors. */
function priorScores(codes: Float64Array, w: Float64Array | null, K: number): Float64Array {
  const count = new Float64Array(K);
  for (let i = 0; i < codes.length; i++) count[codes[i]] += w ? w[i] : 1;
  const total = count.reduce((a, b) => a + b, 0);
  const eps = 1e-15;
  if (K === 2) {
    const p1 = Math.min(1 - eps, Math.max(eps, count[1] / total));
    return Float64Array.of(Math.log(p1 / (1 - p1)));
  }
  return count.map((c) => Math.log(Math.max(eps, c / total)));
}

export type RegressionLoss = 'squared_error' | 'absolute_error' | 'huber' | 'quantile' | 'poisson' | 'gamma' | 'tweedie';

export interface GradientBoostingRegressorParams extends BoostingParams {
  /**
   * The loss: 'squared_error', 'absolute_error', 'huber', 'quantile' (pinball loss at alpha), or on
   * the log link (predictions are exp of the raw scores) 'poisson' (y >= 0), 'gamma' (y > 0) or
   * 'tweedie' (y >= 0, power tweediePower). Default: 'squared_error'.
   */
  loss: RegressionLoss;
  /** Residual size where the Huber loss turns from quadratic to linear, a finite number > 0. Default: 1. */
  huberDelta: number;
  /** The quantile predicted with loss 'quantile', in (0, 1). Default: 0.9. */
  alpha: number;
  /** Variance power of the Tweedie loss (XGBoost's tweedie_variance_power), in (1, 2). Default: 1.5. */
  tweediePower: number;
  /** Backend of the hist engine (binning, gradients, growing, prediction): 'auto', 'native', 'webgpu' or 'js'. Default: 'auto'. */
  backend: BackendChoice;
}

const REGRESSOR_SPECS: ParamSpecs<GradientBoostingRegressorParams> = {
  ...BOOSTING_SPECS,
  loss: oneOf('squared_error', 'absolute_error', 'huber', 'quantile', 'poisson', 'gamma', 'tweedie'),
  huberDelta: num({ min: 0, minExclusive: true, finite: true }),
  alpha: num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }),
  tweediePower: num({ min: 1, max: 2, minExclusive: true, maxExclusive: true }),
  backend: BACKEND_CHOICE,
};

export class GradientBoostingRegressor extends BaseGradientBoosting<GradientBoostingRegressorParams> {
  constructor(params: Partial<GradientBoostingRegressorParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, loss: 'squared_error', huberDelta: 1, alpha: 0.9, tweediePower: 1.5, backend: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<GradientBoostingRegressorParams> {
    return REGRESSOR_SPECS;
  }

  async fit(
    X: MatrixLike,
    y: ArrayLike<number>,
    opts: Omit<BoostingFitOptions, 'evalSet'> & { evalSet?: [MatrixLike, ArrayLike<number>] | [MatrixLike, ArrayLike<number>, ArrayLike<number>] } = {},
  ): Promise<this> {
    this.callOptions('fit', opts, BOOSTING_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = 'GradientBoostingRegressor.fit';
      const { loss, alpha, tweediePower, huberDelta } = this.params;
      const yv = singleTarget(y, `${owner}: y`);
      checkTargetDomain(loss, yv, `${owner}: y`);
      const n = yv.length;
      const w = readSampleWeight(opts.sampleWeight, n, `${owner}: sampleWeight`);
      let valid: BoostingTask['valid'] | 'holdout' = null;
      if (opts.evalSet) {
        const [Xv, yvs, wv] = opts.evalSet;
        const Xvm = readMatrix(Xv, `${owner}: evalSet X`, { nonFinite: 'keep' });
        const yValid = singleTarget(yvs, `${owner}: evalSet y`);
        checkTargetDomain(loss, yValid, `${owner}: evalSet y`);
        if (yValid.length !== Xvm.rows) throw new ShapeError(`${owner}: evalSet has ${Xvm.rows} rows but ${yValid.length} targets`);
        valid = { X: Xvm, y: yValid, w: readSampleWeight(wv, Xvm.rows, `${owner}: evalSet weights`) };
      } else if (this.params.earlyStoppingRounds !== null) {
        valid = 'holdout';
      }
      const task: FitTask = {
        loss,
        k: 1,
        y: yv,
        w,
        init: Float64Array.of(baseline(loss, yv, w, alpha)),
        lossParam: loss === 'huber' ? huberDelta : loss === 'quantile' ? alpha : loss === 'tweedie' ? tweediePower : 0,
        strata: null,
        valid,
        onProgress: opts.onProgress,
        signal: opts.signal,
      };
      if (loss === 'absolute_error') task.refitLeaves = refitQuantiles(0.5);
      else if (loss === 'quantile') task.refitLeaves = refitQuantiles(alpha);
      await this.fitTask(X, task);
      return this;
    });
  }

  /** Predictions: the raw scores, or exp of them for the log-link losses (poisson, gamma, tweedie). */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      return this.link(await this.raw(X, 'predict'));
    });
  }

  predictSync(X: SyncRows): Float64Array {
    return this.link(this.rawSync(X, 'predictSync'));
  }

  async *stagedPredict(X: MatrixLike): AsyncGenerator<Float64Array> {
    for await (const raw of this.stagedRaw(X, 'stagedPredict')) yield this.link(raw);
  }

  async score(X: MatrixLike, y: ArrayLike<number>): Promise<number> {
    return r2Score(y, await this.predict(X));
  }

  /** The inverse link, in place: exp for the log-link losses, the identity otherwise. */
  private link(raw: Float64Array): Float64Array {
    if (HIST_LOG_LINK.has(this.params.loss)) for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
    return raw;
  }
}

/** Poisson and Tweedie need y >= 0 with a positive sum (scikit-learn's rule), Gamma y > 0. */
function checkTargetDomain(loss: RegressionLoss, y: Float64Array, name: string): void {
  if (!HIST_LOG_LINK.has(loss)) return;
  const positive = loss === 'gamma';
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (positive ? !(y[i] > 0) : !(y[i] >= 0))
      throw new ParamError(`${name}[${i}] = ${y[i]}: loss '${loss}' needs targets ${positive ? '> 0' : '>= 0'}; use another loss or transform y`);
    sum += y[i];
  }
  if (!(sum > 0)) throw new ParamError(`${name}: loss '${loss}' needs a positive sum of targets (all are 0); use another loss`);
}

/**
 * The starting raw score, as scikit-learn's losses fit an intercept: the mean (squared error),
 * the median (absolute error, Huber), the alpha-quantile, or log of the mean clipped at 10·ε
 * (the log-link losses).
 */
function baseline(loss: RegressionLoss, y: Float64Array, w: Float64Array | null, alpha: number): number {
  if (loss === 'squared_error') return weightedMean(y, w);
  if (HIST_LOG_LINK.has(loss)) return Math.log(Math.max(weightedMean(y, w), 10 * Number.EPSILON));
  if (loss === 'huber') return weightedPercentile(y, w ?? new Float64Array(y.length).fill(1), 50);
  return quantileOf(y, w, loss === 'quantile' ? alpha : 0.5);
}

/** scikit-learn's PinballLoss.fit_intercept_only: numpy's percentile unweighted, _weighted_percentile with weights. */
function quantileOf(v: Float64Array, w: Float64Array | null, alpha: number): number {
  return w ? weightedPercentile(v, w, 100 * alpha) : percentile(v.slice().sort(), 100 * alpha);
}

/** numpy's average (pairwise sums), so baselines equal scikit-learn's bit for bit. */
function weightedMean(y: Float64Array, w: Float64Array | null): number {
  return w ? numpySum(y.map((v, i) => v * w[i])) / numpySum(w) : numpySum(y) / y.length;
}

/** Absolute error and quantile: each leaf's value becomes the alpha-quantile of its rows' residuals (scikit-learn's leaf update). */
function refitQuantiles(alpha: number): NonNullable<BoostingTask['refitLeaves']> {
  return (leafOf, scores, nodes, y, w) => {
    const byLeaf = new Map<number, number[]>();
    for (let i = 0; i < leafOf.length; i++) {
      const leaf = leafOf[i];
      if (leaf < 0) continue;
      let list = byLeaf.get(leaf);
      if (!list) byLeaf.set(leaf, (list = []));
      list.push(i);
    }
    const values = new Float64Array(nodes);
    for (const [leaf, rows] of byLeaf) {
      const residual = Float64Array.from(rows, (i) => y[i] - scores[i]);
      values[leaf] = quantileOf(residual, w ? Float64Array.from(rows, (i) => w[i]) : null, alpha);
    }
    return values;
  };
}
