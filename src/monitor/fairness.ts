/**
 * fairnessReport: a binary classifier's outcomes per group of a sensitive feature, with Fairlearn's
 * MetricFrame semantics — per group selection rate, true and false positive rates, precision,
 * accuracy and count; across groups the difference (largest − smallest) and the ratio (smallest /
 * largest) of each; demographic parity, equalized odds and equal opportunity; the four-fifths
 * (80 %) rule for disparate impact; and seeded bootstrap confidence intervals of the differences.
 */
import { ParamError } from '../core/errors.js';
import { Rng } from '../core/prng.js';
import { percentile } from '../core/numeric.js';
import { sortedCopy } from '../ops/sort.js';

export interface GroupMetrics {
  group: string;
  count: number;
  selectionRate: number;
  /** Recall on the positives of the group (NaN when it has none, as Fairlearn's 0/0). */
  truePositiveRate: number;
  falsePositiveRate: number;
  precision: number;
  accuracy: number;
}

export type FairnessMetric = 'selectionRate' | 'truePositiveRate' | 'falsePositiveRate' | 'precision' | 'accuracy';
const METRICS: readonly FairnessMetric[] = ['selectionRate', 'truePositiveRate', 'falsePositiveRate', 'precision', 'accuracy'];

export interface FairnessResult {
  positiveLabel: string;
  groups: GroupMetrics[];
  /** Largest − smallest group value of each metric (NaN groups left out). */
  difference: Record<FairnessMetric, number>;
  /** Smallest / largest group value of each metric. */
  ratio: Record<FairnessMetric, number>;
  demographicParityDifference: number;
  demographicParityRatio: number;
  /** max(TPR difference, FPR difference), as Fairlearn. */
  equalizedOddsDifference: number;
  equalOpportunityDifference: number;
  /** Passes when the selection-rate ratio is at least 0.8. */
  fourFifthsRule: { ratio: number; passes: boolean };
  /** Bootstrap percentile intervals of the headline differences (absent when nBootstrap is 0). */
  confidence?: {
    level: number;
    resamples: number;
    intervals: Record<'demographicParityDifference' | 'equalizedOddsDifference' | 'equalOpportunityDifference', [number, number]>;
  };
}

export interface FairnessOptions {
  /** The sensitive feature, one value per row (e.g. a gender or age-band column). */
  sensitive: ArrayLike<unknown>;
  /** The favourable outcome's label. Default: the larger of the two labels (1, true, 'yes' after sorting). */
  positiveLabel?: unknown;
  /** Bootstrap resamples for the confidence intervals; 0 for none. Default: 1000. */
  nBootstrap?: number;
  /** Confidence level of the intervals. Default: 0.95. */
  confidenceLevel?: number;
  randomState?: number;
}

interface Counts {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

function metricsOf(c: Counts): Omit<GroupMetrics, 'group'> {
  const div = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
  return {
    count: c.n,
    selectionRate: div(c.tp + c.fp, c.n),
    truePositiveRate: div(c.tp, c.tp + c.fn),
    falsePositiveRate: div(c.fp, c.fp + c.tn),
    precision: div(c.tp, c.tp + c.fp),
    accuracy: div(c.tp + c.tn, c.n),
  };
}

function spread(values: number[]): { difference: number; ratio: number } {
  const v = values.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return { difference: Number.NaN, ratio: Number.NaN };
  const lo = Math.min(...v),
    hi = Math.max(...v);
  return { difference: hi - lo, ratio: hi === 0 ? (lo === 0 ? 1 : Number.NaN) : lo / hi };
}

function headline(groups: Omit<GroupMetrics, 'group'>[]): { dp: number; eo: number; eop: number } {
  const d = (m: FairnessMetric) => spread(groups.map((g) => g[m])).difference;
  return { dp: d('selectionRate'), eo: Math.max(d('truePositiveRate'), d('falsePositiveRate')), eop: d('truePositiveRate') };
}

export function fairnessReport(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, opts: FairnessOptions): FairnessResult {
  if (!opts || opts.sensitive === undefined) throw new ParamError('fairnessReport: options.sensitive (the sensitive feature, one value per row) is required');
  const n = yTrue.length;
  if (n === 0) throw new ParamError('fairnessReport: yTrue is empty');
  if (yPred.length !== n) throw new ParamError(`fairnessReport: yTrue has ${n} labels but yPred has ${yPred.length}`);
  if (opts.sensitive.length !== n) throw new ParamError(`fairnessReport: sensitive has ${opts.sensitive.length} values for ${n} rows`);
  const labels = [...new Set([...Array.from(yTrue, String), ...Array.from(yPred, String)])].sort();
  if (labels.length > 2)
    throw new ParamError(
      `fairnessReport: the labels are not binary (${labels.slice(0, 5).join(', ')}${labels.length > 5 ? ', …' : ''}); map them to a favourable outcome first`,
    );
  const positive = opts.positiveLabel !== undefined ? String(opts.positiveLabel) : labels[labels.length - 1];
  if (!labels.includes(positive) && opts.positiveLabel !== undefined)
    throw new ParamError(`fairnessReport: positiveLabel ${JSON.stringify(opts.positiveLabel)} is not one of the labels (${labels.join(', ')})`);
  const nBoot = opts.nBootstrap ?? 1000;
  if (!Number.isInteger(nBoot) || nBoot < 0) throw new ParamError(`fairnessReport: nBootstrap must be an integer >= 0, got ${nBoot}`);
  const level = opts.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new ParamError(`fairnessReport: confidenceLevel must be in (0, 1), got ${level}`);

  const groupNames: string[] = [];
  const groupOf = new Int32Array(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = opts.sensitive[i];
    if (s === null || s === undefined || (typeof s === 'number' && Number.isNaN(s)))
      throw new ParamError(`fairnessReport: sensitive[${i}] is missing; give every row a group (e.g. 'unknown')`);
    const k = String(s);
    let g = index.get(k);
    if (g === undefined) index.set(k, (g = groupNames.push(k) - 1));
    groupOf[i] = g;
  }
  const t = Uint8Array.from(Array.from(yTrue, (v) => (String(v) === positive ? 1 : 0)));
  const p = Uint8Array.from(Array.from(yPred, (v) => (String(v) === positive ? 1 : 0)));
  const tally = (rows: ArrayLike<number> | null): Counts[] => {
    const c = groupNames.map(() => ({ n: 0, tp: 0, fp: 0, tn: 0, fn: 0 }));
    const m = rows ? rows.length : n;
    for (let j = 0; j < m; j++) {
      const i = rows ? rows[j] : j;
      const g = c[groupOf[i]];
      g.n++;
      if (p[i]) t[i] ? g.tp++ : g.fp++;
      else t[i] ? g.fn++ : g.tn++;
    }
    return c;
  };
  const order = groupNames.map((_, g) => g).sort((a, b) => (groupNames[a] < groupNames[b] ? -1 : 1));
  const per = tally(null).map(metricsOf);
  const groups = order.map((g) => ({ group: groupNames[g], ...per[g] }));
  const difference = {} as Record<FairnessMetric, number>,
    ratio = {} as Record<FairnessMetric, number>;
  for (const m of METRICS) {
    const s = spread(per.map((g) => g[m]));
    difference[m] = s.difference;
    ratio[m] = s.ratio;
  }
  const h = headline(per);
  const result: FairnessResult = {
    positiveLabel: positive,
    groups,
    difference,
    ratio,
    demographicParityDifference: h.dp,
    demographicParityRatio: ratio.selectionRate,
    equalizedOddsDifference: h.eo,
    equalOpportunityDifference: h.eop,
    fourFifthsRule: { ratio: ratio.selectionRate, passes: ratio.selectionRate >= 0.8 },
  };
  if (nBoot > 0) {
    const rng = new Rng(opts.randomState ?? 0);
    const rows = new Int32Array(n);
    const dp: number[] = [],
      eo: number[] = [],
      eop: number[] = [];
    for (let b = 0; b < nBoot; b++) {
      for (let j = 0; j < n; j++) rows[j] = rng.int(n);
      const hb = headline(
        tally(rows)
          .filter((c) => c.n > 0)
          .map(metricsOf),
      );
      dp.push(hb.dp);
      eo.push(hb.eo);
      eop.push(hb.eop);
    }
    const lo = ((1 - level) / 2) * 100,
      hi = 100 - lo;
    const interval = (xs: number[]): [number, number] => {
      const s = sortedCopy(xs.filter((x) => !Number.isNaN(x)));
      return [percentile(s, lo), percentile(s, hi)];
    };
    result.confidence = {
      level,
      resamples: nBoot,
      intervals: { demographicParityDifference: interval(dp), equalizedOddsDifference: interval(eo), equalOpportunityDifference: interval(eop) },
    };
  }
  return result;
}
