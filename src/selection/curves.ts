/**
 * scikit-learn's learning_curve (scores as the training set grows) and validation_curve (scores
 * as one parameter varies; nested parameters by 'step__param' paths). Scores come as one row per
 * training size / parameter value, one column per split.
 */
import { ParamError } from '../core/errors.js';
import { Rng } from '../core/prng.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import { seedOption } from '../data/split/params.js';
import { isClassifier, resolveSplits, type CvOption } from './cv.js';
import { executorOption, runFolds, type Executor } from './executor.js';
import { foldData, type FoldTask } from './fit-score.js';
import { checkScorersFit, resolveScorers, type Scoring } from './scorers.js';

interface CurveCommon {
  cv?: CvOption;
  scoring?: Scoring;
  groups?: ArrayLike<unknown>;
  fitParams?: Record<string, unknown>;
  executor?: Executor;
  /** Run the fits on this many worker threads (-1: every core); results are identical whatever it is. Not with executor. */
  nJobs?: number;
  signal?: AbortSignal;
}

export interface LearningCurveOptions extends CurveCommon {
  /** Fractions in (0, 1] of the largest train set, or row counts (integers >= 1). Default: [0.1, 0.325, 0.55, 0.775, 1]. */
  trainSizes?: readonly number[];
  /** Shuffle each split's train rows before taking prefixes (seeded by randomState). Default: false. */
  shuffle?: boolean;
  randomState?: number;
}

export interface LearningCurveResult {
  /** The train set sizes used (distinct, ascending). */
  trainSizes: Int32Array;
  /** trainScores[i][f]: size i, split f. */
  trainScores: Float64Array[];
  testScores: Float64Array[];
  fitTimes: Float64Array[];
  scoreTimes: Float64Array[];
}

const COMMON = ['cv', 'scoring', 'groups', 'fitParams', 'executor', 'nJobs', 'signal'];

/** Row counts from trainSizes (scikit-learn's _translate_train_sizes, without its silent dedupe warning). */
function absoluteSizes(sizes: readonly number[], nMax: number, fn: string): Int32Array {
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((s) => typeof s !== 'number' || !Number.isFinite(s))) {
    throw new ParamError(`${fn}: trainSizes must be a non-empty list of numbers`);
  }
  const fractions = sizes.every((s) => s > 0 && s <= 1) && sizes.some((s) => !Number.isInteger(s));
  let abs: number[];
  if (fractions) abs = sizes.map((s) => Math.max(1, Math.min(nMax, Math.floor(s * nMax))));
  else {
    const bad = sizes.find((s) => !Number.isInteger(s) || s < 1 || s > nMax);
    if (bad !== undefined) {
      throw new ParamError(`${fn}: trainSizes ${bad} is not a fraction in (0, 1] or a row count in [1, ${nMax}] (the smallest train set has ${nMax} rows)`);
    }
    abs = [...sizes];
  }
  return Int32Array.from(new Set(abs)).sort();
}

export async function learningCurve(estimator: unknown, X: unknown, y?: unknown, opts: LearningCurveOptions = {}): Promise<LearningCurveResult> {
  const fn = 'learningCurve';
  checkOptions(opts, [...COMMON, 'trainSizes', 'shuffle', 'randomState'], fn);
  const signal = checkSignal(opts.signal, fn);
  const data = foldData(estimator, X, y, opts.fitParams, fn);
  const { scorers } = resolveScorers(opts.scoring, estimator, fn);
  checkScorersFit(scorers, estimator);
  let splits = resolveSplits(opts.cv, X, y, opts.groups, isClassifier(estimator), data.n, fn);
  if (opts.shuffle) {
    const rng = new Rng(seedOption(opts.randomState, fn));
    splits = splits.map((s) => ({ train: rng.shuffle(Int32Array.from(s.train)), test: s.test }));
  } else if (opts.randomState !== undefined) {
    throw new ParamError(`${fn}: randomState has no effect without shuffle: true`);
  }
  const nMax = Math.min(...splits.map((s) => s.train.length));
  const sizes = absoluteSizes(opts.trainSizes ?? [0.1, 0.325, 0.55, 0.775, 1.0], nMax, fn);
  const tasks: FoldTask[] = [];
  for (const size of sizes) for (const s of splits) tasks.push({ train: s.train.slice(0, size), test: s.test });
  const res = await runFolds(executorOption(opts.executor, fn, opts.nJobs), { estimator, data, scorers, options: { returnTrainScore: true } }, tasks, {
    signal,
  });
  const k = splits.length;
  const grid = (pick: (r: (typeof res)[number]) => number) => Array.from(sizes, (_, i) => Float64Array.from({ length: k }, (_, f) => pick(res[i * k + f])));
  return {
    trainSizes: sizes,
    trainScores: grid((r) => r.train!.score),
    testScores: grid((r) => r.test.score),
    fitTimes: grid((r) => r.fitTime),
    scoreTimes: grid((r) => r.scoreTime),
  };
}

export interface ValidationCurveOptions extends CurveCommon {
  /** The parameter to vary; 'step__param' reaches into a Pipeline's step or an estimator a parameter holds. */
  paramName: string;
  /** Its values, one curve point each. */
  paramRange: readonly unknown[];
}

export interface ValidationCurveResult {
  /** trainScores[i][f]: paramRange[i], split f. */
  trainScores: Float64Array[];
  testScores: Float64Array[];
}

export async function validationCurve(estimator: unknown, X: unknown, y: unknown, opts: ValidationCurveOptions): Promise<ValidationCurveResult> {
  const fn = 'validationCurve';
  checkOptions(opts, [...COMMON, 'paramName', 'paramRange'], fn);
  if (typeof opts?.paramName !== 'string' || opts.paramName === '')
    throw new ParamError(`${fn}: paramName must name a parameter, e.g. 'alpha' or 'model__alpha'`);
  if (!Array.isArray(opts.paramRange) || opts.paramRange.length === 0) throw new ParamError(`${fn}: paramRange must be a non-empty list of values`);
  const signal = checkSignal(opts.signal, fn);
  const data = foldData(estimator, X, y, opts.fitParams, fn);
  const { scorers } = resolveScorers(opts.scoring, estimator, fn);
  checkScorersFit(scorers, estimator);
  const splits = resolveSplits(opts.cv, X, y, opts.groups, isClassifier(estimator), data.n, fn);
  const tasks: FoldTask[] = [];
  for (const v of opts.paramRange) for (const s of splits) tasks.push({ train: s.train, test: s.test, params: { [opts.paramName]: v } });
  const res = await runFolds(executorOption(opts.executor, fn, opts.nJobs), { estimator, data, scorers, options: { returnTrainScore: true } }, tasks, {
    signal,
  });
  const k = splits.length;
  const grid = (pick: (r: (typeof res)[number]) => number) => opts.paramRange.map((_, i) => Float64Array.from({ length: k }, (_, f) => pick(res[i * k + f])));
  return { trainScores: grid((r) => r.train!.score), testScores: grid((r) => r.test.score) };
}
