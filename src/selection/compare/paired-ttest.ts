/**
 * The corrected resampled t-test (Nadeau & Bengio 2003) for two models' scores on the same
 * folds: the fold differences' variance is inflated by nTest / nTrain, because overlapping
 * training sets make the folds' scores correlated and the plain paired t-test too eager.
 */
import { ParamError } from '../../core/errors.js';
import { tPvalue } from '../../stats/dist.js';
import type { Alternative } from '../../stats/sample.js';

export interface PairedTTestOptions {
  /** Rows each fold trained on (the correction's nTrain). */
  nTrain: number;
  /** Rows each fold tested on (the correction's nTest). */
  nTest: number;
  /** Apply Nadeau & Bengio's correction; false gives the plain paired t-test (scipy's ttest_rel). Default: true. */
  corrected?: boolean;
  /** 'two-sided' (default), 'greater' (A scores higher) or 'less'. */
  alternative?: Alternative;
}

export interface PairedTTestResult {
  statistic: number;
  pvalue: number;
  /** Degrees of freedom: folds − 1. */
  df: number;
  /** Mean of scoresA − scoresB. */
  meanDifference: number;
}

function scores(v: unknown, name: string): Float64Array {
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) throw new ParamError(`pairedTTest: ${name} must be an array of fold scores`);
  const a = Float64Array.from(v as ArrayLike<number>);
  if (a.some((x) => !Number.isFinite(x)))
    throw new ParamError(`pairedTTest: ${name} must hold finite numbers (a fold that failed scores NaN; drop it from both)`);
  return a;
}

/** Compares two models' scores from the same cross-validation folds (A − B). */
export function pairedTTest(scoresA: ArrayLike<number>, scoresB: ArrayLike<number>, opts: PairedTTestOptions): PairedTTestResult {
  const a = scores(scoresA, 'scoresA');
  const b = scores(scoresB, 'scoresB');
  if (a.length !== b.length) throw new ParamError(`pairedTTest: scoresA has ${a.length} folds but scoresB has ${b.length}; pass scores of the same folds`);
  const k = a.length;
  if (k < 2) throw new ParamError('pairedTTest: needs the scores of at least 2 folds');
  const { nTrain, nTest, corrected = true, alternative = 'two-sided' } = opts ?? ({} as PairedTTestOptions);
  if (corrected && (!(nTrain > 0) || !(nTest > 0)))
    throw new ParamError('pairedTTest: nTrain and nTest (rows per fold) must be numbers > 0, e.g. { nTrain: 80, nTest: 20 }');
  if (!['two-sided', 'less', 'greater'].includes(alternative))
    throw new ParamError(`pairedTTest: alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`);
  const d = a.map((x, i) => x - b[i]);
  const mean = d.reduce((s, x) => s + x, 0) / k;
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1);
  const scale = corrected ? 1 / k + nTest / nTrain : 1 / k;
  const statistic = mean / Math.sqrt(scale * variance);
  return { statistic, pvalue: tPvalue(statistic, k - 1, alternative), df: k - 1, meanDifference: mean };
}
