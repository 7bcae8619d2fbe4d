/**
 * AdaBoostClassifier (scikit-learn 1.2's): clones of one estimator fitted in turn on reweighted
 * rows. 'SAMME' (discrete: a member's weight is learningRate · (log((1 − err) / err) + log(K − 1))
 * and misclassified rows gain e^weight) or 'SAMME.R' (real, 1.2's default: members vote with
 * (K − 1)(log p − mean log p) and rows are reweighted by the log-probability of their class).
 * Weights are normalised each round and clipped below at machine epsilon (rows weighted 0 stay
 * 0); a perfect member ends the boosting, and under SAMME a member no better than chance is
 * discarded and ends it.
 */
import { accuracyScore } from '../metrics/classification.js';
import { ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { custom, int, num, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { DecisionTreeClassifier } from '../models/tree/index.js';
import { readSampleWeight } from '../models/common/targets.js';
import { alignedProba, labelCodes } from './ensemble-members.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

export interface AdaBoostClassifierParams {
  /** The estimator boosted (cloned per round; its fit must take sampleWeight). Default: undefined, a DecisionTreeClassifier with maxDepth 1. */
  estimator: unknown;
  /** Most rounds, an integer >= 1. Default: 50. */
  nEstimators: number;
  /** Shrinks each member's contribution, a number > 0. Default: 1. */
  learningRate: number;
  /** 'SAMME' (discrete) or 'SAMME.R' (real; every member needs predictProba). Default: 'SAMME.R' (scikit-learn 1.2's). */
  algorithm: 'SAMME' | 'SAMME.R';
  /** Seed of the members' randomState (where they have one), an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

const SPECS: ParamSpecs<AdaBoostClassifierParams> = {
  estimator: optional(custom<unknown>('a kiln classifier (something with fit)', isEstimatorLike, { probes: [1] })),
  nEstimators: int({ min: 1 }),
  learningRate: num({ min: 0, minExclusive: true, finite: true }),
  algorithm: oneOf('SAMME', 'SAMME.R'),
  randomState: int({ min: 0, max: 0xffffffff }),
};

const EPS = Number.EPSILON;

type Member = { fit: (...a: unknown[]) => Promise<unknown>; predict(X: unknown): Promise<Label[]>; getParams?(): object; setParams?(o: object): unknown };

interface BoostState {
  classes: Label[];
  estimators: unknown[];
  weights: Float64Array;
  errors: Float64Array;
}

export class AdaBoostClassifier extends Estimator<AdaBoostClassifierParams> {
  private state: BoostState | undefined;

  constructor(params: Partial<AdaBoostClassifierParams> = {}) {
    super({ estimator: undefined, nEstimators: 50, learningRate: 1, algorithm: 'SAMME.R', randomState: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<AdaBoostClassifierParams> {
    return SPECS;
  }

  protected override checkTogether(p: AdaBoostClassifierParams): void {
    if (p.algorithm === 'SAMME.R' && p.estimator !== undefined && typeof (p.estimator as { predictProba?: unknown }).predictProba !== 'function')
      throw new ParamError(`AdaBoostClassifier: algorithm 'SAMME.R' needs an estimator with predictProba; use algorithm: 'SAMME'`);
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }

  /** The fitted members, in boosting order. */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).estimators];
  }

  /** Each round's member weight, nEstimators long (0 for rounds not run; 1 for every SAMME.R member). */
  get estimatorWeights(): Float64Array {
    return this.fitted(this.state).weights.slice();
  }

  /** Each round's weighted training error, nEstimators long (1 for rounds not run). */
  get estimatorErrors(): Float64Array {
    return this.fitted(this.state).errors.slice();
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const fn = 'AdaBoostClassifier.fit';
      const { classes, codes } = encodeLabels(y, `${fn}: y`);
      const K = classes.length;
      if (K < 2) throw new ParamError(`${fn}: y holds one class only; a classifier needs at least two`);
      const n = codes.length;
      const w = readSampleWeight(opts.sampleWeight, n, `${fn}: sampleWeight`) ?? new Float64Array(n).fill(1);
      const total = w.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw new ParamError(`${fn}: sampleWeight sums to ${total}; give some row a positive weight`);
      for (let i = 0; i < n; i++) w[i] /= total;
      const zero = Uint8Array.from(w, (v) => (v === 0 ? 1 : 0));
      const { nEstimators, algorithm } = this.params;
      const base = this.params.estimator ?? new DecisionTreeClassifier({ maxDepth: 1 });
      const rng = new Rng(this.params.randomState);
      const s: BoostState = { classes, estimators: [], weights: new Float64Array(nEstimators), errors: new Float64Array(nEstimators).fill(1) };
      for (let it = 0; it < nEstimators; it++) {
        opts.signal?.throwIfAborted();
        for (let i = 0; i < n; i++) w[i] = zero[i] ? 0 : Math.max(w[i], EPS);
        const est = cloneDeep(base) as Member;
        const seed = rng.nextUint32() >>> 1;
        if (est.getParams && 'randomState' in est.getParams()) est.setParams!({ randomState: seed });
        await est.fit(X, y, { sampleWeight: w, ...(opts.signal ? { signal: opts.signal } : {}) });
        s.estimators.push(est);
        const step = algorithm === 'SAMME.R' ? await this.realStep(est, X, codes, w, it, s) : await this.discreteStep(est, X, codes, w, it, s);
        if (!step) break;
        s.weights[it] = step.weight;
        s.errors[it] = step.error;
        if (step.error === 0) break;
        const sum = w.reduce((a, b) => a + b, 0);
        if (!Number.isFinite(sum) || sum <= 0) break;
        if (it < nEstimators - 1) for (let i = 0; i < n; i++) w[i] /= sum;
      }
      this.state = s;
    });
  }

  private error(pred: Int32Array, codes: Int32Array, w: Float64Array): number {
    let bad = 0,
      sum = 0;
    for (let i = 0; i < codes.length; i++) {
      sum += w[i];
      if (pred[i] !== codes[i]) bad += w[i];
    }
    return bad / sum;
  }

  private async realStep(est: Member, X: unknown, codes: Int32Array, w: Float64Array, it: number, s: BoostState): Promise<{ weight: number; error: number }> {
    const p = await alignedProba(est, X, s.classes, 'AdaBoostClassifier');
    const K = p.cols;
    const pred = Int32Array.from({ length: p.rows }, (_, r) => {
      let b = 0;
      for (let k = 1; k < K; k++) if (p.data[r * K + k] > p.data[r * K + b]) b = k;
      return b;
    });
    const error = this.error(pred, codes, w);
    if (error <= 0) return { weight: 1, error: 0 };
    if (it !== this.params.nEstimators - 1) {
      const lr = this.params.learningRate;
      for (let i = 0; i < codes.length; i++) {
        // −lr (K−1)/K Σ_k y_k log p_k, with y_k = 1 for the row's class and −1/(K−1) otherwise
        let s = 0;
        for (let k = 0; k < K; k++) s += (k === codes[i] ? 1 : -1 / (K - 1)) * Math.log(Math.max(p.data[i * K + k], EPS));
        const ew = -lr * ((K - 1) / K) * s;
        if (w[i] > 0 || ew < 0) w[i] *= Math.exp(ew);
      }
    }
    return { weight: 1, error };
  }

  private async discreteStep(
    est: Member,
    X: unknown,
    codes: Int32Array,
    w: Float64Array,
    it: number,
    s: BoostState,
  ): Promise<{ weight: number; error: number } | undefined> {
    const pred = labelCodes(await est.predict(X), s.classes, 'AdaBoostClassifier');
    const error = this.error(pred, codes, w);
    if (error <= 0) return { weight: 1, error: 0 };
    const K = s.classes.length;
    if (error >= 1 - 1 / K) {
      s.estimators.pop();
      if (s.estimators.length === 0)
        throw new ParamError('AdaBoostClassifier.fit: the first member is no better than chance, so the ensemble cannot be fitted; use a stronger estimator');
      return undefined;
    }
    const weight = this.params.learningRate * (Math.log((1 - error) / error) + Math.log(K - 1));
    if (it !== this.params.nEstimators - 1) for (let i = 0; i < codes.length; i++) if (pred[i] !== codes[i] && w[i] > 0) w[i] *= Math.exp(weight);
    return { weight, error };
  }

  /** One member's vote, rows × classes: SAMME.R's (K − 1)(log p − mean log p), or SAMME's weight on its predicted class. */
  private async vote(j: number, X: unknown): Promise<Matrix<Float64Array>> {
    const s = this.fitted(this.state);
    const K = s.classes.length;
    if (this.params.algorithm === 'SAMME.R') {
      const p = await alignedProba(s.estimators[j], X, s.classes, 'AdaBoostClassifier');
      const out = new Float64Array(p.data.length);
      for (let r = 0; r < p.rows; r++) {
        let mean = 0;
        for (let k = 0; k < K; k++) mean += Math.log(Math.max(p.data[r * K + k], EPS)) / K;
        for (let k = 0; k < K; k++) out[r * K + k] = (K - 1) * (Math.log(Math.max(p.data[r * K + k], EPS)) - mean);
      }
      return new Matrix(out, p.rows, K);
    }
    const pred = labelCodes(await (s.estimators[j] as Member).predict(X), s.classes, 'AdaBoostClassifier');
    const out = new Float64Array(pred.length * K);
    pred.forEach((k, r) => {
      out[r * K + k] = s.weights[j];
    });
    return new Matrix(out, pred.length, K);
  }

  /** The decision after each round (scikit-learn's staged_decision_function): rows × classes, or one value per row for two classes. */
  async *stagedDecisionFunction(X: unknown): AsyncGenerator<Float64Array | Matrix<Float64Array>> {
    const s = this.fitted(this.state);
    const K = s.classes.length;
    let sum: Float64Array | undefined,
      norm = 0,
      rows = 0;
    for (let j = 0; j < s.estimators.length; j++) {
      const v = await this.vote(j, X);
      rows = v.rows;
      norm += s.weights[j];
      if (!sum) sum = v.data;
      else for (let i = 0; i < sum.length; i++) sum[i] += v.data[i];
      if (K === 2) yield Float64Array.from({ length: rows }, (_, r) => (sum![r * 2 + 1] - sum![r * 2]) / norm);
      else
        yield new Matrix(
          Float64Array.from(sum, (x) => x / norm),
          rows,
          K,
        );
    }
  }

  /** The weighted vote over all members (for two classes, one value per row: > 0 means the second class). */
  async decisionFunction(X: unknown, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      let last: Float64Array | Matrix<Float64Array> | undefined;
      for await (const d of this.stagedDecisionFunction(X)) last = d;
      return last!;
    });
  }

  private labels(d: Float64Array | Matrix<Float64Array>): Label[] {
    const { classes } = this.fitted(this.state);
    if (!(d instanceof Matrix)) return Array.from(d, (v) => classes[v > 0 ? 1 : 0]);
    return Array.from({ length: d.rows }, (_, r) => {
      let b = 0;
      for (let k = 1; k < d.cols; k++) if (d.data[r * d.cols + k] > d.data[r * d.cols + b]) b = k;
      return classes[b];
    });
  }

  private proba(d: Float64Array | Matrix<Float64Array>): Matrix<Float64Array> {
    const K = this.fitted(this.state).classes.length;
    const z =
      d instanceof Matrix
        ? Float64Array.from(d.data, (v) => v / (K - 1))
        : Float64Array.from({ length: d.length * 2 }, (_, i) => ((i & 1 ? 1 : -1) * d[i >> 1]) / 2);
    const rows = z.length / K;
    for (let r = 0; r < rows; r++) {
      let m = -Infinity,
        t = 0;
      for (let k = 0; k < K; k++) m = Math.max(m, z[r * K + k]);
      for (let k = 0; k < K; k++) t += z[r * K + k] = Math.exp(z[r * K + k] - m);
      for (let k = 0; k < K; k++) z[r * K + k] /= t;
    }
    return new Matrix(z, rows, K);
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.labels(await this.decisionFunction(X)));
  }

  /** softmax(decision / (K − 1)) (two classes: softmax of [−d, d] / 2), as scikit-learn. */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.proba(await this.decisionFunction(X)));
  }

  /** The prediction after each round (scikit-learn's staged_predict). */
  async *stagedPredict(X: unknown): AsyncGenerator<Label[]> {
    for await (const d of this.stagedDecisionFunction(X)) yield this.labels(d);
  }

  /** The probabilities after each round (scikit-learn's staged_predict_proba). */
  async *stagedPredictProba(X: unknown): AsyncGenerator<Matrix<Float64Array>> {
    for await (const d of this.stagedDecisionFunction(X)) yield this.proba(d);
  }

  /** Mean accuracy of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}
