/**
 * What the linear classifiers (LogisticRegression, LinearSVC, SGDClassifier) share: the checked
 * labels of a fit, one-vs-rest ±1 targets, and labels and decision values from score columns
 * (one column for two classes, whose sign picks the class; one per class otherwise). The batch
 * solvers (LogisticRegression, LinearSVC) also share their getters, decisionFunction, predict and
 * score through LinearClassifier; SGDClassifier has its own base for online training.
 */
import type { CsrMatrix } from '../../core/csr.js';
import type { MatrixOrSparse } from '../../core/dense.js';
import { ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../../core/estimator.js';
import { labelsOfMaxScore } from '../../core/labels.js';
import { Matrix } from '../../core/matrix.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { linearScores, readRows } from './base.js';

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

/** A fitted linear classifier as the shared methods read it: coef is columns × features, row-major. */
export interface LinearClassifierFit {
  classes: Label[];
  coef: Float64Array;
  intercept: Float64Array;
  columns: number;
  features: number;
  nIter: number;
}

export abstract class LinearClassifier<P extends object> extends Estimator<P> {
  /** The fitted model (throws E_NOT_FITTED before fit); each class keeps its own model-file fields. */
  protected abstract fittedLinear(): LinearClassifierFit;

  get classes(): Label[] {
    return [...this.fittedLinear().classes];
  }
  /** columns × features: one row for a binary problem, one per class otherwise. */
  get coef(): Matrix<Float64Array> {
    const s = this.fittedLinear();
    return new Matrix(Float64Array.from(s.coef), s.columns, s.features);
  }
  get intercept(): Float64Array {
    return Float64Array.from(this.fittedLinear().intercept);
  }
  /** The solver's iterations (for one-vs-rest problems, the most any one needed). */
  get nIter(): number {
    return this.fittedLinear().nIter;
  }

  /** Signed distance to the boundary: Float64Array for 2 classes, a rows × classes matrix otherwise. */
  async decisionFunction(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fittedLinear();
      const Xm = this.queries(X, 'decisionFunction');
      return decisionOutput(linearScores(Xm, s.coef, s.intercept, s.columns), Xm.rows, s.columns);
    });
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Label[]> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fittedLinear();
      const Xm = this.queries(X, 'predict');
      return labelsOfScores(s.classes, linearScores(Xm, s.coef, s.intercept, s.columns), Xm.rows, s.columns);
    });
  }

  async score(X: MatrixOrSparse, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }

  /** Prediction rows with the fitted number of features. */
  protected queries(X: MatrixOrSparse, method: string): Matrix | CsrMatrix {
    const s = this.fittedLinear();
    const Xm = readRows(X, `${this.constructor.name}.${method}: X`);
    if (Xm.cols !== s.features) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${Xm.cols} features but the model was fitted with ${s.features}`);
    }
    return Xm;
  }
}
