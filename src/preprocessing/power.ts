/**
 * PowerTransformer (scikit-learn's): a per-column Yeo-Johnson or Box-Cox power whose λ
 * maximises the Gaussian likelihood, then (by default) standardisation.
 */
import { readMatrix } from '../core/read-matrix.js';
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { brentMinimize } from '../training/brent.js';
import { requireCols, Transformer } from './base.js';
import { StandardScaler } from './scalers.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { bool, oneOf, optional, type ParamSpecs } from '../core/params.js';

export interface PowerTransformerParams {
  /**
   * The power transform: 'yeo-johnson' (any values) or 'box-cox' (strictly positive values only);
   * each column's λ maximises the Gaussian log-likelihood. Default: 'yeo-johnson'.
   */
  method: 'yeo-johnson' | 'box-cox';
  /** Standardise the transformed columns to zero mean and unit variance. Default: true. */
  standardize: boolean;
  /** Backend of the standardising StandardScaler; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const POWER_SPECS: ParamSpecs<PowerTransformerParams> = {
  method: oneOf('yeo-johnson', 'box-cox'),
  standardize: bool(),
  backend: optional(BACKEND_CHOICE),
};

const EPS = 2 ** -52;
const TINY = 2.2250738585072014e-308; // smallest normal double

export class PowerTransformer extends Transformer<PowerTransformerParams> {
  private state: { lambdas: Float64Array; scaler: StandardScaler | undefined } | undefined;

  constructor(params: Partial<PowerTransformerParams> = {}) {
    super({ method: 'yeo-johnson', standardize: true, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<PowerTransformerParams> {
    return POWER_SPECS;
  }

  /** The fitted λ of each column. */
  get lambdas(): Float64Array {
    return Float64Array.from(this.fitted(this.state).lambdas);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'PowerTransformer.fit: X', { nonFinite: 'missing' });
      this.checkDomain(m, 'fit');
      const boxCox = this.params.method === 'box-cox';
      const lambdas = new Float64Array(m.cols);
      for (let c = 0; c < m.cols; c++) {
        const col: number[] = [];
        for (let r = 0; r < m.rows; r++) {
          const v = m.data[r * m.cols + c];
          if (!Number.isNaN(v)) col.push(v);
        }
        if (col.length === 0) throw new ParamError(`PowerTransformer.fit: column ${c} has no observed value; impute or drop it first`);
        const x = Float64Array.from(col);
        lambdas[c] = brentMinimize(boxCox ? boxCoxNegLogLikelihood(x) : yeoJohnsonNegLogLikelihood(x), -2, 2);
      }
      this.state = { lambdas, scaler: undefined };
      if (this.params.standardize) this.state.scaler = await new StandardScaler({ backend: this.params.backend }).fit(this.power(m, lambdas));
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const st = this.fitted(this.state);
      const m = readMatrix(X, 'PowerTransformer.transform: X', { nonFinite: 'missing' });
      requireCols(m, st.lambdas.length, 'PowerTransformer.transform: X');
      this.checkDomain(m, 'transform');
      const t = this.power(m, st.lambdas);
      return st.scaler ? st.scaler.transform(t) : t;
    });
  }

  /** Back to the original scale: un-standardise, then the inverse power. */
  async inverseTransform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const st = this.fitted(this.state);
    const m = readMatrix(X, 'PowerTransformer.inverseTransform: X', { nonFinite: 'missing' });
    requireCols(m, st.lambdas.length, 'PowerTransformer.inverseTransform: X');
    const t = st.scaler ? await st.scaler.inverseTransform(m) : m;
    const f = this.params.method === 'box-cox' ? boxCoxInverse : yeoJohnsonInverse;
    const out = new Float64Array(t.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(t.data[i], st.lambdas[i % t.cols]);
    return new Matrix(out, t.rows, t.cols);
  }

  private checkDomain(m: Matrix, method: string): void {
    if (this.params.method !== 'box-cox') return;
    const i = m.data.findIndex((v) => v <= 0);
    if (i >= 0) {
      throw new ParamError(
        `PowerTransformer.${method}: X[${Math.floor(i / m.cols)}][${i % m.cols}] = ${m.data[i]}; Box-Cox needs strictly positive data — use method: 'yeo-johnson' or shift the column`,
      );
    }
  }

  private power(m: Matrix, lambdas: Float64Array): Matrix<Float64Array> {
    const f = this.params.method === 'box-cox' ? boxCox : yeoJohnson;
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(m.data[i], lambdas[i % m.cols]);
    return new Matrix(out, m.rows, m.cols);
  }
}

function yeoJohnson(x: number, l: number): number {
  if (x >= 0) return Math.abs(l) < EPS ? Math.log1p(x) : ((x + 1) ** l - 1) / l;
  return Math.abs(l - 2) > EPS ? -((1 - x) ** (2 - l) - 1) / (2 - l) : -Math.log1p(-x);
}

function yeoJohnsonInverse(y: number, l: number): number {
  if (y >= 0) return Math.abs(l) < EPS ? Math.expm1(y) : (y * l + 1) ** (1 / l) - 1;
  return Math.abs(l - 2) > EPS ? 1 - (-(2 - l) * y + 1) ** (1 / (2 - l)) : -Math.expm1(-y);
}

function boxCoxInverse(y: number, l: number): number {
  return Math.abs(l) < 1e-19 ? Math.exp(y) : Math.exp(Math.log1p(l * y) / l);
}

function boxCox(x: number, l: number): number {
  return Math.abs(l) < 1e-19 ? Math.log(x) : Math.expm1(l * Math.log(x)) / l;
}

function variance(v: Float64Array): number {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let s = 0;
  for (const x of v) s += (x - mean) * (x - mean);
  return s / v.length;
}

/**
 * scikit-learn's objective as a function of λ: +∞ once the transformed variance underflows (a
 * spurious optimum otherwise). The λ-free term is summed once, not on every Brent step.
 */
function yeoJohnsonNegLogLikelihood(x: Float64Array): (l: number) => number {
  let s = 0;
  for (const xi of x) s += Math.sign(xi) * Math.log1p(Math.abs(xi));
  return (l) => {
    const v = variance(x.map((xi) => yeoJohnson(xi, l)));
    if (v < TINY) return Infinity;
    return -(-(x.length / 2) * Math.log(v) + (l - 1) * s);
  };
}

/**
 * −(scipy's boxcox_llf) as a function of λ, with the variance of x^λ taken in log space so large
 * |λ| cannot overflow or collapse; log x and its sum are computed once.
 */
function boxCoxNegLogLikelihood(x: Float64Array): (l: number) => number {
  const logx = x.map(Math.log);
  let sumLog = 0;
  for (const v of logx) sumLog += v;
  const logVarAtZero = Math.log(variance(logx));
  return (l) => {
    let logVar = logVarAtZero;
    if (l !== 0) {
      const y = logx.map((v) => l * v);
      let max = -Infinity;
      for (const v of y) max = Math.max(max, v);
      logVar = 2 * max + Math.log(variance(y.map((v) => Math.exp(v - max)))) - 2 * Math.log(Math.abs(l));
    }
    return -((l - 1) * sumLog - (x.length / 2) * logVar);
  };
}
