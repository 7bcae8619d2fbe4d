/**
 * BaggingClassifier and BaggingRegressor (scikit-learn 1.2's): clones of one estimator, each
 * fitted on a random draw of the rows (with replacement under bootstrap) and of the columns
 * (with replacement under bootstrapFeatures), drawn by kiln's seeded Rng (so the draws differ
 * from numpy's: same seed, same ensemble, but not scikit-learn's ensemble). The classifier
 * averages the members' probabilities (a member without predictProba votes with its label); the
 * regressor averages their predictions. With oobScore, every row is scored by the members that
 * did not draw it (accuracy, R²).
 */
import { ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, labelsOfMaxScore, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { bool, custom, int, num, optional, union, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { accuracyScore } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../models/tree/index.js';
import { alignedProba, asColumns, labelCodes } from './ensemble-members.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

export interface BaggingParams {
  /** The estimator to bag (cloned per member). Default: undefined, a DecisionTreeClassifier / DecisionTreeRegressor. */
  estimator: unknown;
  /** Members, an integer >= 1. Default: 10. */
  nEstimators: number;
  /** Rows per member: a share in (0, 1] (1 = n) or a count > 1 (at most n). Default: 1. */
  maxSamples: number;
  /** Columns per member: a share in (0, 1] (1 = all) or a count > 1 (at most the column count). Default: 1. */
  maxFeatures: number;
  /** Draw rows with replacement. Default: true. */
  bootstrap: boolean;
  /** Draw columns with replacement. Default: false. */
  bootstrapFeatures: boolean;
  /** Score every row by the members that did not draw it (needs bootstrap); read `oobScore` after fit. Default: false. */
  oobScore: boolean;
  /** Seed of the draws (and of each member's randomState, where it has one), an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

const AMOUNT = union(num({ min: 0, max: 1, minExclusive: true }), int({ min: 2 }));
const SPECS: ParamSpecs<BaggingParams> = {
  estimator: optional(custom<unknown>('a kiln estimator (something with fit)', isEstimatorLike, { probes: [1] })),
  nEstimators: int({ min: 1 }),
  maxSamples: AMOUNT,
  maxFeatures: AMOUNT,
  bootstrap: bool(),
  bootstrapFeatures: bool(),
  oobScore: bool(),
  randomState: int({ min: 0, max: 0xffffffff }),
};
const DEFAULTS: BaggingParams = {
  estimator: undefined,
  nEstimators: 10,
  maxSamples: 1,
  maxFeatures: 1,
  bootstrap: true,
  bootstrapFeatures: false,
  oobScore: false,
  randomState: 0,
};

/** A share (≤ 1, of `total`, at least 1) or a count (> 1, at most `total`). */
function amount(v: number, total: number, name: string, owner: string): number {
  const k = v <= 1 ? Math.max(1, Math.floor(v * total)) : v;
  if (k > total) throw new ParamError(`${owner}: ${name} is ${v} but there are only ${total}; pass a count up to ${total} or a share in (0, 1]`);
  return k;
}

/** k indices below n: with replacement, or a partial Fisher–Yates shuffle without. */
function draw(rng: Rng, n: number, k: number, replace: boolean): Int32Array {
  if (replace) return Int32Array.from({ length: k }, () => rng.int(n));
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k);
}

function take(X: Matrix, rows: Int32Array, cols: Int32Array): Matrix<Float64Array> {
  const out = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) out[r * cols.length + c] = X.data[rows[r] * X.cols + cols[c]];
  return new Matrix(out, rows.length, cols.length);
}

interface BagState {
  estimators: unknown[];
  features: Int32Array[];
  samples: Int32Array[];
  nFeatures: number;
  classes?: Label[];
  oob?: { score: number; values: Float64Array; cols: number };
}

abstract class BaseBagging extends Estimator<BaggingParams> {
  protected state: BagState | undefined;

  constructor(params: Partial<BaggingParams>) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<BaggingParams> {
    return SPECS;
  }

  protected override checkTogether(p: BaggingParams): void {
    if (p.oobScore && !p.bootstrap) throw new ParamError(`${this.constructor.name}: oobScore needs bootstrap: true (no row is out of bag otherwise)`);
  }

  protected abstract defaultEstimator(): unknown;

  /** The fitted members. */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).estimators];
  }

  /** The columns each member was fitted on (scikit-learn's estimators_features_). */
  get estimatorsFeatures(): Int32Array[] {
    return this.fitted(this.state).features.map((f) => f.slice());
  }

  /** The rows each member drew, repeats included (scikit-learn's estimators_samples_). */
  get estimatorsSamples(): Int32Array[] {
    return this.fitted(this.state).samples.map((f) => f.slice());
  }

  /** The out-of-bag score (accuracy or R²) when fitted with oobScore: true (scikit-learn's oob_score_). */
  get oobScore(): number {
    const oob = this.fitted(this.state).oob;
    if (!oob) throw new ParamError(`${this.constructor.name}: no out-of-bag score; fit with oobScore: true`);
    return oob.score;
  }

  protected async fitBag(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions, classes: Label[] | undefined): Promise<void> {
    const owner = `${this.constructor.name}.fit`;
    const p = this.params;
    const Xm = readMatrix(X as never, `${owner}: X`, { nonFinite: 'keep' });
    const n = Xm.rows;
    if (y.length !== n) throw new ParamError(`${owner}: y has ${y.length} entries but X has ${n} rows`);
    if (opts.sampleWeight && opts.sampleWeight.length !== n)
      throw new ParamError(`${owner}: sampleWeight has ${opts.sampleWeight.length} entries but X has ${n} rows`);
    const nSamples = amount(p.maxSamples, n, 'maxSamples', owner),
      nFeatures = amount(p.maxFeatures, Xm.cols, 'maxFeatures', owner);
    const rng = new Rng(p.randomState);
    const base = p.estimator ?? this.defaultEstimator();
    const state: BagState = { estimators: [], features: [], samples: [], nFeatures: Xm.cols, ...(classes ? { classes } : {}) };
    for (let t = 0; t < p.nEstimators; t++) {
      opts.signal?.throwIfAborted();
      const seed = rng.nextUint32() >>> 1;
      const features = draw(rng, Xm.cols, nFeatures, p.bootstrapFeatures);
      const samples = draw(rng, n, nSamples, p.bootstrap);
      const member = cloneDeep(base) as { fit: (...a: unknown[]) => Promise<unknown>; getParams?(): object; setParams?(o: object): unknown };
      if (member.getParams && 'randomState' in member.getParams()) member.setParams!({ randomState: seed });
      const ys = Array.from(samples, (i) => y[i]);
      const fo = {
        ...(opts.sampleWeight ? { sampleWeight: Float64Array.from(samples, (i) => opts.sampleWeight![i]) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      const Xs = take(Xm, samples, features);
      await (Object.keys(fo).length ? member.fit(Xs, ys, fo) : member.fit(Xs, ys));
      state.estimators.push(member);
      state.features.push(features);
      state.samples.push(samples);
    }
    if (p.oobScore) state.oob = await this.outOfBag(Xm, y, state);
    this.state = state;
  }

  /** Each member's output on X's rows (all of them, or `rows`), on its own columns. */
  protected async memberOutput(j: number, s: BagState, Xm: Matrix): Promise<Matrix<Float64Array>> {
    const all = Int32Array.from({ length: Xm.rows }, (_, i) => i);
    const Xs = take(Xm, all, s.features[j]);
    const est = s.estimators[j] as { predict(X: unknown): Promise<unknown>; predictProba?: unknown };
    if (!s.classes) return asColumns(await est.predict(Xs));
    if (typeof est.predictProba === 'function') return alignedProba(est, Xs, s.classes, this.constructor.name);
    const codes = labelCodes((await est.predict(Xs)) as Label[], s.classes, this.constructor.name);
    const K = s.classes.length;
    const out = new Float64Array(Xm.rows * K);
    codes.forEach((k, r) => {
      out[r * K + k] = 1;
    });
    return new Matrix(out, Xm.rows, K);
  }

  /** The mean of the members' outputs. */
  protected async meanOutput(X: unknown, fn: string): Promise<Matrix<Float64Array>> {
    const s = this.fitted(this.state);
    const Xm = readMatrix(X as never, `${this.constructor.name}.${fn}: X`, { nonFinite: 'keep', features: s.nFeatures });
    let sum: Matrix<Float64Array> | undefined;
    for (let j = 0; j < s.estimators.length; j++) {
      const o = await this.memberOutput(j, s, Xm);
      if (!sum) sum = o;
      else for (let i = 0; i < o.data.length; i++) sum.data[i] += o.data[i];
    }
    for (let i = 0; i < sum!.data.length; i++) sum!.data[i] /= s.estimators.length;
    return sum!;
  }

  private async outOfBag(Xm: Matrix, y: ArrayLike<Label>, s: BagState): Promise<BagState['oob']> {
    const n = Xm.rows;
    let sum: Float64Array | undefined;
    let cols = 1;
    const count = new Float64Array(n);
    for (let j = 0; j < s.estimators.length; j++) {
      const inBag = new Uint8Array(n);
      for (const i of s.samples[j]) inBag[i] = 1;
      const o = await this.memberOutput(j, s, Xm);
      cols = o.cols;
      sum ??= new Float64Array(n * cols);
      for (let i = 0; i < n; i++) {
        if (inBag[i]) continue;
        count[i]++;
        for (let c = 0; c < cols; c++) sum[i * cols + c] += o.data[i * cols + c];
      }
    }
    if (s.classes) {
      // scikit-learn's oob_decision_function_: the normalised probability sums (NaN for a row never out of bag)
      const values = new Float64Array(n * cols);
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let c = 0; c < cols; c++) t += sum![i * cols + c];
        for (let c = 0; c < cols; c++) values[i * cols + c] = sum![i * cols + c] / t;
      }
      const pred = labelsOfMaxScore(s.classes, sum!, n, cols);
      return { score: accuracyScore(y, pred), values, cols };
    }
    // scikit-learn's oob_prediction_: a row never out of bag predicts 0
    const values = Float64Array.from({ length: n }, (_, i) => sum![i] / Math.max(1, count[i]));
    return { score: r2Score(Float64Array.from(y as ArrayLike<number>), values), values, cols: 1 };
  }
}

export class BaggingClassifier extends BaseBagging {
  constructor(params: Partial<BaggingParams> = {}) {
    super(params);
  }

  protected defaultEstimator(): unknown {
    return new DecisionTreeClassifier();
  }

  get classes(): Label[] {
    return [...this.fitted(this.state?.classes)];
  }

  /** Out-of-bag class probabilities, rows × classes (scikit-learn's oob_decision_function_). */
  get oobDecisionFunction(): Matrix<Float64Array> {
    this.oobScore;
    const oob = this.state!.oob!;
    return new Matrix(oob.values.slice(), oob.values.length / oob.cols, oob.cols);
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { classes } = encodeLabels(y, 'BaggingClassifier.fit: y');
      if (classes.length < 2) throw new ParamError('BaggingClassifier.fit: y holds one class only; a classifier needs at least two');
      await this.fitBag(X, y, opts, classes);
    });
  }

  /** The mean of the members' probabilities (a member without predictProba counts as probability 1 on its label). */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, () => this.meanOutput(X, 'predictProba'));
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const p = await this.meanOutput(X, 'predict');
      return labelsOfMaxScore(this.fitted(this.state).classes!, p.data, p.rows, p.cols);
    });
  }

  /** Mean accuracy of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}

export class BaggingRegressor extends BaseBagging {
  constructor(params: Partial<BaggingParams> = {}) {
    super(params);
  }

  protected defaultEstimator(): unknown {
    return new DecisionTreeRegressor();
  }

  /** Out-of-bag predictions, one per row (scikit-learn's oob_prediction_). */
  get oobPrediction(): Float64Array {
    this.oobScore;
    return this.state!.oob!.values.slice();
  }

  async fit(X: unknown, y: ArrayLike<number>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      await this.fitBag(X, y as ArrayLike<Label>, opts, undefined);
    });
  }

  /** The mean of the members' predictions. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => (await this.meanOutput(X, 'predict')).data);
  }

  /** R² of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<number>): Promise<number> {
    return r2Score(Float64Array.from(y), await this.predict(X));
  }
}
