/**
 * Dietterich's 5×2 cv paired t-test, as mlxtend's paired_ttest_5x2cv: five times, split the rows
 * in half at random, train both models on each half and score them on the other; the statistic
 * is the first difference over the root mean of the five rounds' variances, on 5 degrees of
 * freedom. All 20 fits go through an Executor.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { tSf } from '../../stats/dist.js';
import { executorOption, runFolds, type Executor } from '../executor.js';
import { foldData, type FoldTask } from '../fit-score.js';
import { checkScorersFit, resolveScorers, type Scoring } from '../scorers.js';

export interface TTest5x2Result {
  statistic: number;
  pvalue: number;
  /** The ten score differences A − B, round by round (train on the first half, then on the second). */
  differences: Float64Array;
}

/** The 5×2 statistic and two-sided p-value of ten differences (five rounds of two), as mlxtend computes them. */
export function ttest5x2cvFromDifferences(differences: ArrayLike<number>): { statistic: number; pvalue: number } {
  if (differences?.length !== 10) throw new ParamError('ttest5x2cvFromDifferences: needs the 10 differences of 5 rounds × 2 halves');
  let variance = 0;
  for (let r = 0; r < 5; r++) {
    const d1 = differences[2 * r],
      d2 = differences[2 * r + 1];
    const m = (d1 + d2) / 2;
    variance += (d1 - m) ** 2 + (d2 - m) ** 2;
  }
  const statistic = differences[0] / Math.sqrt(variance / 5);
  return { statistic, pvalue: 2 * tSf(Math.abs(statistic), 5) };
}

export interface TTest5x2Options {
  /** One scorer (a name or function). Default: the estimators' own score (accuracy, R²). */
  scoring?: Scoring;
  /** Seed of the five random halvings. Default: 0. */
  randomState?: number;
  /** Where the fits run. Default: serialExecutor. */
  executor?: Executor;
  signal?: AbortSignal;
}

/** Compares two estimators by Dietterich's 5×2 cv paired t-test (A − B). */
export async function pairedTTest5x2cv(estimatorA: unknown, estimatorB: unknown, X: unknown, y: unknown, opts: TTest5x2Options = {}): Promise<TTest5x2Result> {
  const fn = 'pairedTTest5x2cv';
  const dataA = foldData(estimatorA, X, y, undefined, fn);
  const dataB = foldData(estimatorB, X, y, undefined, fn);
  if (Array.isArray(opts.scoring) || (typeof opts.scoring === 'object' && opts.scoring !== null)) throw new ParamError(`${fn}: scoring must be one scorer`);
  const n = dataA.n;
  if (n < 4) throw new ParamError(`${fn}: needs at least 4 rows to halve, got ${n}`);
  const rng = new Rng(opts.randomState ?? 0);
  const tasks: FoldTask[] = [];
  const nTest = Math.ceil(n / 2);
  for (let r = 0; r < 5; r++) {
    const perm = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const a = perm.slice(nTest).sort(),
      b = perm.slice(0, nTest).sort();
    tasks.push({ train: a, test: b }, { train: b, test: a });
  }
  const executor = executorOption(opts.executor, fn);
  const scored = async (est: unknown, data: typeof dataA) => {
    const { scorers } = resolveScorers(opts.scoring, est, fn);
    checkScorersFit(scorers, est);
    const res = await runFolds(executor, { estimator: est, data, scorers, options: {} }, tasks, { signal: opts.signal });
    return res.map((f) => f.test.score);
  };
  const sa = await scored(estimatorA, dataA);
  const sb = await scored(estimatorB, dataB);
  const differences = Float64Array.from(sa, (v, i) => v - sb[i]);
  return { ...ttest5x2cvFromDifferences(differences), differences };
}
