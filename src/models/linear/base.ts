/**
 * What the linear models share: validated training data, the backend's f64
 * kernels (CPU backends), and prediction as X · coefᵀ + intercept in f64.
 */
import { readMatrix } from '../../core/read-matrix.js';
import { CsrMatrix } from '../../core/csr.js';
import { sparseNonFinite, type MatrixOrSparse } from '../../core/dense.js';
import { EmptyInputError, NonFiniteError, ShapeError } from '../../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../../core/estimator.js';
import { Matrix } from '../../core/matrix.js';
import type { BackendChoice, GramResult, LinearKernels } from '../../backend/backend.js';
import { resolveKernels } from '../../backend/select.js';
import { BACKEND_CHOICE } from '../../backend/contract/names.js';
import { bool, optional, type ParamSpecs } from '../../core/params.js';
import { r2Score } from '../../metrics/regression.js';
import { readSampleWeight, readTarget, shapeOutput, type RegressionTarget, type Target } from '../common/targets.js';

/** The f64 kernels linear models need (the linear family: native or js). */
export async function linearBackend(choice: BackendChoice | undefined, work: number, owner: string): Promise<LinearKernels> {
  return (await resolveKernels('linear', choice, work, owner)).kernels;
}

/** Prediction input: dense as readMatrix reads it, or a CsrMatrix kept sparse (scores need only its nonzeros). */
export function readRows(X: MatrixOrSparse, name: string): Matrix | CsrMatrix {
  if (!(X instanceof CsrMatrix)) return readMatrix(X, name, { sparse: 'densify' });
  if (X.rows === 0 || X.cols === 0) throw new EmptyInputError(`${name} is empty (${X.rows} × ${X.cols}); it needs at least one row and one column`);
  const bad = sparseNonFinite(X);
  if (bad !== null) throw new NonFiniteError(`${name} has a non-finite value (${bad}); impute or drop missing values first`);
  return X;
}

/** X · coefᵀ + intercept in f64: coef is outputs × p, row-major. */
export function linearScores(X: Matrix | CsrMatrix, coef: Float64Array, intercept: Float64Array, outputs: number): Float64Array {
  const { rows, cols } = X;
  const out = new Float64Array(rows * outputs);
  if (X instanceof CsrMatrix) {
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < outputs; o++) {
        let s = intercept[o];
        for (let k = X.indptr[r]; k < X.indptr[r + 1]; k++) s += X.data[k] * coef[o * cols + X.indices[k]];
        out[r * outputs + o] = s;
      }
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      let s = intercept[o];
      for (let c = 0; c < cols; c++) s += X.data[r * cols + c] * coef[o * cols + c];
      out[r * outputs + o] = s;
    }
  }
  return out;
}

export interface RegressionFit {
  coef: Float64Array; // outputs × p
  intercept: Float64Array; // outputs
  outputs: number;
  oneD: boolean;
  nFeatures: number;
}

export interface LinearRegressorParams {
  /** Fit an intercept (the data are centred first, and the intercept is not penalised); false: the model passes through 0. Default: true. */
  fitIntercept: boolean;
  /**
   * Backend of the f64 Gram kernels: 'auto', 'native' or 'js' (they do not run on 'webgpu');
   * undefined uses the process-wide choice (setBackend). Default: undefined.
   */
  backend: BackendChoice | undefined;
}

export const LINEAR_REGRESSOR_SPECS: ParamSpecs<LinearRegressorParams> = { fitIntercept: bool(), backend: optional(BACKEND_CHOICE) };

/** Regressors solved from the weighted centred Gram matrix. */
export abstract class GramRegressor<P extends LinearRegressorParams> extends Estimator<P> {
  protected state: RegressionFit | undefined;

  /** outputs × p coefficients (Float64Array of p for a 1-D target). */
  get coef(): Float64Array | Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return s.oneD ? Float64Array.from(s.coef) : new Matrix(Float64Array.from(s.coef), s.outputs, s.nFeatures);
  }

  /** One intercept per output (0 without fitIntercept). */
  get intercept(): number | Float64Array {
    const s = this.fitted(this.state);
    return s.oneD ? s.intercept[0] : Float64Array.from(s.intercept);
  }

  /** Solves for coefficients (p × t, row-major) from the Gram data. */
  protected abstract solve(
    g: GramResult,
    p: number,
    t: number,
    data: { X: Matrix; target: Target; w: Float64Array | null },
  ): Float64Array | Promise<Float64Array>;

  async fit(X: MatrixOrSparse, y: RegressionTarget, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const name = `${this.constructor.name}.fit`;
      const Xm = readMatrix(X, `${name}: X`, { sparse: 'densify' });
      const target = readTarget(y, `${name}: y`);
      if (target.y.length / target.outputs !== Xm.rows) {
        throw new ShapeError(`${name}: X has ${Xm.rows} rows but y has ${target.y.length / target.outputs}`);
      }
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`);
      const params = this.params as LinearRegressorParams;
      const backend = await linearBackend(params.backend, Xm.rows * Xm.cols * Xm.cols, name);
      const p = Xm.cols,
        t = target.outputs;
      const g = await backend.weightedGram(Xm.data, Xm.rows, p, target.y, t, w, params.fitIntercept);
      const solution = await this.solve(g, p, t, { X: Xm, target, w }); // p × t
      const coef = new Float64Array(t * p),
        intercept = new Float64Array(t);
      for (let o = 0; o < t; o++) {
        let dotMean = 0;
        for (let c = 0; c < p; c++) {
          coef[o * p + c] = solution[c * t + o];
          dotMean += g.xMean[c] * solution[c * t + o];
        }
        intercept[o] = params.fitIntercept ? g.yMean[o] - dotMean : 0;
      }
      this.state = { coef, intercept, outputs: t, oneD: target.oneD, nFeatures: p };
      return this;
    });
  }

  async predict(X: MatrixOrSparse, opts: CallOptions = {}): Promise<Float64Array | Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const Xm = readRows(X, `${this.constructor.name}.predict: X`);
      if (Xm.cols !== s.nFeatures) {
        throw new ShapeError(`${this.constructor.name}.predict: X has ${Xm.cols} features but the model was fitted with ${s.nFeatures}`);
      }
      return shapeOutput(linearScores(Xm, s.coef, s.intercept, s.outputs), Xm.rows, s.outputs, s.oneD);
    });
  }

  /** R² on (X, y), averaged over outputs. */
  async score(X: MatrixOrSparse, y: RegressionTarget): Promise<number> {
    const t = readTarget(y, `${this.constructor.name}.score: y`);
    const pred = await this.predict(X);
    return r2Score(t.y, pred instanceof Matrix ? pred.data : pred, t.outputs);
  }
}
