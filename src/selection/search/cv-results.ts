/**
 * A search's results as scikit-learn's cv_results_ columns: per candidate the fit and score
 * times, its parameters (params and one param_<name> column per parameter), and per metric each
 * split's test (and train) score, their mean, standard deviation (population, as numpy's std)
 * and the rank of the mean test score (1 = best; ties share the smaller rank; NaN ranks last).
 */
import type { FoldResult } from '../fit-score.js';

/** Column name → one entry per candidate. */
export type CvResults = Record<string, Float64Array | Int32Array | unknown[]>;

/** One evaluated candidate: its parameters, its fold results in split order, extra columns (a halving search's iter, n_resources). */
export interface Evaluated {
  params: Record<string, unknown>;
  folds: FoldResult[];
  extra?: Record<string, number>;
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function std(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return Math.sqrt(s / v.length);
}

/** scikit-learn's rank of mean test scores: rankdata(-means, 'min'), NaN below every number (all NaN: all rank 1). */
export function rankMin(means: Float64Array): Int32Array {
  const finite = means.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return new Int32Array(means.length).fill(1);
  const low = Math.min(...finite) - 1;
  const v = means.map((x) => (Number.isNaN(x) ? low : x));
  return Int32Array.from(v, (x) => 1 + v.reduce((a, y) => a + (y > x ? 1 : 0), 0));
}

/** The cv_results_ columns of the evaluated candidates; `metrics` are the scorer names ('score' for one scorer). */
export function buildCvResults(evaluated: readonly Evaluated[], metrics: readonly string[], returnTrainScore: boolean): CvResults {
  const out: CvResults = {};
  const nSplits = evaluated[0]?.folds.length ?? 0;
  const per = (pick: (f: FoldResult) => number) => evaluated.map((e) => Float64Array.from(e.folds, pick));
  const fit = per((f) => f.fitTime);
  const score = per((f) => f.scoreTime);
  for (const key of Object.keys(evaluated[0]?.extra ?? {})) out[key] = Int32Array.from(evaluated, (e) => e.extra?.[key] ?? 0);
  out.mean_fit_time = Float64Array.from(fit, mean);
  out.std_fit_time = Float64Array.from(fit, std);
  out.mean_score_time = Float64Array.from(score, mean);
  out.std_score_time = Float64Array.from(score, std);
  const names = [...new Set(evaluated.flatMap((e) => Object.keys(e.params)))].sort();
  for (const n of names) out[`param_${n}`] = evaluated.map((e) => (n in e.params ? e.params[n] : undefined));
  out.params = evaluated.map((e) => ({ ...e.params }));
  for (const m of metrics) {
    const test = per((f) => f.test[m]);
    for (let s = 0; s < nSplits; s++) out[`split${s}_test_${m}`] = Float64Array.from(test, (t) => t[s]);
    const means = Float64Array.from(test, mean);
    out[`mean_test_${m}`] = means;
    out[`std_test_${m}`] = Float64Array.from(test, std);
    out[`rank_test_${m}`] = rankMin(means);
    if (returnTrainScore) {
      const train = per((f) => f.train?.[m] ?? NaN);
      for (let s = 0; s < nSplits; s++) out[`split${s}_train_${m}`] = Float64Array.from(train, (t) => t[s]);
      out[`mean_train_${m}`] = Float64Array.from(train, mean);
      out[`std_train_${m}`] = Float64Array.from(train, std);
    }
  }
  return out;
}
