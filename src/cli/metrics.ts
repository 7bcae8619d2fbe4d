/** The metrics a config or `kiln evaluate --metrics` may name, computed from kiln's metric functions. */
import type { Matrix } from '../core/matrix.js';
import {
  accuracyScore,
  balancedAccuracyScore,
  cohenKappaScore,
  explainedVarianceScore,
  f1Score,
  logLoss,
  matthewsCorrcoef,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  medianAbsoluteError,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rootMeanSquaredError,
  type Label,
} from '../metrics/index.js';
import type { Task } from './estimators.js';

export interface Scored {
  yTrue: Label[] | Float64Array;
  yPred: Label[] | Float64Array;
  /** Class probabilities (rows × classes, columns in `classes` order), when the model gives them. */
  proba?: Matrix;
  classes?: Label[];
}

interface MetricSpec {
  task: Task;
  /** Needs predicted probabilities. */
  proba: boolean;
  compute: (s: Scored) => number;
}

const labels = (s: Scored) => [s.yTrue as ArrayLike<Label>, s.yPred as ArrayLike<Label>] as const;
const numbers = (s: Scored) => [s.yTrue as Float64Array, s.yPred as Float64Array] as const;

export const METRICS: Record<string, MetricSpec> = {
  accuracy: { task: 'classification', proba: false, compute: (s) => accuracyScore(...labels(s)) },
  balancedAccuracy: { task: 'classification', proba: false, compute: (s) => balancedAccuracyScore(...labels(s)) },
  f1Macro: { task: 'classification', proba: false, compute: (s) => f1Score(...labels(s), { average: 'macro' }) },
  f1Weighted: { task: 'classification', proba: false, compute: (s) => f1Score(...labels(s), { average: 'weighted' }) },
  f1Micro: { task: 'classification', proba: false, compute: (s) => f1Score(...labels(s), { average: 'micro' }) },
  precisionMacro: { task: 'classification', proba: false, compute: (s) => precisionScore(...labels(s), { average: 'macro' }) },
  recallMacro: { task: 'classification', proba: false, compute: (s) => recallScore(...labels(s), { average: 'macro' }) },
  mcc: { task: 'classification', proba: false, compute: (s) => matthewsCorrcoef(...labels(s)) },
  cohenKappa: { task: 'classification', proba: false, compute: (s) => cohenKappaScore(...labels(s)) },
  rocAuc: {
    task: 'classification',
    proba: true,
    compute: (s) => {
      const p = s.proba!;
      if (p.cols === 2)
        return rocAucScore(
          s.yTrue as Label[],
          Float64Array.from({ length: p.rows }, (_, r) => p.data[r * 2 + 1]),
          { labels: s.classes },
        );
      return rocAucScore(s.yTrue as Label[], p, { multiClass: 'ovr', labels: s.classes });
    },
  },
  logLoss: { task: 'classification', proba: true, compute: (s) => logLoss(s.yTrue as Label[], s.proba!, { labels: s.classes }) },
  mae: { task: 'regression', proba: false, compute: (s) => meanAbsoluteError(...numbers(s)) as number },
  mse: { task: 'regression', proba: false, compute: (s) => meanSquaredError(...numbers(s)) as number },
  rmse: { task: 'regression', proba: false, compute: (s) => rootMeanSquaredError(...numbers(s)) as number },
  r2: { task: 'regression', proba: false, compute: (s) => r2Score(...numbers(s)) },
  mape: { task: 'regression', proba: false, compute: (s) => meanAbsolutePercentageError(...numbers(s)) as number },
  medianAe: { task: 'regression', proba: false, compute: (s) => medianAbsoluteError(...numbers(s)) as number },
  explainedVariance: { task: 'regression', proba: false, compute: (s) => explainedVarianceScore(...numbers(s)) as number },
  maxError: { task: 'regression', proba: false, compute: (s) => maxError(...numbers(s)) },
};

export function defaultMetrics(task: Task): string[] {
  return task === 'classification' ? ['accuracy', 'balancedAccuracy', 'f1Macro', 'logLoss'] : ['mae', 'rmse', 'r2'];
}

/** name → value, in the order asked. */
export function computeMetrics(names: readonly string[], scored: Scored): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) out[name] = METRICS[name].compute(scored);
  return out;
}

/** Formats a number for a table: integers as they are, others to 6 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/** A plain-text two-or-more-column table (left-aligned names, right-aligned numbers). */
export function textTable(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? fmt(v) : v)))];
  const widths = head.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const numeric = head.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const line = (r: string[]) =>
    r
      .map((v, j) => (numeric[j] ? v.padStart(widths[j]) : v.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function metricsTable(metrics: Record<string, number>): string {
  return textTable(
    ['metric', 'value'],
    Object.entries(metrics).map(([k, v]) => [k, v]),
  );
}
