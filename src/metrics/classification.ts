/** Classification metrics on predicted labels: pure functions of label arrays (scikit-learn 1.2 semantics). */
import { ParamError } from '../core/errors.js';
import { checkOptions } from '../core/validate.js';
import { average as mean, labelPair, oneOf, weights } from './check.js';
import { tally } from './confusion.js';
import { setwiseCounts, type ClassTargets } from './setwise.js';
import type { Label } from '../core/labels.js';

export type { Label } from '../core/labels.js';

export interface AccuracyOptions {
  /** false: the (weighted) count of correct predictions instead of the fraction. */
  normalize?: boolean;
  sampleWeight?: ArrayLike<number>;
}

/** Fraction of predictions equal to the true labels (scikit-learn's accuracy_score). */
export function accuracyScore(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, opts: AccuracyOptions = {}): number {
  const fn = 'accuracyScore';
  checkOptions(opts, ['normalize', 'sampleWeight'], fn);
  const { t, p } = labelPair(yTrue, yPred, fn);
  const w = weights(opts.sampleWeight, t.length, fn);
  const hit = Float64Array.from(t, (c, i) => (c === p[i] ? 1 : 0));
  if (opts.normalize === false) {
    let s = 0;
    for (let i = 0; i < hit.length; i++) s += w ? hit[i] * w[i] : hit[i];
    return s;
  }
  return mean(hit, w);
}

export interface BalancedAccuracyOptions {
  sampleWeight?: ArrayLike<number>;
  /** Rescale so that chance scores 0 and perfect scores 1. */
  adjusted?: boolean;
}

/** Mean per-class recall over the classes present in yTrue (scikit-learn's balanced_accuracy_score). */
export function balancedAccuracyScore(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, opts: BalancedAccuracyOptions = {}): number {
  const fn = 'balancedAccuracyScore';
  checkOptions(opts, ['sampleWeight', 'adjusted'], fn);
  const { k, cm } = tally(fn, yTrue, yPred, undefined, opts.sampleWeight);
  const perClass: number[] = [];
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += cm[i * k + j];
    if (row !== 0) perClass.push(cm[i * k + i] / row); // classes only predicted have no recall: skipped
  }
  let score = mean(perClass);
  if (opts.adjusted) {
    const chance = 1 / perClass.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

/** 'samples' (multilabel targets only): the mean over rows of each row's score. */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'samples' | null;

export interface PrfOptions {
  /** 'binary' (posLabel only), 'micro', 'macro', 'weighted', 'samples' (multilabel: per row, then averaged), or null for one value per label. */
  average?: Average;
  /** The positive class when average is 'binary' (default 1). */
  posLabel?: Label;
  /** Labels to score and their order (default: sorted union of yTrue and yPred; multilabel: column indices, default all). */
  labels?: readonly Label[];
  sampleWeight?: ArrayLike<number>;
  /** Value for 0/0 (no predicted or no true samples of a label); 'warn' acts as 0. */
  zeroDivision?: 'warn' | 0 | 1;
}

export interface FbetaOptions extends PrfOptions {
  /** Weight of recall against precision (default 1: F1); Infinity gives recall. */
  beta?: number;
}

export interface PrfResult<T> {
  precision: T;
  recall: T;
  fscore: T;
  support: T extends number ? null : Float64Array;
}

const PRF_KEYS = ['average', 'posLabel', 'labels', 'sampleWeight', 'zeroDivision', 'beta'];

/**
 * Precision, recall, F-beta and support (scikit-learn's precision_recall_fscore_support, whose
 * default average is null: one value per label).
 */
export function precisionRecallFscoreSupport(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions & { average?: null }): PrfResult<Float64Array>;
export function precisionRecallFscoreSupport(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions): PrfResult<number>;
export function precisionRecallFscoreSupport(yTrue: ClassTargets, yPred: ClassTargets): PrfResult<Float64Array>;
export function precisionRecallFscoreSupport(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions = {}): PrfResult<any> {
  return prf('precisionRecallFscoreSupport', yTrue, yPred, opts, null);
}

type Scored = ((yTrue: ClassTargets, yPred: ClassTargets, opts: PrfOptions & { average: null }) => Float64Array) &
  ((yTrue: ClassTargets, yPred: ClassTargets, opts?: PrfOptions) => number);

function scorer(fn: string, pick: 'precision' | 'recall' | 'fscore', beta?: number): Scored {
  return ((yTrue: ClassTargets, yPred: ClassTargets, opts: PrfOptions = {}) => {
    checkOptions(
      opts,
      PRF_KEYS.filter((k) => k !== 'beta'),
      fn,
    );
    return prf(fn, yTrue, yPred, { ...opts, beta }, 'binary')[pick];
  }) as Scored;
}

/** tp / (tp + fp) (scikit-learn's precision_score; default average 'binary'). */
export const precisionScore = scorer('precisionScore', 'precision');
/** tp / (tp + fn) (scikit-learn's recall_score; default average 'binary'). */
export const recallScore = scorer('recallScore', 'recall');
/** Harmonic mean of precision and recall (scikit-learn's f1_score; default average 'binary'). */
export const f1Score = scorer('f1Score', 'fscore', 1);

/** F-beta score (scikit-learn's fbeta_score): beta > 1 favours recall. */
export function fbetaScore(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions & { beta: number; average: null }): Float64Array;
export function fbetaScore(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions & { beta: number }): number;
export function fbetaScore(yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions & { beta: number }): any {
  if (opts?.beta === undefined) throw new ParamError('fbetaScore: beta is required (e.g. { beta: 2 } to favour recall)');
  return prf('fbetaScore', yTrue, yPred, opts, 'binary').fscore;
}

function prf(fn: string, yTrue: ClassTargets, yPred: ClassTargets, opts: FbetaOptions, fallback: Average): PrfResult<any> {
  checkOptions(opts, PRF_KEYS, fn);
  const average = oneOf(opts.average, ['binary', 'micro', 'macro', 'weighted', 'samples', null] as const, fallback, 'average', fn);
  const zero = oneOf(opts.zeroDivision, ['warn', 0, 1] as const, 'warn', 'zeroDivision', fn) === 1 ? 1 : 0;
  const beta = opts.beta ?? 1;
  if (typeof beta !== 'number' || !(beta >= 0)) throw new ParamError(`${fn}: beta must be a number >= 0, got ${beta}`);

  let { tp, pred, truth } = setwiseCounts(fn, yTrue, yPred, average, opts.posLabel, opts.labels, opts.sampleWeight);
  if (average === 'micro') {
    const sum = (a: Float64Array) => Float64Array.of(a.reduce((s, v) => s + v, 0));
    tp = sum(tp);
    pred = sum(pred);
    truth = sum(truth);
  }
  const divide = (num: Float64Array, den: Float64Array) => num.map((v, i) => (den[i] === 0 ? zero : v / den[i]));
  const precision = divide(tp, pred),
    recall = divide(tp, truth);
  const b2 = beta * beta;
  // scikit-learn 1.2 forms F from the rounded precision and recall, and 0 when both are 0
  const fscore =
    beta === Infinity
      ? recall.slice()
      : precision.map((p, i) => {
          const den = b2 * p + recall[i];
          return ((1 + b2) * p * recall[i]) / (den === 0 ? 1 : den);
        });
  if (average === null) return { precision, recall, fscore, support: truth };
  let w: Float64Array | undefined;
  if (average === 'samples' && opts.sampleWeight) w = Float64Array.from(opts.sampleWeight);
  if (average === 'weighted') {
    w = truth;
    if (truth.reduce((s, v) => s + v, 0) === 0) {
      // no true samples of any chosen label: scikit-learn's zero_division value, F and precision 0 if anything was predicted
      const predicted = pred.reduce((s, v) => s + v, 0) !== 0;
      return { precision: predicted ? 0 : zero, recall: zero, fscore: predicted ? 0 : zero, support: null };
    }
  }
  return { precision: mean(precision, w), recall: mean(recall, w), fscore: mean(fscore, w), support: null };
}

export interface CohenKappaOptions {
  labels?: readonly Label[];
  /** Disagreement weights: none (0/1), 'linear' |i - j| or 'quadratic' (i - j)². */
  weights?: 'linear' | 'quadratic';
  sampleWeight?: ArrayLike<number>;
}

/** Agreement between two labellings beyond chance (scikit-learn's cohen_kappa_score). */
export function cohenKappaScore(y1: ArrayLike<Label>, y2: ArrayLike<Label>, opts: CohenKappaOptions = {}): number {
  const fn = 'cohenKappaScore';
  checkOptions(opts, ['labels', 'weights', 'sampleWeight'], fn);
  const kind = opts.weights === undefined ? undefined : oneOf(opts.weights, ['linear', 'quadratic'] as const, 'linear', 'weights', fn);
  const { k, cm } = tally(fn, y1, y2, opts.labels, opts.sampleWeight);
  const sum0 = new Float64Array(k),
    sum1 = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      sum0[j] += cm[i * k + j];
      sum1[i] += cm[i * k + j];
    }
  for (let j = 0; j < k; j++) total += sum0[j];
  let observed = 0,
    expected = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const w = kind === undefined ? (i === j ? 0 : 1) : kind === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
      observed += w * cm[i * k + j];
      expected += w * ((sum0[i] * sum1[j]) / total); // outer(sum0, sum1) / n, as scikit-learn orders it
    }
  return 1 - observed / expected;
}

/** Matthews correlation coefficient, multiclass form (scikit-learn's matthews_corrcoef); 0 when undefined. */
export function matthewsCorrcoef(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, opts: { sampleWeight?: ArrayLike<number> } = {}): number {
  const fn = 'matthewsCorrcoef';
  checkOptions(opts, ['sampleWeight'], fn);
  const { k, cm } = tally(fn, yTrue, yPred, undefined, opts.sampleWeight);
  const t = new Float64Array(k),
    p = new Float64Array(k);
  let correct = 0,
    n = 0;
  for (let i = 0; i < k; i++) {
    correct += cm[i * k + i];
    for (let j = 0; j < k; j++) {
      t[i] += cm[i * k + j];
      p[j] += cm[i * k + j];
    }
  }
  let tp = 0,
    pp = 0,
    tt = 0;
  for (let i = 0; i < k; i++) {
    n += p[i];
    tp += t[i] * p[i];
    pp += p[i] * p[i];
    tt += t[i] * t[i];
  }
  const covYtYp = correct * n - tp,
    covYpYp = n * n - pp,
    covYtYt = n * n - tt;
  return covYpYp * covYtYt === 0 ? 0 : covYtYp / Math.sqrt(covYtYt * covYpYp);
}
