/** Regression metrics: pure functions of arrays. */
import { ShapeError } from '../core/errors.js';

/**
 * Coefficient of determination R² (scikit-learn's r2_score). With several outputs
 * (`outputs` > 1, row-major values) the scores of the outputs are averaged.
 * A constant target scores 1 when predicted exactly, else 0 (scikit-learn's convention).
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, outputs = 1): number {
  if (yTrue.length !== yPred.length) {
    throw new ShapeError(`r2Score: yTrue has ${yTrue.length} values but yPred has ${yPred.length}`);
  }
  const rows = yTrue.length / outputs;
  let total = 0;
  for (let o = 0; o < outputs; o++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += yTrue[i * outputs + o];
    mean /= rows;
    let ssRes = 0, ssTot = 0;
    for (let i = 0; i < rows; i++) {
      ssRes += (yTrue[i * outputs + o] - yPred[i * outputs + o]) ** 2;
      ssTot += (yTrue[i * outputs + o] - mean) ** 2;
    }
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / outputs;
}
