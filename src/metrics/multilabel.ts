/**
 * hammingLoss and jaccardScore (scikit-learn 1.2's hamming_loss and jaccard_score): on label
 * arrays (binary / multiclass) or multilabel indicator matrices (Matrix or number[][] of 0/1).
 */
import { checkOptions } from '../core/validate.js';
import type { Label } from '../core/labels.js';
import type { MatrixLike } from '../core/matrix.js';
import { average as mean, labelPair, oneOf, weights } from './check.js';
import { indicators, isMultilabel, setwiseCounts, type ClassTargets, type SetwiseAverage } from './setwise.js';

/** The share of wrong labels: of mismatched predictions (label arrays) or of wrong cells (indicator matrices). */
export function hammingLoss(yTrue: ClassTargets, yPred: ClassTargets, opts: { sampleWeight?: ArrayLike<number> } = {}): number {
  const fn = 'hammingLoss';
  checkOptions(opts, ['sampleWeight'], fn);
  if (!isMultilabel(yTrue, yPred, fn)) {
    const { t, p } = labelPair(yTrue as ArrayLike<Label>, yPred as ArrayLike<Label>, fn);
    const w = weights(opts.sampleWeight, t.length, fn);
    return mean(
      Float64Array.from(t, (c, i) => (c === p[i] ? 0 : 1)),
      w,
    );
  }
  const { n, L, t, p } = indicators(yTrue as MatrixLike, yPred as MatrixLike, fn);
  const w = weights(opts.sampleWeight, n, fn);
  let diff = 0;
  for (let r = 0; r < n; r++) {
    let d = 0;
    for (let c = 0; c < L; c++) d += t[r * L + c] ^ p[r * L + c];
    diff += w ? d * w[r] : d;
  }
  // scikit-learn divides by n · labels · the mean weight
  return diff / (n * L * (w ? mean(w) : 1));
}

export interface JaccardOptions {
  /** 'binary' (posLabel only), 'micro', 'macro', 'weighted', 'samples' (multilabel only), or null for one value per label. Default: 'binary'. */
  average?: SetwiseAverage;
  /** The positive class when average is 'binary'. Default: 1. */
  posLabel?: Label;
  /** Labels to score and their order (multilabel: column indices). Default: every label present. */
  labels?: readonly Label[];
  sampleWeight?: ArrayLike<number>;
  /** Value for 0/0 (a label neither true nor predicted); 'warn' acts as 0. Default: 'warn'. */
  zeroDivision?: 'warn' | 0 | 1;
}

/** |true ∩ predicted| / |true ∪ predicted| per label (or per row under 'samples'), averaged as `average` says. */
export function jaccardScore(yTrue: ClassTargets, yPred: ClassTargets, opts: JaccardOptions & { average: null }): Float64Array;
export function jaccardScore(yTrue: ClassTargets, yPred: ClassTargets, opts?: JaccardOptions): number;
export function jaccardScore(yTrue: ClassTargets, yPred: ClassTargets, opts: JaccardOptions = {}): number | Float64Array {
  const fn = 'jaccardScore';
  checkOptions(opts, ['average', 'posLabel', 'labels', 'sampleWeight', 'zeroDivision'], fn);
  const average = oneOf(opts.average, ['binary', 'micro', 'macro', 'weighted', 'samples', null] as const, 'binary', 'average', fn);
  const zero = oneOf(opts.zeroDivision, ['warn', 0, 1] as const, 'warn', 'zeroDivision', fn) === 1 ? 1 : 0;
  const { tp, pred, truth } = setwiseCounts(fn, yTrue, yPred, average, opts.posLabel, opts.labels, opts.sampleWeight);
  // union = tp + fp + fn = predicted + true − tp
  let num = tp,
    den = tp.map((v, i) => pred[i] + truth[i] - v);
  if (average === 'micro') {
    num = Float64Array.of(num.reduce((s, v) => s + v, 0));
    den = Float64Array.of(den.reduce((s, v) => s + v, 0));
  }
  const jaccard = num.map((v, i) => (den[i] === 0 ? zero : v / den[i]));
  if (average === null) return jaccard;
  let w: Float64Array | undefined;
  // weighted by true counts (unweighted when there are none); 'samples' by the sample weights
  if (average === 'weighted' && truth.some((v) => v !== 0)) w = truth;
  else if (average === 'samples' && opts.sampleWeight) w = Float64Array.from(opts.sampleWeight);
  return mean(jaccard, w);
}
