/** Classification metrics: pure functions of label arrays. */
import { ShapeError } from '../core/errors.js';

export type Label = number | string;

/** Fraction of predictions equal to the true labels (scikit-learn's accuracy_score). */
export function accuracyScore(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): number {
  if (yTrue.length !== yPred.length) {
    throw new ShapeError(`accuracyScore: yTrue has ${yTrue.length} labels but yPred has ${yPred.length}`);
  }
  if (yTrue.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}
