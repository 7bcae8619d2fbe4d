/**
 * What every search shares (scikit-learn's BaseSearchCV): checking the options, running each
 * batch of candidates × folds through one Executor (`runFolds`, so a worker pool or a
 * distributed executor plugs in), collecting cv_results_, choosing the best candidate, refitting
 * it on all rows, and predicting through it. A subclass says only which candidates to try
 * (`search`), a halving search in several rounds.
 */
import { ParamError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { bool, custom, fn, optional, union, str, type ParamSpec } from '../../core/params.js';
import type { Split } from '../../data/split/split.js';
import { isClassifier, resolveSplits, type CvOption } from '../cv.js';
import { executorOption, runFolds, type Executor } from '../executor.js';
import { fitClone, foldData, type ErrorScore, type FoldData, type FoldRun } from '../fit-score.js';
import { ESTIMATOR, requireEstimator } from '../model-based.js';
import { checkScorersFit, resolveScorers, type MultiScoring, type Scorer } from '../scorers.js';
import { checkParamNames } from './check-names.js';
import { buildCvResults, type CvResults, type Evaluated } from './cv-results.js';
import { ProgressLine, type SearchProgress } from './progress.js';

/** The parameters every search takes. */
export interface SearchParams {
  /** The estimator or Pipeline to tune (cloned for every fit). Default: undefined (required). */
  estimator: any;
  /** A scorer name, a scorer, a list of names or { name: scorer }. Default: undefined (the estimator's own score). */
  scoring: MultiScoring | undefined;
  /** Folds: a count (StratifiedKFold for classifiers, else KFold; unshuffled), a splitter, or the splits. Default: 5. */
  cv: CvOption;
  /** Refit the best candidate on all rows: true, false, or (several scorers) the metric that picks it. Default: true. */
  refit: boolean | string;
  /** Also score each fit on its training rows (the split<i>_train_<m> columns). Default: false. */
  returnTrainScore: boolean;
  /** A fit that throws: 'raise' rejects the search; a number (NaN) is recorded as its scores. Default: NaN. */
  errorScore: ErrorScore;
  /** Where the fits run (see Executor). Default: undefined (serialExecutor). */
  executor: Executor | undefined;
  /** Fits at once on worker threads (-1: one per core; results identical to serial); not with executor. Default: undefined (serial). */
  nJobs: number | undefined;
  /** Called after every fit with { done, total, bestScore }. Default: undefined. */
  onProgress: ((p: SearchProgress) => void) | undefined;
}

export const SEARCH_DEFAULTS: SearchParams = {
  estimator: undefined,
  scoring: undefined,
  cv: 5,
  refit: true,
  returnTrainScore: false,
  errorScore: NaN,
  executor: undefined,
  nJobs: undefined,
  onProgress: undefined,
};

const scoringLike = (v: unknown): boolean =>
  typeof v === 'string' ||
  typeof v === 'function' ||
  (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string')) ||
  (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string' || typeof s === 'function'));

export const SEARCH_SPECS: { [K in keyof SearchParams]-?: ParamSpec<SearchParams[K]> } = {
  estimator: ESTIMATOR,
  scoring: optional(custom<MultiScoring>('a scorer name, a scorer function, a list of names or an object of scorers', scoringLike, { probes: [42] })),
  cv: custom<CvOption>(
    'a fold count >= 2, a splitter or a list of splits',
    (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 2 : v !== null && typeof v === 'object'),
    { probes: [1] },
  ),
  refit: union(bool(), str({ nonEmpty: true })),
  returnTrainScore: bool(),
  errorScore: custom<ErrorScore>("'raise' or a number (e.g. NaN)", (v) => v === 'raise' || typeof v === 'number', { probes: ['ignore'] }),
  executor: optional(custom<Executor>('an executor (an object with map)', (v) => typeof (v as Executor)?.map === 'function', { probes: [1] })),
  nJobs: optional(custom<number>('an integer >= 1, or -1 for one per core', (v) => Number.isInteger(v) && ((v as number) >= 1 || v === -1), { probes: [0] })),
  onProgress: optional(fn()),
};

/** What a subclass's search sees: the resolved folds, and a way to evaluate a batch of candidates. */
export interface SearchContext {
  X: unknown;
  y: unknown;
  data: FoldData;
  splits: Split[];
  classifier: boolean;
  /** Declares how many fits the whole search will run (for progress). */
  plan(totalFits: number): void;
  /** Fits and scores every candidate on every split (candidate-major order, as scikit-learn); returns each candidate's mean test score of the refit metric. */
  evaluate(candidates: readonly Record<string, unknown>[], splits?: readonly Split[], extra?: Record<string, number>): Promise<Float64Array>;
}

/** The fit options of a search. */
export interface SearchFitOptions extends CallOptions {
  /** Group of each row, for group-aware splitters (GroupKFold). */
  groups?: ArrayLike<unknown>;
  /** Options passed to every fit; arrays with one entry per row (sampleWeight) are cut to the fold's train rows. */
  fitParams?: Record<string, unknown>;
}

export abstract class BaseSearchCV<P extends SearchParams> extends Estimator<P> {
  protected resultsFit: CvResults | undefined;
  protected bestIndexFit: number | null | undefined;
  protected bestEstimatorFit: any;
  protected refitTimeFit: number | undefined;
  protected nSplitsFit: number | undefined;
  protected metricsFit: string[] | undefined;
  protected refitMetricFit: string | null | undefined;

  /** The candidates to try, evaluated through ctx; runs inside fit. */
  protected abstract search(ctx: SearchContext): Promise<void>;

  /** The best candidate's index (scikit-learn's best_index_); a halving search picks it in the last round. */
  protected chooseBest(results: CvResults, metric: string): number {
    const rank = results[`rank_test_${metric}`] as Int32Array;
    let best = 0;
    for (let i = 1; i < rank.length; i++) if (rank[i] < rank[best]) best = i;
    return best;
  }

  /** Checks of the subclass's own options and scorers before any fit; the default checks nothing. */
  protected checkScoring(_multi: boolean, _fn: string): void {}

  /** scikit-learn's cv_results_: one entry per candidate in every column (see README "Tuning"). */
  get cvResults(): CvResults {
    const r = this.fitted(this.resultsFit);
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (isPlain(x) ? { ...x } : x)) : v.slice()]));
  }
  /** The index of the best candidate in cvResults. */
  get bestIndex(): number {
    return this.bestOrThrow();
  }
  /** The best candidate's parameters. */
  get bestParams(): Record<string, unknown> {
    return { ...(this.fitted(this.resultsFit).params[this.bestOrThrow()] as Record<string, unknown>) };
  }
  /** The best candidate's mean cross-validated score (of the refit metric). */
  get bestScore(): number {
    const r = this.fitted(this.resultsFit);
    return (r[`mean_test_${this.refitMetricFit}`] as Float64Array)[this.bestOrThrow()];
  }
  /** The best candidate refitted on every row (refit: true or a metric name). */
  get bestEstimator(): any {
    this.fitted(this.resultsFit);
    if (this.bestEstimatorFit === null)
      throw new ParamError(`${this.constructor.name}: bestEstimator needs refit (true, or the name of a metric); the search ran with refit: false`);
    return this.bestEstimatorFit;
  }
  /** Seconds the refit took. */
  get refitTime(): number {
    return this.fitted(this.refitTimeFit);
  }
  /** The number of cross-validation splits. */
  get nSplits(): number {
    return this.fitted(this.nSplitsFit);
  }
  /** The refitted best estimator's classes (classifiers). */
  get classes(): unknown {
    const est = this.bestEstimator;
    return (Array.isArray(est.steps) ? est.steps[est.steps.length - 1][1] : est).classes;
  }

  private bestOrThrow(): number {
    this.fitted(this.resultsFit);
    if (this.bestIndexFit === null || this.bestIndexFit === undefined) {
      throw new ParamError(`${this.constructor.name}: with several scorers, refit must name the metric that picks the best candidate (e.g. refit: 'accuracy')`);
    }
    return this.bestIndexFit;
  }

  async fit(X: unknown, y?: unknown, opts: SearchFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, ['signal', 'groups', 'fitParams']);
    return this.transaction(opts.signal, async () => {
      const name = this.constructor.name;
      const fnName = `${name}.fit`;
      const p = this.params;
      const estimator = requireEstimator(p.estimator, fnName);
      const data = foldData(estimator, X, y, opts.fitParams, fnName);
      const { scorers, multi } = resolveScorers(p.scoring, estimator, fnName);
      checkScorersFit(scorers, estimator);
      this.checkScoring(multi, fnName);
      const metrics = [...scorers.keys()];
      const refitMetric = refitMetricOf(p.refit, metrics, multi, p.scoring, fnName);
      const classifier = isClassifier(estimator);
      const splits = resolveSplits(p.cv, X, y, opts.groups, classifier, data.n, fnName);
      const executor = executorOption(p.executor, fnName, p.nJobs);
      const run: FoldRun = { estimator, data, scorers, options: { returnTrainScore: p.returnTrainScore, errorScore: p.errorScore } };
      const progressMetric = refitMetric ?? metrics[0];
      const evaluated: Evaluated[] = [];
      const line = new ProgressLine(name, p.onProgress);
      let done = 0;
      let total = 0;
      let best = NaN;
      const ctx: SearchContext = {
        X,
        y,
        data,
        splits,
        classifier,
        plan: (t) => {
          total = t;
        },
        evaluate: async (candidates, sp = splits, extra) => {
          if (candidates.length === 0) throw new ParamError(`${fnName}: there are no candidates to evaluate; the parameter grid is empty`);
          checkParamNames(estimator, candidates, fnName);
          const k = sp.length;
          const tasks = candidates.flatMap((c) => sp.map((s) => ({ train: s.train, test: s.test, params: { ...c } })));
          if (done + tasks.length > total) total = done + tasks.length;
          const left = new Int32Array(candidates.length).fill(k);
          const sums = new Float64Array(candidates.length);
          const folds = await runFolds(executor, run, tasks, {
            signal: opts.signal,
            onResult: (i, r) => {
              const c = Math.floor(i / k);
              sums[c] += r.test[progressMetric];
              const mean = sums[c] / k;
              if (--left[c] === 0 && !Number.isNaN(mean) && !(mean <= best)) best = mean; // a failed (NaN) candidate never counts
              line.update({ done: ++done, total, bestScore: best });
            },
          });
          opts.signal?.throwIfAborted();
          const means = new Float64Array(candidates.length);
          candidates.forEach((c, i) => {
            const fr = folds.slice(i * k, (i + 1) * k);
            evaluated.push({ params: { ...c }, folds: fr, extra });
            means[i] = fr.reduce((a, f) => a + f.test[progressMetric], 0) / k;
          });
          return means;
        },
      };
      try {
        await this.search(ctx);
      } finally {
        line.finish();
      }
      if (evaluated.length === 0) throw new ParamError(`${fnName}: no candidate was evaluated; the parameter grid is empty`);
      if (new Set(evaluated.map((e) => e.folds.length)).size !== 1) throw new ParamError(`${fnName}: the rounds used different numbers of splits`);
      const results = buildCvResults(evaluated, metrics, p.returnTrainScore);
      const bestIndex = refitMetric === null ? null : this.chooseBest(results, refitMetric);
      let bestEstimator: any = null;
      let refitTime = 0;
      if (p.refit !== false && bestIndex !== null) {
        const t0 = performance.now();
        const all = Int32Array.from({ length: data.n }, (_, i) => i);
        bestEstimator = await fitClone(estimator, data, all, results.params[bestIndex] as Record<string, unknown>, opts.signal);
        refitTime = (performance.now() - t0) / 1000;
      }
      this.resultsFit = results;
      this.bestIndexFit = bestIndex;
      this.bestEstimatorFit = bestEstimator;
      this.refitTimeFit = refitTime;
      this.nSplitsFit = evaluated[0].folds.length;
      this.metricsFit = metrics;
      this.refitMetricFit = refitMetric;
    });
  }

  async predict(X: unknown, opts?: CallOptions): Promise<unknown> {
    return this.delegate('predict', X, opts);
  }
  async predictProba(X: unknown, opts?: CallOptions): Promise<unknown> {
    return this.delegate('predictProba', X, opts);
  }
  async decisionFunction(X: unknown, opts?: CallOptions): Promise<unknown> {
    return this.delegate('decisionFunction', X, opts);
  }
  async transform(X: unknown, opts?: CallOptions): Promise<unknown> {
    return this.delegate('transform', X, opts);
  }

  /** The refit scorer (scoring's metric that picked the best) of the best estimator on X, y; the estimator's own score without scoring. */
  async score(X: unknown, y?: unknown): Promise<number> {
    const est = this.bestEstimator;
    const { scorers } = resolveScorers(this.params.scoring, est, `${this.constructor.name}.score`);
    const s = scorers.get(this.refitMetricFit ?? 'score') as Scorer;
    return s(est, X, y);
  }

  private async delegate(method: string, X: unknown, opts?: CallOptions): Promise<unknown> {
    this.callOptions(method, opts, SIGNAL_ONLY);
    const est = this.bestEstimator;
    if (typeof est[method] !== 'function')
      throw new ParamError(`${this.constructor.name}.${method}: the best estimator (${est.constructor?.name}) has no ${method}`);
    return this.reading(opts?.signal, () => (opts ? est[method](X, opts) : est[method](X)));
  }
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** The metric that picks the best candidate: 'score' for one scorer; with several, refit's name (or null when refit is false). */
function refitMetricOf(refit: boolean | string, metrics: string[], multi: boolean, scoring: unknown, fn: string): string | null {
  if (!multi) {
    if (typeof refit === 'string' && refit !== 'score' && refit !== scoring) {
      throw new ParamError(`${fn}: refit '${refit}' is not the search's metric; with one scorer use refit: true`);
    }
    return 'score';
  }
  if (refit === false) return null;
  if (typeof refit !== 'string' || !metrics.includes(refit)) {
    throw new ParamError(
      `${fn}: with several scorers, refit must be false or the name of one of them (${metrics.join(', ')}) to pick the best candidate, got ${String(refit)}`,
    );
  }
  return refit;
}
