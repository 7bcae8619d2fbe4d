/**
 * scikit-learn's cross_validate and cross_val_score: fit a clone of the estimator on each
 * split's train rows and score it on the test rows, with any number of scorers at once.
 */
import { ParamError } from '../core/errors.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import { isClassifier, resolveSplits, type CvOption } from './cv.js';
import { executorOption, runFolds, type Executor } from './executor.js';
import { foldData, type ErrorScore } from './fit-score.js';
import { checkScorersFit, resolveScorers, type MultiScoring, type Scoring } from './scorers.js';

export interface CrossValidateOptions {
  /** A scorer name, a scorer, a list of names or { name: scorer }. Default: the estimator's own score. */
  scoring?: MultiScoring;
  /** Folds: a count (StratifiedKFold for classifiers, else KFold; unshuffled), a splitter, or the splits. Default: 5. */
  cv?: CvOption;
  /** Group of each row, for group-aware splitters (GroupKFold). */
  groups?: ArrayLike<unknown>;
  /** Options passed to every fit; arrays with one entry per row (sampleWeight) are cut to the fold's train rows. */
  fitParams?: Record<string, unknown>;
  /** Also score each fold's model on its training rows. Default: false. */
  returnTrainScore?: boolean;
  /** Return each fold's fitted model. Default: false. */
  returnEstimator?: boolean;
  /** A fold whose fit or scoring throws: 'raise' (default) rejects; a number (e.g. NaN) is recorded as every score of that fold. */
  errorScore?: ErrorScore;
  /** Where the folds run (see Executor). Default: serialExecutor. */
  executor?: Executor;
  /** Run the folds on this many worker threads (-1: every core); results are identical whatever it is. Not with executor. */
  nJobs?: number;
  /** Aborting rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CrossValidateResult {
  /** Seconds each fold's fit took. */
  fitTime: Float64Array;
  /** Seconds each fold's test scoring took. */
  scoreTime: Float64Array;
  /** Test score per fold, by scorer name ('score' for a single scorer). */
  test: Record<string, Float64Array>;
  /** Train score per fold, by scorer name (returnTrainScore). */
  train?: Record<string, Float64Array>;
  /** The single scorer's test scores (scikit-learn's test_score); undefined with several scorers. */
  testScore?: Float64Array;
  /** The single scorer's train scores (returnTrainScore). */
  trainScore?: Float64Array;
  /** Each fold's fitted model (returnEstimator). */
  estimator?: unknown[];
}

const KEYS = ['scoring', 'cv', 'groups', 'fitParams', 'returnTrainScore', 'returnEstimator', 'errorScore', 'executor', 'nJobs', 'signal'];

/** Fits and scores the estimator on every split (scikit-learn's cross_validate). */
export async function crossValidate(estimator: unknown, X: unknown, y?: unknown, opts: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  const fn = 'crossValidate';
  checkOptions(opts, KEYS, fn);
  const signal = checkSignal(opts.signal, fn);
  const data = foldData(estimator, X, y, opts.fitParams, fn);
  const { scorers, multi } = resolveScorers(opts.scoring, estimator, fn);
  checkScorersFit(scorers, estimator);
  if (opts.errorScore !== undefined && opts.errorScore !== 'raise' && typeof opts.errorScore !== 'number') {
    throw new ParamError(`${fn}: errorScore must be 'raise' or a number (e.g. NaN), got ${String(opts.errorScore)}`);
  }
  const splits = resolveSplits(opts.cv, X, y, opts.groups, isClassifier(estimator), data.n, fn);
  const executor = executorOption(opts.executor, fn, opts.nJobs);
  const o = { returnTrainScore: opts.returnTrainScore === true, returnEstimator: opts.returnEstimator === true, errorScore: opts.errorScore };
  const folds = await runFolds(executor, { estimator, data, scorers, options: o }, splits, { signal });
  signal?.throwIfAborted();
  const column = (pick: (i: number) => number) => Float64Array.from(folds, (_, i) => pick(i));
  const test = Object.fromEntries([...scorers.keys()].map((k) => [k, column((i) => folds[i].test[k])]));
  const out: CrossValidateResult = { fitTime: column((i) => folds[i].fitTime), scoreTime: column((i) => folds[i].scoreTime), test };
  if (o.returnTrainScore) out.train = Object.fromEntries([...scorers.keys()].map((k) => [k, column((i) => folds[i].train![k])]));
  if (!multi) {
    out.testScore = test.score;
    if (out.train) out.trainScore = out.train.score;
  }
  if (o.returnEstimator) out.estimator = folds.map((f) => f.estimator);
  return out;
}

export interface CrossValScoreOptions extends Omit<CrossValidateOptions, 'scoring' | 'returnTrainScore' | 'returnEstimator'> {
  /** One scorer: a name, a scorer or a function. Default: the estimator's own score. */
  scoring?: Scoring;
}

/** The test score of each split (scikit-learn's cross_val_score). */
export async function crossValScore(estimator: unknown, X: unknown, y?: unknown, opts: CrossValScoreOptions = {}): Promise<Float64Array> {
  checkOptions(opts, ['scoring', 'cv', 'groups', 'fitParams', 'errorScore', 'executor', 'nJobs', 'signal'], 'crossValScore');
  if (Array.isArray(opts.scoring) || (opts.scoring !== null && typeof opts.scoring === 'object')) {
    throw new ParamError('crossValScore: scoring must be a single scorer; use crossValidate for several');
  }
  const r = await crossValidate(estimator, X, y, opts);
  return r.test.score;
}
