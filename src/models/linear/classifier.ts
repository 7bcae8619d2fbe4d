/**
 * What the linear classifiers (LogisticRegression, LinearSVC, SGDClassifier) share: the checked
 * labels of a fit, one-vs-rest ±1 targets, and labels and decision values from score columns
 * (one column for two classes, whose sign picks the class; one per class otherwise).
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { Matrix } from '../../core/matrix.js';
import type { Label } from '../../metrics/classification.js';

/** y encoded against X's rows; a classifier needs two classes or more. `name` is the call, e.g. 'LinearSVC.fit'. */
export function readClassLabels(y: ArrayLike<Label>, rows: number, name: string): { classes: Label[]; codes: Int32Array } {
  const { classes, codes } = encodeLabels(y, `${name}: y`);
  if (codes.length !== rows) throw new ShapeError(`${name}: X has ${rows} rows but y has ${codes.length} labels`);
  if (classes.length < 2) throw new ParamError(`${name}: y has a single class (${String(classes[0])}); a classifier needs at least 2`);
  return { classes, codes };
}

/** ±1 targets, models × n: one model (class 1 positive) for two classes, one per class otherwise. */
export function oneVsRestTargets(codes: Int32Array, classes: number): { y: Float64Array; models: number } {
  const models = classes === 2 ? 1 : classes,
    n = codes.length;
  const y = new Float64Array(models * n);
  for (let m = 0; m < models; m++) {
    const positive = classes === 2 ? 1 : m;
    for (let i = 0; i < n; i++) y[m * n + i] = codes[i] === positive ? 1 : -1;
  }
  return { y, models };
}

/** decisionFunction's result: a Float64Array for one score column, a rows × columns matrix otherwise. */
export function decisionOutput(z: Float64Array, rows: number, columns: number): Float64Array | Matrix<Float64Array> {
  return columns === 1 ? z : new Matrix(z, rows, columns);
}

/** The label of each row's score: the sign of a single column (> 0: classes[1]), else the largest column. */
export function labelsOfScores(classes: readonly Label[], z: Float64Array, rows: number, columns: number): Label[] {
  if (columns === 1) return Array.from({ length: rows }, (_, r) => classes[z[r] > 0 ? 1 : 0]);
  return labelsOfMaxScore(classes, z, rows, columns);
}
