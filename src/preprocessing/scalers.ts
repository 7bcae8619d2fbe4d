/**
 * Scalers (scikit-learn's StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler,
 * Normalizer): statistics from the training data only (NaN ignored, kept NaN on
 * transform), the column map through the backend's f64 kernel.
 */
import { readMatrix } from '../core/read-matrix.js';
import { bool, num, oneOf, pair, type ParamSpecs } from '../core/params.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { requireFinite } from '../core/validate.js';
import { rowNorms } from '../ops/row-norms.js';
import { columnStats } from '../ops/column-stats.js';
import { columnBackend, requireCols, Transformer, TRANSFORMER_SPECS, type TransformerParams } from './base.js';
import { percentile, sortedColumn } from '../core/numeric.js';

/** A column-wise map out = (x − shift) · scale, with its inverse. */
abstract class AffineScaler<P extends TransformerParams> extends Transformer<P> {
  protected affine: { shift: Float64Array; scale: Float64Array } | undefined;

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const a = this.fitted(this.affine);
      const m = readMatrix(X, `${this.constructor.name}.transform: X`, { nonFinite: 'missing' });
      requireCols(m, a.shift.length, `${this.constructor.name}.transform: X`);
      const b = await columnBackend(this.params.backend, m.data.length, this.constructor.name);
      return new Matrix(await b.kernels.affineColumns(m.data, m.rows, m.cols, a.shift, a.scale, null), m.rows, m.cols);
    });
  }

  /** Maps transformed values back to the original scale. */
  async inverseTransform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const a = this.fitted(this.affine);
    const m = readMatrix(X, `${this.constructor.name}.inverseTransform: X`, { nonFinite: 'missing' });
    requireCols(m, a.shift.length, `${this.constructor.name}.inverseTransform: X`);
    const b = await columnBackend(this.params.backend, m.data.length, this.constructor.name);
    // x = y / scale + shift  ==  (y − (−shift · scale)) · (1 / scale)
    const inv = a.scale.map((s) => 1 / s),
      shift = a.shift.map((v, c) => -v * a.scale[c]);
    return new Matrix(await b.kernels.affineColumns(m.data, m.rows, m.cols, shift, inv, null), m.rows, m.cols);
  }

  protected async stats(X: MatrixLike) {
    const m = readMatrix(X, `${this.constructor.name}.fit: X`, { nonFinite: 'missing' });
    const s = await columnStats(m, { nonFinite: 'ignore', backend: (await columnBackend(this.params.backend, m.data.length, this.constructor.name)).backend });
    return { m, s };
  }
}

export interface StandardScalerParams extends TransformerParams {
  /** Subtract each column's mean. Default: true. */
  withMean: boolean;
  /** Divide each column by its standard deviation (ddof 0; a constant column is left unscaled). Default: true. */
  withStd: boolean;
}

const STANDARD_SPECS: ParamSpecs<StandardScalerParams> = { ...TRANSFORMER_SPECS, withMean: bool(), withStd: bool() };

export class StandardScaler extends AffineScaler<StandardScalerParams> {
  private fittedStats: { mean: Float64Array; variance: Float64Array; count: Float64Array } | undefined;

  constructor(params: Partial<StandardScalerParams> = {}) {
    super({ withMean: true, withStd: true, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<StandardScalerParams> {
    return STANDARD_SPECS;
  }

  get mean(): Float64Array {
    return Float64Array.from(this.fitted(this.fittedStats).mean);
  }
  /** Per-column variance (ddof 0). */
  get variance(): Float64Array {
    return Float64Array.from(this.fitted(this.fittedStats).variance);
  }
  /** √variance, with 0 replaced by 1. */
  get scale(): Float64Array {
    return this.fitted(this.affine).scale.map((s) => 1 / s);
  }
  /** Non-missing values seen per column. */
  get nSamplesSeen(): Float64Array {
    return Float64Array.from(this.fitted(this.fittedStats).count);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const { s } = await this.stats(X);
      const std = s.variance.map((v) => (v === 0 || Number.isNaN(v) ? 1 : Math.sqrt(v)));
      this.fittedStats = { mean: s.mean, variance: s.variance, count: s.count };
      this.affine = {
        shift: this.params.withMean ? s.mean.map((v) => (Number.isNaN(v) ? 0 : v)) : new Float64Array(s.mean.length),
        scale: this.params.withStd ? std.map((v) => 1 / v) : new Float64Array(s.mean.length).fill(1),
      };
      return this;
    });
  }
}

export interface MinMaxScalerParams extends TransformerParams {
  /** [min, max] of the transformed training data, with min < max. Default: [0, 1]. */
  featureRange: [number, number];
  /** Clip transformed values (of data outside the training range) to featureRange. Default: false. */
  clip: boolean;
}

const MIN_MAX_SPECS: ParamSpecs<MinMaxScalerParams> = { ...TRANSFORMER_SPECS, featureRange: pair(num({ finite: true }), '<'), clip: bool() };

export class MinMaxScaler extends AffineScaler<MinMaxScalerParams> {
  private range: { min: Float64Array; max: Float64Array } | undefined;

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    super({ featureRange: [0, 1], clip: false, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<MinMaxScalerParams> {
    return MIN_MAX_SPECS;
  }

  get dataMin(): Float64Array {
    return Float64Array.from(this.fitted(this.range).min);
  }
  get dataMax(): Float64Array {
    return Float64Array.from(this.fitted(this.range).max);
  }
  get dataRange(): Float64Array {
    const r = this.fitted(this.range);
    return r.max.map((v, c) => v - r.min[c]);
  }
  /** transform = x · scale + min */
  get scale(): Float64Array {
    return Float64Array.from(this.fitted(this.affine).scale);
  }
  get min(): Float64Array {
    const a = this.fitted(this.affine);
    return a.shift.map((v, c) => -v * a.scale[c]);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const { s } = await this.stats(X);
      const [lo, hi] = this.params.featureRange;
      const scale = s.min.map((v, c) => {
        const r = s.max[c] - v;
        return (hi - lo) / (r === 0 || Number.isNaN(r) ? 1 : r);
      });
      // x·scale + (lo − min·scale)  ==  (x − shift)·scale with shift = min − lo/scale
      this.affine = { scale, shift: s.min.map((v, c) => (Number.isNaN(v) ? 0 : v) - lo / scale[c]) };
      this.range = { min: s.min, max: s.max };
      return this;
    });
  }

  override async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const out = await super.transform(X);
      if (this.params.clip) {
        const [lo, hi] = this.params.featureRange;
        for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(hi, Math.max(lo, out.data[i]));
      }
      return out;
    });
  }
}

export class MaxAbsScaler extends AffineScaler<TransformerParams> {
  private maxAbsRaw: Float64Array | undefined;

  constructor(params: Partial<TransformerParams> = {}) {
    super({ backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<TransformerParams> {
    return TRANSFORMER_SPECS;
  }

  /** Per-column max |x| (NaN ignored). */
  get maxAbs(): Float64Array {
    return Float64Array.from(this.fitted(this.maxAbsRaw));
  }
  /** max |x| with 0 replaced by 1. */
  get scale(): Float64Array {
    return this.fitted(this.affine).scale.map((s) => 1 / s);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const { s } = await this.stats(X);
      const maxAbs = s.min.map((v, c) => Math.max(Math.abs(v), Math.abs(s.max[c])));
      this.affine = { shift: new Float64Array(maxAbs.length), scale: maxAbs.map((v) => 1 / (v === 0 || Number.isNaN(v) ? 1 : v)) };
      this.maxAbsRaw = maxAbs;
      return this;
    });
  }
}

export interface RobustScalerParams extends TransformerParams {
  /** Subtract each column's median. Default: true. */
  withCentering: boolean;
  /** Divide each column by its interquantile range (quantileRange; 0 is replaced by 1). Default: true. */
  withScaling: boolean;
  /** Percentiles [low, high] whose distance is the scale, 0 <= low < high <= 100. Default: [25, 75]. */
  quantileRange: [number, number];
}

const ROBUST_SPECS: ParamSpecs<RobustScalerParams> = {
  ...TRANSFORMER_SPECS,
  withCentering: bool(),
  withScaling: bool(),
  quantileRange: pair(num({ min: 0, max: 100 }), '<'),
};

export class RobustScaler extends AffineScaler<RobustScalerParams> {
  constructor(params: Partial<RobustScalerParams> = {}) {
    super({ withCentering: true, withScaling: true, quantileRange: [25, 75], backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<RobustScalerParams> {
    return ROBUST_SPECS;
  }

  /** Per-column median (0 without centring). */
  get center(): Float64Array {
    return Float64Array.from(this.fitted(this.affine).shift);
  }
  /** Per-column interquantile range, 0 replaced by 1 (1 without scaling). */
  get scale(): Float64Array {
    return this.fitted(this.affine).scale.map((s) => 1 / s);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'RobustScaler.fit: X', { nonFinite: 'missing' });
      const [qa, qb] = this.params.quantileRange;
      const shift = new Float64Array(m.cols),
        scale = new Float64Array(m.cols).fill(1);
      for (let c = 0; c < m.cols; c++) {
        const s = sortedColumn(m, c);
        if (this.params.withCentering) shift[c] = percentile(s, 50);
        if (this.params.withScaling) {
          const iqr = percentile(s, qb) - percentile(s, qa);
          scale[c] = 1 / (iqr === 0 || Number.isNaN(iqr) ? 1 : iqr);
        }
      }
      this.affine = { shift, scale };
      return this;
    });
  }
}

export interface NormalizerParams extends TransformerParams {
  /** The norm each row is scaled to 1 in: 'l2', 'l1' or 'max' (largest absolute value). Default: 'l2'. */
  norm: 'l2' | 'l1' | 'max';
}

const NORMALIZER_SPECS: ParamSpecs<NormalizerParams> = { ...TRANSFORMER_SPECS, norm: oneOf('l2', 'l1', 'max') };

/** Scales each row to unit norm (stateless; all-zero rows stay zero). */
export class Normalizer extends Transformer<NormalizerParams> {
  constructor(params: Partial<NormalizerParams> = {}) {
    super({ norm: 'l2', backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<NormalizerParams> {
    return NORMALIZER_SPECS;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      readMatrix(X, 'Normalizer.fit: X', { nonFinite: 'missing' });
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const m = readMatrix(X, 'Normalizer.transform: X', { nonFinite: 'missing' });
      // l2 through the row-norms kernel (it also refuses NaN, as scikit-learn's Normalizer does)
      const norms = this.params.norm === 'l2' ? await rowNorms(m, { backend: this.params.backend }) : otherNorms(m, this.params.norm);
      const out = new Float64Array(m.rows * m.cols);
      for (let r = 0; r < m.rows; r++) {
        const n = norms[r] === 0 ? 1 : norms[r];
        for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = m.data[r * m.cols + c] / n;
      }
      return new Matrix(out, m.rows, m.cols);
    });
  }
}

/** Row l1 or max-abs norms (NaN refused, as for l2). */
function otherNorms(m: Matrix, norm: 'l1' | 'max'): Float64Array {
  requireFinite(m, 'Normalizer.transform: X');
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let n = 0;
    for (let c = 0; c < m.cols; c++) {
      const v = Math.abs(m.data[r * m.cols + c]);
      n = norm === 'l1' ? n + v : Math.max(n, v);
    }
    out[r] = n;
  }
  return out;
}
