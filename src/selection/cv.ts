/**
 * What a `cv` argument may be, as in scikit-learn: a fold count (StratifiedKFold for a
 * classifier, KFold otherwise, both unshuffled), any kiln splitter (anything with split), or
 * the train/test pairs themselves. Also how to tell a classifier (cv and scorers depend on it).
 */
import { ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { KFold } from '../data/split/kfold.js';
import type { Split } from '../data/split/split.js';
import { StratifiedKFold } from '../data/split/stratified-kfold.js';

/** A cross-validator: KFold, StratifiedKFold, GroupKFold, TimeSeriesSplit, the repeated and shuffle splitters, or your own. */
export interface Splitter {
  split(X: unknown, y?: any, groups?: any): Split[];
}

/** A fold count, a splitter, or explicit train/test pairs. */
export type CvOption = number | Splitter | readonly Split[];

/** True for a classifier (it has `classes`) or a pipeline ending in one. */
export function isClassifier(est: unknown): boolean {
  if (est === null || typeof est !== 'object') return false;
  const steps = (est as { steps?: unknown }).steps;
  if (Array.isArray(steps) && steps.length) return isClassifier(steps[steps.length - 1][1]);
  // a meta-estimator (RFE, SelectFromModel, …) is what the estimator it wraps is
  const inner =
    typeof (est as { getParams?: unknown }).getParams === 'function' ? (est as { getParams(): Record<string, unknown> }).getParams().estimator : undefined;
  if (inner !== undefined) return isClassifier(inner);
  return 'classes' in est;
}

/** The splits `cv` gives for these rows; every split checked to index rows that exist. */
export function resolveSplits(cv: CvOption | undefined, X: unknown, y: unknown, groups: unknown, classifier: boolean, n: number, fn: string): Split[] {
  let splits: Split[];
  if (cv === undefined || typeof cv === 'number') {
    const k = cv ?? 5;
    if (!Number.isInteger(k) || k < 2) throw new ParamError(`${fn}: cv must be an integer >= 2, a splitter or a list of splits, got ${String(cv)}`);
    const stratify = classifier && y !== undefined && isLabelArray(y);
    splits = (stratify ? new StratifiedKFold(k) : new KFold(k)).split(X, y as ArrayLike<Label>, groups);
  } else if (Array.isArray(cv)) {
    splits = cv as Split[];
  } else if (cv !== null && typeof cv === 'object' && typeof (cv as Splitter).split === 'function') {
    splits = (cv as Splitter).split(X, y, groups);
  } else {
    throw new ParamError(`${fn}: cv must be an integer >= 2, a splitter (e.g. new KFold(5)) or a list of { train, test } splits, got ${String(cv)}`);
  }
  if (splits.length === 0) throw new ParamError(`${fn}: cv gave no splits`);
  splits.forEach((s, i) => {
    for (const part of ['train', 'test'] as const) {
      const idx = s?.[part];
      if (!idx || typeof idx.length !== 'number' || idx.length === 0) throw new ParamError(`${fn}: split ${i} has no ${part} rows`);
      for (let j = 0; j < idx.length; j++) {
        if (!Number.isInteger(idx[j]) || idx[j] < 0 || idx[j] >= n)
          throw new ParamError(`${fn}: split ${i}'s ${part} row ${idx[j]} is not a row index below ${n}`);
      }
    }
  });
  return splits;
}

/** Class labels (not a matrix of several targets). */
function isLabelArray(y: unknown): boolean {
  const a = y as ArrayLike<unknown>;
  return (Array.isArray(a) || ArrayBuffer.isView(a)) && a.length > 0 && (typeof a[0] === 'number' || typeof a[0] === 'string');
}
