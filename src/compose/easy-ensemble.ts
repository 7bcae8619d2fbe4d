/**
 * EasyEnsembleClassifier (imbalanced-learn 0.10's): nEstimators clones of a classifier (default
 * AdaBoostClassifier, scikit-learn's defaults), each fitted on its own random under-sample of the
 * rows to the sampling strategy's counts ('auto': every class but the minority down to the
 * minority's count); predictProba is the mean of the members' probabilities. Draws from kiln's
 * seeded Rng (not numpy's); each member's randomState, where it has one, is seeded from it.
 */
import { ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import { encodeLabels, labelsOfMaxScore, type Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { bool, custom, int, optional, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { resamplingTargets, underSampleRows, type SamplerOptions, UNDER_SAMPLING_STRATEGY_SPEC } from '../imbalance/random-samplers.js';
import { accuracyScore } from '../metrics/classification.js';
import { AdaBoostClassifier } from './adaboost.js';
import { alignedProba } from './ensemble-members.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

export interface EasyEnsembleClassifierParams {
  /** The classifier fitted on each balanced subset (cloned). Default: undefined, an AdaBoostClassifier. */
  estimator: unknown;
  /** Members, an integer >= 1. Default: 10. */
  nEstimators: number;
  /** Rows each member keeps per class: 'auto' (every class but the minority down to its count), 'all', 'majority', 'not minority', 'not majority', or a count per class label. Default: 'auto'. */
  samplingStrategy: NonNullable<SamplerOptions['samplingStrategy']>;
  /** Under-sample with replacement. Default: false. */
  replacement: boolean;
  /** Seed of the draws (and of each member's randomState, where it has one), an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

const SPECS: ParamSpecs<EasyEnsembleClassifierParams> = {
  estimator: optional(custom<unknown>('a kiln classifier (something with fit)', isEstimatorLike, { probes: [1] })),
  nEstimators: int({ min: 1 }),
  samplingStrategy: UNDER_SAMPLING_STRATEGY_SPEC,
  replacement: bool(),
  randomState: int({ min: 0, max: 0xffffffff }),
};

interface EasyState {
  nFeatures: number;
  classes: Label[];
  estimators: unknown[];
  samples: Int32Array[];
}

export class EasyEnsembleClassifier extends Estimator<EasyEnsembleClassifierParams> {
  private state: EasyState | undefined;

  constructor(params: Partial<EasyEnsembleClassifierParams> = {}) {
    super({ estimator: undefined, nEstimators: 10, samplingStrategy: 'auto', replacement: false, randomState: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<EasyEnsembleClassifierParams> {
    return SPECS;
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }

  /** The fitted members. */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).estimators];
  }

  /** The rows each member was fitted on (its balanced subset). */
  get estimatorsSamples(): Int32Array[] {
    return this.fitted(this.state).samples.map((s) => s.slice());
  }

  async fit(X: unknown, y: ArrayLike<Label>, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = 'EasyEnsembleClassifier.fit';
      const p = this.params;
      const Xm = readMatrix(X as never, `${owner}: X`, { nonFinite: 'keep' });
      if (y.length !== Xm.rows) throw new ParamError(`${owner}: y has ${y.length} entries but X has ${Xm.rows} rows`);
      if (opts.sampleWeight && opts.sampleWeight.length !== Xm.rows)
        throw new ParamError(`${owner}: sampleWeight has ${opts.sampleWeight.length} entries but X has ${Xm.rows} rows`);
      const { classes, codes } = encodeLabels(y, `${owner}: y`);
      if (classes.length < 2) throw new ParamError(`${owner}: y holds one class only; a classifier needs at least two`);
      const members: number[][] = classes.map(() => []);
      codes.forEach((c, i) => members[c].push(i));
      const target = resamplingTargets(
        p.samplingStrategy,
        classes,
        members.map((m) => m.length),
        false,
        'EasyEnsembleClassifier',
      );
      const base = p.estimator ?? new AdaBoostClassifier();
      const rng = new Rng(p.randomState);
      const state: EasyState = { nFeatures: Xm.cols, classes, estimators: [], samples: [] };
      for (let t = 0; t < p.nEstimators; t++) {
        opts.signal?.throwIfAborted();
        const seed = rng.nextUint32() >>> 1;
        const rows = Int32Array.from(underSampleRows(members, target, rng, p.replacement));
        const est = cloneDeep(base) as { fit: (...a: unknown[]) => Promise<unknown>; getParams?(): object; setParams?(o: object): unknown };
        if (est.getParams && 'randomState' in est.getParams()) est.setParams!({ randomState: seed });
        const Xs = new Matrix(new Float64Array(rows.length * Xm.cols), rows.length, Xm.cols);
        rows.forEach((r, i) => {
          for (let c = 0; c < Xm.cols; c++) Xs.data[i * Xm.cols + c] = Xm.data[r * Xm.cols + c];
        });
        const ys = Array.from(rows, (r) => y[r]);
        const fo = {
          ...(opts.sampleWeight ? { sampleWeight: Float64Array.from(rows, (r) => opts.sampleWeight![r]) } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        };
        await (Object.keys(fo).length ? est.fit(Xs, ys, fo) : est.fit(Xs, ys));
        state.estimators.push(est);
        state.samples.push(rows);
      }
      this.state = state;
    });
  }

  /** The mean of the members' class probabilities. */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const Xm = readMatrix(X as never, 'EasyEnsembleClassifier.predictProba: X', { nonFinite: 'keep', features: s.nFeatures });
      let sum: Matrix<Float64Array> | undefined;
      for (const est of s.estimators) {
        const p = await alignedProba(est, Xm, s.classes, 'EasyEnsembleClassifier');
        if (!sum) sum = p;
        else for (let i = 0; i < p.data.length; i++) sum.data[i] += p.data[i];
      }
      for (let i = 0; i < sum!.data.length; i++) sum!.data[i] /= s.estimators.length;
      return sum!;
    });
  }

  async predict(X: unknown, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const p = await this.predictProba(X);
      return labelsOfMaxScore(this.fitted(this.state).classes, p.data, p.rows, p.cols);
    });
  }

  /** Mean accuracy of predict on (X, y). */
  async score(X: unknown, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}
