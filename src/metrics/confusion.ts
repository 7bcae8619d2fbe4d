/** Confusion matrices (scikit-learn's confusion_matrix) and the tallies other metrics share. */
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { labelList, labelPair, oneOf, weights } from './check.js';
import type { Label } from '../core/labels.js';

export interface ConfusionMatrixOptions {
  /** Row/column order; samples with other labels are left out. Default: sorted union of yTrue and yPred. */
  labels?: readonly Label[];
  sampleWeight?: ArrayLike<number>;
  /** Divide by the row sums ('true'), column sums ('pred') or the total ('all'); 0/0 gives 0. */
  normalize?: 'true' | 'pred' | 'all';
}

/** Weighted counts: cm[i * k + j] = weight of samples with true labels[i] predicted as labels[j]. */
export interface Tally {
  labels: Label[];
  k: number;
  cm: Float64Array;
  present: Label[];
}

export function tally(fn: string, yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, given?: readonly Label[], sampleWeight?: ArrayLike<number>): Tally {
  const { classes, t, p } = labelPair(yTrue, yPred, fn);
  const w = weights(sampleWeight, t.length, fn);
  let order = classes;
  let to: Int32Array = Int32Array.from(classes, (_, i) => i);
  if (given !== undefined) {
    order = labelList(given, fn);
    const at = new Map(order.map((l, i) => [l, i]));
    to = Int32Array.from(classes, (c) => at.get(c) ?? -1);
    // scikit-learn refuses a label list that misses every true label: the matrix would be empty
    if (!t.some((c) => to[c] >= 0)) {
      throw new ParamError(`${fn}: none of labels (${order.join(', ')}) occurs in yTrue; list at least one label of yTrue`);
    }
  }
  const k = order.length;
  const cm = new Float64Array(k * k);
  for (let i = 0; i < t.length; i++) {
    const r = to[t[i]],
      c = to[p[i]];
    if (r >= 0 && c >= 0) cm[r * k + c] += w ? w[i] : 1;
  }
  return { labels: order, k, cm, present: classes };
}

/** Rows = true labels, columns = predicted labels, in `labels` order (scikit-learn's confusion_matrix). */
export function confusionMatrix(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, opts: ConfusionMatrixOptions = {}): Matrix {
  const fn = 'confusionMatrix';
  checkOptions(opts, ['labels', 'sampleWeight', 'normalize'], fn);
  const normalize = opts.normalize === undefined ? undefined : oneOf(opts.normalize, ['true', 'pred', 'all'] as const, 'true', 'normalize', fn);
  const { k, cm } = tally(fn, yTrue, yPred, opts.labels, opts.sampleWeight);
  if (normalize) {
    const sums = new Float64Array(normalize === 'all' ? 1 : k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        sums[normalize === 'true' ? i : normalize === 'pred' ? j : 0] += cm[i * k + j];
      }
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        const s = sums[normalize === 'true' ? i : normalize === 'pred' ? j : 0];
        cm[i * k + j] = s === 0 ? 0 : cm[i * k + j] / s; // nan_to_num: an empty row/column gives 0
      }
  }
  return new Matrix(cm, k, k);
}
