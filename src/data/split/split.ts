/** What every cross-validator returns, and the shared step from test folds to train/test pairs. */
import { EmptyInputError, LengthError, ParamError } from '../../core/errors.js';
import { rowCount } from './arrays.js';

/** One train/test pair of row indices (ascending). */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Row count of X, with y and groups (when given) checked against it. */
export function samplesOf(X: unknown, y: unknown, groups: unknown, fn: string): number {
  const n = rowCount(X, `${fn}: X`);
  if (n === 0) throw new EmptyInputError(`${fn}: X has no rows; there is nothing to split`);
  for (const [v, name] of [
    [y, 'y'],
    [groups, 'groups'],
  ] as const) {
    if (v === undefined) continue;
    const m = rowCount(v, `${fn}: ${name}`);
    if (m !== n) throw new LengthError(`${fn}: ${name} has ${m} entries but X has ${n} rows; pass one per row`);
  }
  return n;
}

/** Fails when a fold count exceeds what there is to split. */
export function requireAtMost(nSplits: number, available: number, what: string, fn: string): void {
  if (nSplits > available) {
    throw new ParamError(`${fn}: nSplits=${nSplits} is greater than the number of ${what} (${available}); use nSplits <= ${available} or more data`);
  }
}

/**
 * Splits from each row's test-fold number (rows with fold -1 are in no test set):
 * train is every other row, both ascending, as scikit-learn's test masks give them.
 */
export function splitsFromFolds(fold: Int32Array, nSplits: number): Split[] {
  const sizes = new Int32Array(nSplits);
  for (let i = 0; i < fold.length; i++) if (fold[i] >= 0) sizes[fold[i]]++;
  const out: Split[] = [];
  for (let f = 0; f < nSplits; f++) {
    const test = new Int32Array(sizes[f]),
      train = new Int32Array(fold.length - sizes[f]);
    let a = 0,
      b = 0;
    for (let i = 0; i < fold.length; i++) {
      if (fold[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    out.push({ train, test });
  }
  return out;
}
