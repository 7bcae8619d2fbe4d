/**
 * scikit-learn 1.2's LinearDiscriminantAnalysis: a classifier (predict, predictProba,
 * decisionFunction, score) and a supervised reducer (transform onto at most k − 1
 * discriminant directions). Solvers 'svd' and 'eigen' (with shrinkage) in lda-solvers.ts.
 */
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { LengthError, ParamError, ShapeError } from '../core/errors.js';
import { encodeLabels, labelsOfMaxScore, type Label } from '../core/labels.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { int, list, nullable, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { decompKernels } from './kernels.js';
import { refuseSparse } from './projection.js';
import { solveEigen, solveSvd, type LdaFit } from './lda-solvers.js';

export interface LinearDiscriminantAnalysisParams {
  /** 'svd' (no covariance matrix; the default of scikit-learn) or 'eigen' (generalised eigenproblem; takes shrinkage). Default: 'svd'. */
  solver: 'svd' | 'eigen';
  /** Covariance shrinkage for 'eigen': null (none), 'auto' (Ledoit-Wolf) or a number in [0, 1]. Default: null. */
  shrinkage: null | 'auto' | number;
  /** Class prior probabilities in the order of the sorted classes, or null (the class frequencies). Default: null. */
  priors: number[] | null;
  /** Dimensions of transform, at most min(classes − 1, features); null: that maximum. Default: null. */
  nComponents: number | null;
  /** Backend choice for the factorisations (CPU: native or js). Default: undefined. */
  backend: BackendChoice | undefined;
}

const SPECS: ParamSpecs<LinearDiscriminantAnalysisParams> = {
  solver: oneOf('svd', 'eigen'),
  shrinkage: nullable(union(oneOf('auto'), num({ min: 0, max: 1 }))),
  priors: nullable(list(num({ min: 0, finite: true }), { minLength: 1 })),
  nComponents: nullable(int({ min: 1 })),
  backend: optional(BACKEND_CHOICE),
};

interface LdaState {
  classes: Label[];
  p: number;
  priors: Float64Array;
  means: Float64Array;
  fit: LdaFit;
  maxComponents: number;
}

export class LinearDiscriminantAnalysis extends Estimator<LinearDiscriminantAnalysisParams> {
  private state: LdaState | undefined;

  constructor(params: Partial<LinearDiscriminantAnalysisParams> = {}) {
    super({ solver: 'svd', shrinkage: null, priors: null, nComponents: null, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<LinearDiscriminantAnalysisParams> {
    return SPECS;
  }

  protected override checkTogether(p: LinearDiscriminantAnalysisParams): void {
    if (p.solver === 'svd' && p.shrinkage !== null) throw new ParamError("LinearDiscriminantAnalysis: shrinkage needs solver 'eigen'");
  }

  get classes(): Label[] {
    return [...this.fitted(this.state).classes];
  }
  get priorsFitted(): Float64Array {
    return Float64Array.from(this.fitted(this.state).priors);
  }
  /** Class means: classes × features. */
  get means(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.means), s.classes.length, s.p);
  }
  /** Decision weights: one row for two classes (class 1 minus class 0), else one per class. */
  get coef(): Matrix<Float64Array> {
    const { coef, rows } = this.rule();
    return new Matrix(coef, rows, this.fitted(this.state).p);
  }
  get intercept(): Float64Array {
    return this.rule().intercept;
  }
  /** Share of the between-class variance along each discriminant direction. */
  get explainedVarianceRatio(): Float64Array {
    const s = this.fitted(this.state);
    return s.fit.ratio.slice(0, s.maxComponents);
  }
  /** The discriminant directions (features × directions). */
  get scalings(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.fit.scalings), s.p, s.fit.r);
  }

  featureNamesOut(): string[] {
    return Array.from({ length: this.fitted(this.state).maxComponents }, (_, i) => `lineardiscriminantanalysis${i}`);
  }

  private rule(): { coef: Float64Array; intercept: Float64Array; rows: number } {
    const s = this.fitted(this.state),
      p = s.p,
      { coef, intercept } = s.fit;
    if (s.classes.length !== 2) return { coef: Float64Array.from(coef), intercept: Float64Array.from(intercept), rows: s.classes.length };
    return { coef: coef.slice(p, 2 * p).map((v, c) => v - coef[c]), intercept: Float64Array.of(intercept[1] - intercept[0]), rows: 1 };
  }

  async fit(X: MatrixLike, y: ArrayLike<Label>, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      refuseSparse(X, 'LinearDiscriminantAnalysis.fit: X');
      const m = readMatrix(X, 'LinearDiscriminantAnalysis.fit: X');
      const { classes, codes } = encodeLabels(y, 'LinearDiscriminantAnalysis.fit: y');
      const n = m.rows,
        p = m.cols,
        k = classes.length;
      if (codes.length !== n) throw new LengthError(`LinearDiscriminantAnalysis.fit: y has ${codes.length} labels for ${n} rows of X`);
      if (k < 2) throw new ParamError('LinearDiscriminantAnalysis.fit: y has one class; discriminant analysis needs at least 2');
      if (n <= k) throw new ShapeError(`LinearDiscriminantAnalysis.fit: ${n} rows for ${k} classes; it needs more rows than classes`);
      const count = new Float64Array(k);
      for (const c of codes) count[c]++;
      let priors = count.map((c) => c / n);
      if (this.params.priors !== null) {
        if (this.params.priors.length !== k)
          throw new LengthError(`LinearDiscriminantAnalysis: priors has ${this.params.priors.length} values for ${k} classes`);
        const sum = this.params.priors.reduce((a, v) => a + v, 0);
        if (!(sum > 0)) throw new ParamError('LinearDiscriminantAnalysis: priors must not all be 0');
        priors = Float64Array.from(this.params.priors, (v) => v / sum);
      }
      const maxC = Math.min(k - 1, p);
      const want = this.params.nComponents;
      if (want !== null && want > maxC)
        throw new ParamError(`LinearDiscriminantAnalysis: nComponents=${want} must be at most min(classes − 1, features) = ${maxC}`);
      const x = m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
      const means = new Float64Array(k * p);
      for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) means[codes[i] * p + c] += x[i * p + c] / count[codes[i]];
      const la = (await decompKernels(this.params.backend, n * p * p, 'LinearDiscriminantAnalysis')).linalg;
      const data = { x, n, p, codes, k, priors, means };
      const fit = this.params.solver === 'svd' ? await solveSvd(data, la) : await solveEigen(data, this.params.shrinkage, la);
      this.state = { classes, p, priors, means, fit, maxComponents: Math.min(want ?? maxC, fit.r) };
    });
  }

  async decisionFunction(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      refuseSparse(X, 'LinearDiscriminantAnalysis: X');
      const m = readMatrix(X, 'LinearDiscriminantAnalysis: X', { features: s.p });
      const { coef, intercept, rows } = this.rule();
      const out = new Float64Array(m.rows * rows);
      for (let i = 0; i < m.rows; i++)
        for (let g = 0; g < rows; g++) {
          let v = intercept[g];
          for (let c = 0; c < s.p; c++) v += m.data[i * s.p + c] * coef[g * s.p + c];
          out[i * rows + g] = v;
        }
      return out;
    });
  }

  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    const d = await this.decisionFunction(X, opts);
    const k = this.fitted(this.state).classes.length;
    if (k === 2) {
      const out = new Float64Array(d.length * 2);
      d.forEach((v, i) => {
        const p1 = 1 / (1 + Math.exp(-v));
        out[2 * i] = 1 - p1;
        out[2 * i + 1] = p1;
      });
      return new Matrix(out, d.length, 2);
    }
    const rows = d.length / k;
    for (let i = 0; i < rows; i++) {
      let mx = -Infinity,
        sum = 0;
      for (let g = 0; g < k; g++) mx = Math.max(mx, d[i * k + g]);
      for (let g = 0; g < k; g++) sum += d[i * k + g] = Math.exp(d[i * k + g] - mx);
      for (let g = 0; g < k; g++) d[i * k + g] /= sum;
    }
    return new Matrix(d, rows, k);
  }

  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Label[]> {
    const s = this.fitted(this.state);
    const d = await this.decisionFunction(X, opts);
    if (s.classes.length === 2) return Array.from(d, (v) => s.classes[v > 0 ? 1 : 0]);
    return labelsOfMaxScore(s.classes, d, d.length / s.classes.length, s.classes.length);
  }

  /** Mean accuracy on (X, y). */
  async score(X: MatrixLike, y: ArrayLike<Label>): Promise<number> {
    const pred = await this.predict(X);
    if (pred.length !== y.length) throw new LengthError(`LinearDiscriminantAnalysis.score: y has ${y.length} labels for ${pred.length} rows`);
    let hits = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) hits++;
    return hits / pred.length;
  }

  /** Projection onto the first nComponents discriminant directions. */
  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      refuseSparse(X, 'LinearDiscriminantAnalysis.transform: X');
      const m = readMatrix(X, 'LinearDiscriminantAnalysis.transform: X', { features: s.p });
      const q = s.maxComponents,
        r = s.fit.r,
        out = new Float64Array(m.rows * q);
      for (let i = 0; i < m.rows; i++)
        for (let j = 0; j < q; j++) {
          let v = 0;
          for (let c = 0; c < s.p; c++) v += (m.data[i * s.p + c] - (s.fit.centre ? s.fit.centre[c] : 0)) * s.fit.scalings[c * r + j];
          out[i * q + j] = v;
        }
      return new Matrix(out, m.rows, q);
    });
  }

  async fitTransform(X: MatrixLike, y: ArrayLike<Label>, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    await this.fit(X, y, opts);
    return this.transform(X, opts);
  }
}
