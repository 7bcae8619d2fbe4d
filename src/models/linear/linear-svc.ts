/**
 * Linear support vector classification (scikit-learn's LinearSVC, dual solver):
 * LIBLINEAR's dual coordinate descent in a native kernel, hinge or squared hinge,
 * one-vs-rest for more than two classes (problems solved in parallel).
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import { Estimator } from '../../core/estimator.js';
import { Matrix, type MatrixLike } from '../../core/matrix.js';
import { Rng } from '../../core/prng.js';
import type { BackendChoice } from '../../backend/backend.js';
import { resolveKernels } from '../../backend/select.js';
import { accuracyScore, type Label } from '../../metrics/classification.js';
import { encodeLabels, labelsOfMaxScore } from '../../core/labels.js';
import { linearScores, readX } from './base.js';

export interface LinearSVCParams {
  loss: 'squared_hinge' | 'hinge';
  C: number;
  tol: number;
  maxIter: number;
  fitIntercept: boolean;
  /** Value of the constant feature that carries the intercept (it is regularised, as in LIBLINEAR). */
  interceptScaling: number;
  randomState: number;
  backend: BackendChoice | undefined;
}

interface Fitted {
  classes: Label[];
  coef: Float64Array; // models × p
  intercept: Float64Array;
  models: number;
  p: number;
  nIter: number;
}

export class LinearSVC extends Estimator<LinearSVCParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<LinearSVCParams> = {}) {
    super({ loss: 'squared_hinge', C: 1, tol: 1e-4, maxIter: 1000, fitIntercept: true, interceptScaling: 1, randomState: 0, backend: undefined }, params);
  }

  protected checkParams(p: LinearSVCParams): void {
    if (p.loss !== 'squared_hinge' && p.loss !== 'hinge') throw new ParamError(`LinearSVC: loss must be 'squared_hinge' or 'hinge', got ${JSON.stringify(p.loss)}`);
    if (!(p.C > 0) || !Number.isFinite(p.C)) throw new ParamError(`LinearSVC: C must be a finite number > 0, got ${p.C}`);
    if (!(p.tol > 0)) throw new ParamError(`LinearSVC: tol must be > 0, got ${p.tol}`);
    if (!Number.isInteger(p.maxIter) || p.maxIter < 1) throw new ParamError('LinearSVC: maxIter must be a positive integer');
    if (!(p.interceptScaling > 0)) throw new ParamError('LinearSVC: interceptScaling must be > 0');
  }

  get classes(): Label[] { return [...this.fitted(this.state).classes]; }
  get coef(): Matrix<Float64Array> { const s = this.fitted(this.state); return new Matrix(Float64Array.from(s.coef), s.models, s.p); }
  get intercept(): Float64Array { return Float64Array.from(this.fitted(this.state).intercept); }
  /** The largest number of sweeps any one-vs-rest problem needed. */
  get nIter(): number { return this.fitted(this.state).nIter; }

  async fit(X: MatrixLike, y: ArrayLike<Label>): Promise<this> {
    const Xm = readX(X, 'LinearSVC.fit: X');
    const { classes, codes } = encodeLabels(y, 'LinearSVC.fit: y');
    if (codes.length !== Xm.rows) throw new ShapeError(`LinearSVC.fit: X has ${Xm.rows} rows but y has ${codes.length} labels`);
    if (classes.length < 2) throw new ParamError(`LinearSVC.fit: y has a single class (${String(classes[0])}); a classifier needs at least 2`);
    const { kernels: backend } = await resolveKernels('linear', this.params.backend, Xm.rows * Xm.cols, 'LinearSVC');
    const K = classes.length, models = K === 2 ? 1 : K, n = Xm.rows, p = Xm.cols;
    const yy = new Float64Array(models * n);
    for (let m = 0; m < models; m++) {
      const positive = K === 2 ? 1 : m;
      for (let i = 0; i < n; i++) yy[m * n + i] = codes[i] === positive ? 1 : -1;
    }
    const coef = new Float64Array(models * (p + 1)), iterations = new Int32Array(models);
    await backend.svmDualCd({
      x: Xm.data, n, p, y: yy, models, squaredHinge: this.params.loss === 'squared_hinge', C: this.params.C,
      interceptScaling: this.params.fitIntercept ? this.params.interceptScaling : 0, maxIter: this.params.maxIter,
      tol: this.params.tol, seed: 1 + new Rng(this.params.randomState).int(0x7ffffffe), coef, iterations,
    });
    const w = new Float64Array(models * p), b = new Float64Array(models);
    for (let m = 0; m < models; m++) {
      w.set(coef.subarray(m * (p + 1), m * (p + 1) + p), m * p);
      b[m] = coef[m * (p + 1) + p];
    }
    this.state = { classes, coef: w, intercept: b, models, p, nIter: Math.max(...iterations) };
    return this;
  }

  async decisionFunction(X: MatrixLike): Promise<Float64Array | Matrix<Float64Array>> {
    const s = this.fitted(this.state);
    const Xm = readX(X, 'LinearSVC.decisionFunction: X');
    if (Xm.cols !== s.p) throw new ShapeError(`LinearSVC: X has ${Xm.cols} features but the model was fitted with ${s.p}`);
    const z = linearScores(Xm, s.coef, s.intercept, s.models);
    return s.models === 1 ? z : new Matrix(z, Xm.rows, s.models);
  }

  async predict(X: MatrixLike): Promise<Label[]> {
    const s = this.fitted(this.state);
    const d = await this.decisionFunction(X);
    if (!(d instanceof Matrix)) return Array.from(d, (v) => s.classes[v > 0 ? 1 : 0]);
    return labelsOfMaxScore(s.classes, d.data, d.rows, d.cols);
  }

  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    return accuracyScore(y, await this.predict(X));
  }
}
