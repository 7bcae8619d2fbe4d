/**
 * Parameter importances from a random forest (kiln's RandomForestRegressor, 64 trees, depth ≤ 64)
 * fitted on the completed trials — each parameter a column (categoricals one-hot) — to predict
 * the objective value. Trees split on order only, so log scales need no transform.
 *
 * - evaluator 'fanova' (the default, as Optuna's; Optuna 3.1's FanovaImportanceEvaluator): per tree, the variance of the
 *   prediction's marginal over the parameter (the others averaged out over their ranges) as a
 *   fraction of the tree's variance, averaged over the trees — the share of the objective's
 *   variance the parameter explains alone under uniform sampling of the search box.
 * - evaluator 'mdi' (Optuna's MeanDecreaseImpurityImportanceEvaluator): each parameter's share of
 *   the forest's impurity decrease, its one-hot columns summed.
 *
 * Both are normalised to sum 1; with few trials (tens) read them as a rough ranking.
 */
import { ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import { checkOptions } from '../../core/validate.js';
import { RandomForestRegressor } from '../../models/ensemble/forest.js';
import type { TreeEnsemble } from '../../models/tree/ensemble.js';
import { toInternal } from './distributions.js';
import { FanovaTree, type PlainTree } from './fanova.js';
import type { FrozenTrial, StudyDirection } from './types.js';

export interface ParamImportancesOptions {
  /** 'fanova' (functional ANOVA over the forest's trees) or 'mdi' (mean decrease in impurity). Default: 'fanova'. */
  evaluator?: 'mdi' | 'fanova';
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
  checkOptions(opts, ['evaluator', 'params', 'seed', 'nEstimators'], 'paramImportances');
  const evaluator = opts.evaluator ?? 'fanova';
  if (evaluator !== 'fanova' && evaluator !== 'mdi')
    throw new ParamError(`paramImportances: evaluator must be 'fanova' or 'mdi', got ${JSON.stringify(evaluator)}`);
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
  // Columns: one per numeric parameter (bounds its range), one per choice of a categorical (bounds [0, 1]).
  const owner: number[] = [];
  const bounds: [number, number][] = [];
  const cols: ((t: FrozenTrial) => number)[] = [];
  names.forEach((n, k) => {
    const d = done[0].distributions[n];
    if (d.type === 'categorical') {
      for (let c = 0; c < d.choices.length; c++) {
        owner.push(k);
        bounds.push([0, 1]);
        cols.push((t) => (toInternal(t.distributions[n], t.params[n]) === c ? 1 : 0));
      }
    } else {
      owner.push(k);
      // the widest range any trial used (a parameter's range may differ between trials)
      let lo = d.low,
        hi = d.high;
      for (const t of done) {
        const e = t.distributions[n] as typeof d;
        lo = Math.min(lo, e.low);
        hi = Math.max(hi, e.high);
      }
      bounds.push([lo, hi]);
      cols.push((t) => t.params[n] as number);
    }
  });
  const X = new Matrix(new Float64Array(done.length * cols.length), done.length, cols.length);
  done.forEach((t, i) => cols.forEach((f, j) => (X.data[i * cols.length + j] = f(t))));
  const y = Float64Array.from(done, (t) => t.value as number);
  const forest = new RandomForestRegressor({ nEstimators: opts.nEstimators ?? 64, maxDepth: 64, randomState: opts.seed ?? 0 });
  await forest.fit(X, y);
  const per = new Float64Array(names.length);
  if (evaluator === 'mdi') {
    const fi = forest.featureImportances;
    owner.forEach((k, j) => (per[k] += fi[j]));
  } else {
    const trees = forestTrees(forest.ensemble).map((t) => new FanovaTree(t, bounds));
    if (trees.every((t) => !(t.variance > 0))) {
      // every tree predicts a constant: no parameter explains anything (Optuna raises here)
      return Object.fromEntries(names.map((n) => [n, 1 / names.length]));
    }
    names.forEach((_, k) => {
      const columns = owner.flatMap((o, j) => (o === k ? [j] : []));
      let s = 0,
        m = 0;
      for (const t of trees) {
        if (!(t.variance > 0)) continue;
        s += t.marginalVariance(columns) / t.variance;
        m++;
      }
      per[k] = s / m;
    });
  }
  const total = per.reduce((a, b) => a + b, 0);
  const out = names.map((n, k) => [n, total > 0 ? per[k] / total : 1 / names.length] as const).sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(out);
}

/** Each tree of a fitted forest as plain arrays with tree-local node numbers. */
function forestTrees(e: TreeEnsemble): PlainTree[] {
  const out: PlainTree[] = [];
  for (let t = 0; t < e.trees; t++) {
    const base = e.roots[t],
      end = e.treeEnd(t);
    const local = (i: number) => (i < 0 ? -1 : i - base);
    out.push({
      feature: e.feature.slice(base, end),
      threshold: e.threshold.slice(base, end),
      left: Int32Array.from(e.left.subarray(base, end), local),
      right: Int32Array.from(e.right.subarray(base, end), local),
      value: e.value.slice(base * e.channels, end * e.channels).filter((_, i) => i % e.channels === 0),
    });
  }
  return out;
}
