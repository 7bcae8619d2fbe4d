/**
 * VotingClassifier and VotingRegressor (scikit-learn 1.2's): a clone of every member fitted on
 * all rows; the classifier's 'hard' vote is the class most members predict (weighted; ties to
 * the first class), its 'soft' vote the class of highest weighted mean probability; the
 * regressor averages the members' predictions (weighted).
 */
import { accuracyScore } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { bool, list, nullable, num, oneOf, type ParamSpecs } from '../core/params.js';
import {
  alignedProba,
  asColumns,
  checkMembers,
  checkWeights,
  ESTIMATORS,
  fitMembers,
  hstack,
  labelCodes,
  MemberEnsemble,
  type Member,
  requireMembers,
} from './ensemble-members.js';

export interface VotingClassifierParams {
  /** The members, [name, estimator | 'drop'] pairs with unique names; fit needs at least one. Default: [] (set by the constructor's required argument). */
  estimators: Member[];
  /** 'hard' (majority of predicted labels) or 'soft' (argmax of the mean probability; every member needs predictProba). Default: 'hard'. */
  voting: 'hard' | 'soft';
  /** One weight per estimator (in the order given, 'drop' ones included), or null for equal weights. Default: null. */
  weights: number[] | null;
  /**
   * With soft voting, transform gives rows × (members · classes) (true), or scikit-learn's
   * members × rows × classes array as a (members · rows) × classes matrix, member after member (false). Default: true.
   */
  flattenTransform: boolean;
}

export interface VotingRegressorParams {
  /** The members, [name, estimator | 'drop'] pairs with unique names; fit needs at least one. Default: [] (set by the constructor's required argument). */
  estimators: Member[];
  /** One weight per estimator (in the order given, 'drop' ones included), or null for equal weights. Default: null. */
  weights: number[] | null;
}

const WEIGHTS = nullable(list(num({ finite: true })));

const CLASSIFIER_SPECS: ParamSpecs<VotingClassifierParams> = {
  estimators: ESTIMATORS,
  voting: oneOf('hard', 'soft'),
  weights: WEIGHTS,
  flattenTransform: bool(),
};
const REGRESSOR_SPECS: ParamSpecs<VotingRegressorParams> = { estimators: ESTIMATORS, weights: WEIGHTS };

interface Fitted {
  names: string[];
  fitted: unknown[];
  /** The kept members' weights (all 1 without weights). */
  w: Float64Array;
}

function fittedWeights(members: readonly Member[], weights: readonly number[] | null): Float64Array {
  const kept: number[] = [];
  members.forEach(([, e], i) => {
    if (e !== 'drop') kept.push(weights ? weights[i] : 1);
  });
  return Float64Array.from(kept);
}

/** The members fitted by name (scikit-learn's named_estimators_). */
function byName(s: Fitted): Record<string, unknown> {
  return Object.fromEntries(s.names.map((n, i) => [n, s.fitted[i]]));
}

export class VotingClassifier extends MemberEnsemble<VotingClassifierParams> {
  private state: (Fitted & { classes: Label[] }) | undefined;

  constructor(params: Partial<VotingClassifierParams> & Pick<VotingClassifierParams, 'estimators'>) {
    super({ estimators: [], voting: 'hard', weights: null, flattenTransform: true }, params);
  }

  protected get paramSpecs(): ParamSpecs<VotingClassifierParams> {
    return CLASSIFIER_SPECS;
  }

  protected override checkTogether(p: VotingClassifierParams): void {
    checkMembers(p.estimators, ['estimators', 'voting', 'weights', 'flattenTransform'], 'VotingClassifier');
    checkWeights(p.weights, p.estimators, 'VotingClassifier');
    if (p.voting === 'soft')
      for (const [name, e] of p.estimators)
        if (e !== 'drop' && typeof (e as { predictProba?: unknown }).predictProba !== 'function')
          throw new ParamError(`VotingClassifier: soft voting needs predictProba, which estimator '${name}' lacks; use voting: 'hard' or drop it`);
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }

  /** The fitted members, in order ('drop' ones left out). */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).fitted];
  }

  /** The fitted members by name (scikit-learn's named_estimators_). */
  get namedEstimators(): Record<string, unknown> {
    return byName(this.fitted(this.state));
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    requireMembers(this.params.estimators, 'VotingClassifier.fit');
    return this.transaction(opts.signal, async () => {
      const { classes } = encodeLabels(y, 'VotingClassifier.fit: y');
      const { estimators, weights } = this.params;
      const m = await fitMembers(estimators, X, y, opts.sampleWeight, opts.signal);
      this.state = { ...m, classes, w: fittedWeights(estimators, weights) };
    });
  }

  /** Weighted mean of the members' probabilities (soft voting only, as scikit-learn). */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    if (this.params.voting === 'hard') throw new ParamError("VotingClassifier.predictProba: not available with voting 'hard'; use voting: 'soft'");
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const probas = await this.memberProbas(s, X);
      const out = new Float64Array(probas[0].data.length);
      const total = s.w.reduce((a, b) => a + b, 0);
      probas.forEach((p, j) => {
        for (let i = 0; i < out.length; i++) out[i] += s.w[j] * p.data[i];
      });
      for (let i = 0; i < out.length; i++) out[i] /= total;
      return new Matrix(out, probas[0].rows, probas[0].cols);
    });
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state),
        K = s.classes.length;
      let scores: Float64Array, rows: number;
      if (this.params.voting === 'soft') {
        const p = await this.predictProba(X);
        scores = p.data;
        rows = p.rows;
      } else {
        const votes = await this.memberVotes(s, X);
        rows = votes[0].length;
        scores = new Float64Array(rows * K);
        votes.forEach((v, j) => {
          for (let r = 0; r < rows; r++) scores[r * K + v[r]] += s.w[j];
        });
      }
      return Array.from({ length: rows }, (_, r) => {
        let best = 0;
        for (let k = 1; k < K; k++) if (scores[r * K + k] > scores[r * K + best]) best = k;
        return s.classes[best];
      });
    });
  }

  /**
   * The members' outputs: with soft voting their probabilities (rows × members·classes, or
   * (members · rows) × classes, member after member, without flattenTransform); with hard voting
   * their predicted class indices (rows × members), as scikit-learn's transform.
   */
  async transform(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      if (this.params.voting === 'soft') {
        const probas = await this.memberProbas(s, X);
        if (this.params.flattenTransform) return hstack(probas);
        const K = probas[0].cols;
        const out = new Float64Array(probas.length * probas[0].data.length);
        probas.forEach((p, j) => out.set(p.data, j * p.data.length));
        return new Matrix(out, probas.length * probas[0].rows, K);
      }
      const votes = await this.memberVotes(s, X);
      const rows = votes[0].length,
        m = votes.length;
      const out = new Float64Array(rows * m);
      votes.forEach((v, j) => {
        for (let r = 0; r < rows; r++) out[r * m + j] = v[r];
      });
      return new Matrix(out, rows, m);
    });
  }

  private memberProbas(s: Fitted & { classes: Label[] }, X: unknown): Promise<Matrix<Float64Array>[]> {
    return Promise.all(s.fitted.map((e) => alignedProba(e, X, s.classes, 'VotingClassifier')));
  }

  private async memberVotes(s: Fitted & { classes: Label[] }, X: unknown): Promise<Int32Array[]> {
    const out: Int32Array[] = [];
    for (const e of s.fitted)
      out.push(labelCodes((await (e as { predict(X: unknown): Promise<Label[]> }).predict(X)) as Label[], s.classes, 'VotingClassifier'));
    return out;
  }

  /** Mean accuracy of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export class VotingRegressor extends MemberEnsemble<VotingRegressorParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<VotingRegressorParams> & Pick<VotingRegressorParams, 'estimators'>) {
    super({ estimators: [], weights: null }, params);
  }

  protected get paramSpecs(): ParamSpecs<VotingRegressorParams> {
    return REGRESSOR_SPECS;
  }

  protected override checkTogether(p: VotingRegressorParams): void {
    checkMembers(p.estimators, ['estimators', 'weights'], 'VotingRegressor');
    checkWeights(p.weights, p.estimators, 'VotingRegressor');
  }

  /** The fitted members, in order ('drop' ones left out). */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).fitted];
  }

  /** The fitted members by name (scikit-learn's named_estimators_). */
  get namedEstimators(): Record<string, unknown> {
    return byName(this.fitted(this.state));
  }

  async fit(X: unknown, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    requireMembers(this.params.estimators, 'VotingRegressor.fit');
    return this.transaction(opts.signal, async () => {
      const { estimators, weights } = this.params;
      const m = await fitMembers(estimators, X, y, opts.sampleWeight, opts.signal);
      this.state = { ...m, w: fittedWeights(estimators, weights) };
    });
  }

  /** The members' predictions, rows × members. */
  async transform(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const preds: Matrix<Float64Array>[] = [];
      for (const e of s.fitted) {
        const p = asColumns(await (e as { predict(X: unknown): Promise<unknown> }).predict(X));
        if (p.cols !== 1) throw new ParamError('VotingRegressor: every member must predict one value per row');
        preds.push(p);
      }
      const rows = preds[0].rows,
        m = preds.length;
      const out = new Float64Array(rows * m);
      preds.forEach((p, j) => {
        for (let r = 0; r < rows; r++) out[r * m + j] = p.data[r];
      });
      return new Matrix(out, rows, m);
    });
  }

  /** Weighted mean of the members' predictions. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const t = await this.transform(X);
      const total = s.w.reduce((a, b) => a + b, 0);
      return Float64Array.from({ length: t.rows }, (_, r) => {
        let v = 0;
        for (let j = 0; j < t.cols; j++) v += s.w[j] * t.data[r * t.cols + j];
        return v / total;
      });
    });
  }

  /** R² of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<number>): Promise<number> {
    return r2Score(Float64Array.from(y), await this.predict(X));
  }
}
