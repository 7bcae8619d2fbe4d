/**
 * Parameter importances, as Optuna's MeanDecreaseImpurityImportanceEvaluator computes them: a
 * random forest (kiln's RandomForestRegressor, 64 trees, depth ≤ 64) is fitted on the completed
 * trials — each parameter a column (categoricals one-hot, their columns' importances summed) — to
 * predict the objective value, and each parameter's importance is its share of the forest's
 * impurity decrease (mean decrease in impurity), normalised to sum 1. Trees split on order only,
 * so log scales need no transform. This is a simpler estimate than fANOVA's variance
 * decomposition (Optuna's default evaluator) and ranks parameters the same way on most studies;
 * with few trials (tens) read it as a rough ranking.
 */
import { ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import { checkOptions } from '../../core/validate.js';
import { RandomForestRegressor } from '../../models/ensemble/forest.js';
import { toInternal } from './distributions.js';
import type { FrozenTrial, StudyDirection } from './types.js';

export interface ParamImportancesOptions {
  /** Parameters to rate (each must be in every trial used). Default: those all completed trials share. */
  params?: readonly string[];
  /** Seed of the forest. Default: 0. */
  seed?: number;
  /** Trees of the forest. Default: 64. */
  nEstimators?: number;
}

/** Parameter name → importance, largest first, summing to 1. */
export async function paramImportances(
  study: { readonly trials: readonly FrozenTrial[]; readonly direction: StudyDirection },
  opts: ParamImportancesOptions = {},
): Promise<Record<string, number>> {
  checkOptions(opts, ['params', 'seed', 'nEstimators'], 'paramImportances');
  const done = study.trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value));
  if (done.length < 2) throw new ParamError(`paramImportances: needs at least 2 completed trials with finite values, got ${done.length}; run more trials`);
  let names: string[];
  if (opts.params !== undefined) {
    names = [...opts.params];
    for (const n of names) {
      if (!done.every((t) => n in t.params))
        throw new ParamError(`paramImportances: parameter '${n}' is missing from some completed trials; pass only parameters every trial suggests`);
    }
  } else {
    names = Object.keys(done[0].params).filter((n) => done.every((t) => n in t.params && t.distributions[n].type === done[0].distributions[n].type));
  }
  names.sort();
  if (names.length === 0) throw new ParamError('paramImportances: the completed trials share no parameter');
  // Columns: one per numeric parameter, one per choice of a categorical.
  const owner: number[] = [];
  const cols: ((t: FrozenTrial) => number)[] = [];
  names.forEach((n, k) => {
    const d = done[0].distributions[n];
    if (d.type === 'categorical') {
      for (let c = 0; c < d.choices.length; c++) {
        owner.push(k);
        cols.push((t) => (toInternal(t.distributions[n], t.params[n]) === c ? 1 : 0));
      }
    } else {
      owner.push(k);
      cols.push((t) => t.params[n] as number);
    }
  });
  const X = new Matrix(new Float64Array(done.length * cols.length), done.length, cols.length);
  done.forEach((t, i) => cols.forEach((f, j) => (X.data[i * cols.length + j] = f(t))));
  const y = Float64Array.from(done, (t) => t.value as number);
  const forest = new RandomForestRegressor({ nEstimators: opts.nEstimators ?? 64, maxDepth: 64, randomState: opts.seed ?? 0 });
  await forest.fit(X, y);
  const fi = forest.featureImportances;
  const per = new Float64Array(names.length);
  owner.forEach((k, j) => (per[k] += fi[j]));
  const total = per.reduce((a, b) => a + b, 0);
  const out = names.map((n, k) => [n, total > 0 ? per[k] / total : 1 / names.length] as const).sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(out);
}
