/**
 * RFE and RFECV (scikit-learn's recursive feature elimination): fit, drop the `step` least
 * important features (importance: coef², summed over classes, or featureImportances), refit,
 * until nFeaturesToSelect remain. RFECV scores every stage of the elimination on each
 * cross-validation fold and keeps the number of features with the best mean score (the fewest
 * on ties). Both predict through the model refitted on the kept features.
 */
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { custom, int, num, optional, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { cloneDeep } from '../compose/params-path.js';
import { takeRows } from '../data/split/arrays.js';
import { isClassifier, resolveSplits, type CvOption } from './cv.js';
import { executorOption, type Executor } from './executor.js';
import { ESTIMATOR, featureImportances, IMPORTANCE_GETTER, type ImportanceGetter, requireEstimator, takeColumns } from './model-based.js';
import { checkScorersFit, resolveScorers, type Scorer, type Scoring } from './scorers.js';
import { Selector } from './selector.js';

interface Elimination {
  support: Uint8Array;
  ranking: Int32Array;
  estimator: any;
  /** Scores of each stage (all features first), when a stage scorer is given. */
  stageScores: number[];
}

/** The elimination itself, shared by RFE and each fold of RFECV. */
async function eliminate(
  given: any,
  m: Matrix,
  y: unknown,
  nSelect: number,
  step: number,
  getter: ImportanceGetter,
  owner: string,
  stageScore?: (est: any, features: number[]) => Promise<number>,
): Promise<Elimination> {
  const p = m.cols;
  const support = new Uint8Array(p).fill(1);
  const ranking = new Int32Array(p).fill(1);
  const stageScores: number[] = [];
  const kept = () => Array.from({ length: p }, (_, j) => j).filter((j) => support[j]);
  for (let left = p; left > nSelect; left = kept().length) {
    const features = kept();
    const est = cloneDeep(given);
    await est.fit(takeColumns(m, features), y);
    const imp = featureImportances(est, getter, { square: true }, owner);
    if (imp.length !== features.length) throw new ParamError(`${owner}: the model gives ${imp.length} importances for ${features.length} features`);
    const order = Array.from(imp, (_, t) => t).sort((a, b) => imp[a] - imp[b] || a - b);
    if (stageScore) stageScores.push(await stageScore(est, features));
    for (const t of order.slice(0, Math.min(step, left - nSelect))) support[features[t]] = 0;
    for (let j = 0; j < p; j++) if (!support[j]) ranking[j]++;
  }
  const features = kept();
  const estimator = cloneDeep(given);
  await estimator.fit(takeColumns(m, features), y);
  if (stageScore) stageScores.push(await stageScore(estimator, features));
  return { support, ranking, estimator, stageScores };
}

/** step as a whole number of features per round (a fraction of the features, at least 1). */
function stepCount(step: number, p: number): number {
  return step > 0 && step < 1 ? Math.max(1, Math.floor(step * p)) : step;
}

const STEP = union(int({ min: 1 }), num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }));

/** Prediction through the model fitted on the kept features. */
abstract class EliminationSelector<P extends object> extends Selector<P> {
  protected estimatorFit: any;
  protected rankingFit: Int32Array | undefined;

  /** The model refitted on the kept features (scikit-learn's estimator_). */
  get estimator(): any {
    return this.fitted(this.estimatorFit);
  }
  /** 1 for kept features; a feature eliminated in round r ranks r + 1. */
  get ranking(): Int32Array {
    return Int32Array.from(this.fitted(this.rankingFit));
  }
  /** The number of kept features. */
  get nFeatures(): number {
    return this.getSupport(true).length;
  }
  get classes(): unknown {
    return this.estimator.classes;
  }
  async predict(X: MatrixLike, opts?: CallOptions): Promise<unknown> {
    return this.estimator.predict(await this.transform(X, opts), ...(opts ? [opts] : []));
  }
  async predictProba(X: MatrixLike, opts?: CallOptions): Promise<unknown> {
    return this.estimator.predictProba(await this.transform(X, opts), ...(opts ? [opts] : []));
  }
  async decisionFunction(X: MatrixLike, opts?: CallOptions): Promise<unknown> {
    return this.estimator.decisionFunction(await this.transform(X, opts), ...(opts ? [opts] : []));
  }
  async score(X: MatrixLike, y: unknown): Promise<number> {
    return this.estimator.score(await this.transform(X), y);
  }
}

export interface RFEParams {
  /** The model whose importances rank the features (cloned for every round). Default: undefined (required). */
  estimator: any;
  /** How many to keep: a count, a fraction in (0, 1) of the features, or undefined for half. Default: undefined. */
  nFeaturesToSelect: number | undefined;
  /** Features removed per round: a count >= 1, or a fraction in (0, 1) of the features. Default: 1. */
  step: number;
  /** 'auto' (coef, else featureImportances), 'coef', 'featureImportances', or a function of the fitted model. Default: 'auto'. */
  importanceGetter: ImportanceGetter;
}

const RFE_SPECS: ParamSpecs<RFEParams> = {
  estimator: ESTIMATOR,
  nFeaturesToSelect: optional(union(int({ min: 1 }), num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }))),
  step: STEP,
  importanceGetter: IMPORTANCE_GETTER,
};

export class RFE extends EliminationSelector<RFEParams> {
  constructor(params: Partial<RFEParams> = {}) {
    super({ estimator: undefined, nFeaturesToSelect: undefined, step: 1, importanceGetter: 'auto' }, params);
  }
  protected get paramSpecs(): ParamSpecs<RFEParams> {
    return RFE_SPECS;
  }

  async fit(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const fn = 'RFE.fit';
      const given = requireEstimator(this.params.estimator, fn);
      const m = readMatrix(X, `${fn}: X`, { nonFinite: 'keep' });
      if (m.cols < 2) throw new ParamError(`${fn}: X needs at least 2 features to eliminate any, got ${m.cols}`);
      const k = this.params.nFeaturesToSelect;
      const nSelect = k === undefined ? Math.floor(m.cols / 2) : Number.isInteger(k) ? k : Math.floor(k * m.cols);
      if (nSelect > m.cols) throw new ParamError(`${fn}: nFeaturesToSelect=${nSelect} is more than the ${m.cols} features`);
      const r = await eliminate(given, m, y, Math.max(1, nSelect), stepCount(this.params.step, m.cols), this.params.importanceGetter, fn);
      this.setSupport(r.support, 'nothing left');
      this.rankingFit = r.ranking;
      this.estimatorFit = r.estimator;
    });
  }
}

export interface RFECVParams {
  /** The model whose importances rank the features. Default: undefined (required). */
  estimator: any;
  /** Features removed per round: a count >= 1, or a fraction in (0, 1) of the features. Default: 1. */
  step: number;
  /** The fewest features a stage may keep. Default: 1. */
  minFeaturesToSelect: number;
  /** Folds: a count (stratified for classifiers), a splitter, or the splits. Default: 5. */
  cv: CvOption;
  /** The scorer of each stage (a name, a scorer or a function); undefined: the estimator's score. Default: undefined. */
  scoring: Scoring | undefined;
  /** 'auto' (coef, else featureImportances), 'coef', 'featureImportances', or a function of the fitted model. Default: 'auto'. */
  importanceGetter: ImportanceGetter;
  /** Where the folds run. Default: undefined (serialExecutor). */
  executor: Executor | undefined;
}

const RFECV_SPECS: ParamSpecs<RFECVParams> = {
  estimator: ESTIMATOR,
  step: STEP,
  minFeaturesToSelect: int({ min: 1 }),
  cv: custom<CvOption>(
    'a fold count >= 2, a splitter or a list of splits',
    (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 2 : v !== null && typeof v === 'object'),
    {
      probes: [1],
    },
  ),
  scoring: optional(custom<Scoring>('a scorer name or function', (v) => typeof v === 'string' || typeof v === 'function', { probes: [3] })),
  importanceGetter: IMPORTANCE_GETTER,
  executor: optional(custom<Executor>('an executor (an object with map)', (v) => typeof (v as Executor)?.map === 'function', { probes: [1] })),
};

export interface RFECVResults {
  /** Mean test score of each stage, from the fewest features to all of them (scikit-learn's order). */
  meanTestScore: Float64Array;
  stdTestScore: Float64Array;
  /** splitTestScores[f]: fold f's scores, same order. */
  splitTestScores: Float64Array[];
  /** The number of features of each entry. */
  nFeatures: Int32Array;
}

export class RFECV extends EliminationSelector<RFECVParams> {
  private resultsFit: RFECVResults | undefined;

  constructor(params: Partial<RFECVParams> = {}) {
    super({ estimator: undefined, step: 1, minFeaturesToSelect: 1, cv: 5, scoring: undefined, importanceGetter: 'auto', executor: undefined }, params);
  }
  protected get paramSpecs(): ParamSpecs<RFECVParams> {
    return RFECV_SPECS;
  }

  /** Cross-validated scores of every stage (scikit-learn's cv_results_). */
  get cvResults(): RFECVResults {
    const r = this.fitted(this.resultsFit);
    return { ...r, splitTestScores: r.splitTestScores.map((s) => Float64Array.from(s)) };
  }

  async fit(X: MatrixLike, y?: unknown, opts: CallOptions & { groups?: ArrayLike<unknown> } = {}): Promise<this> {
    this.callOptions('fit', opts, ['signal', 'groups']);
    return this.transaction(opts.signal, async () => {
      const fn = 'RFECV.fit';
      const given = requireEstimator(this.params.estimator, fn);
      const m = readMatrix(X, `${fn}: X`, { nonFinite: 'keep' });
      const p = m.cols;
      const minK = this.params.minFeaturesToSelect;
      if (minK > p) throw new ParamError(`${fn}: minFeaturesToSelect=${minK} is more than the ${p} features`);
      const { scorers } = resolveScorers(this.params.scoring, given, fn);
      checkScorersFit(scorers, given);
      const scorer = scorers.get('score') as Scorer;
      const step = stepCount(this.params.step, p);
      const splits = resolveSplits(this.params.cv, m, y, opts.groups, isClassifier(given), m.rows, fn);
      const yy = y as never;
      const perFold = await executorOption(this.params.executor, fn).map(
        splits,
        async (s) => {
          const Xtr = m.takeRows(s.train),
            Xte = m.takeRows(s.test);
          const ytr = y === undefined ? undefined : takeRows(yy, s.train),
            yte = y === undefined ? undefined : takeRows(yy, s.test);
          const r = await eliminate(given, Xtr, ytr, minK, step, this.params.importanceGetter, fn, (est, features) =>
            scorer(est, takeColumns(Xte, features), yte),
          );
          return r.stageScores;
        },
        { signal: opts.signal },
      );
      const stages = perFold[0].length;
      const sums = Array.from({ length: stages }, (_, i) => perFold.reduce((a, f) => a + f[i], 0));
      let best = 0; // the last maximum: the fewest features among ties
      for (let i = 0; i < stages; i++) if (sums[i] >= sums[best]) best = i;
      const nSelect = Math.max(p - best * step, minK);
      const final = await eliminate(given, m, y, nSelect, step, this.params.importanceGetter, fn);
      this.setSupport(final.support, 'nothing left');
      this.rankingFit = final.ranking;
      this.estimatorFit = final.estimator;
      const rev = perFold.map((f) => Float64Array.from(f).reverse());
      const mean = Float64Array.from({ length: stages }, (_, i) => rev.reduce((a, f) => a + f[i], 0) / rev.length);
      const std = Float64Array.from({ length: stages }, (_, i) => Math.sqrt(rev.reduce((a, f) => a + (f[i] - mean[i]) ** 2, 0) / rev.length));
      const counts: number[] = [];
      for (let left = p; ; left = Math.max(left - step, minK)) {
        counts.push(left);
        if (left <= minK) break;
      }
      this.resultsFit = { meanTestScore: mean, stdTestScore: std, splitTestScores: rev, nFeatures: Int32Array.from(counts.reverse()) };
    });
  }
}
