/**
 * What every feature selector shares (scikit-learn's SelectorMixin): a fitted support mask over
 * the input columns; transform keeps the selected columns, inverseTransform puts zeros back in
 * the dropped ones, featureNamesOut names the kept ones. A selector is a Pipeline step like any
 * transformer, and its fitted state (the mask and the statistics that chose it) is data.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';
import { Transformer } from '../preprocessing/base.js';

export abstract class Selector<P extends object> extends Transformer<P> {
  /** 1 for a kept column, 0 for a dropped one (length: the fitted input width). */
  protected support: Uint8Array | undefined;

  /** The kept columns: a boolean mask, or their indices with `indices: true` (scikit-learn's get_support). */
  getSupport(indices?: false): boolean[];
  getSupport(indices: true): Int32Array;
  getSupport(indices = false): boolean[] | Int32Array {
    const s = this.fitted(this.support);
    if (!indices) return Array.from(s, (v) => v === 1);
    const out: number[] = [];
    s.forEach((v, j) => {
      if (v) out.push(j);
    });
    return Int32Array.from(out);
  }

  /** Input columns the selector was fitted on. */
  get nFeaturesIn(): number {
    return this.fitted(this.support).length;
  }

  /** Names of the kept columns (default input names x0, x1, …). */
  featureNamesOut(inputNames?: readonly string[]): string[] {
    const s = this.fitted(this.support);
    if (inputNames !== undefined && inputNames.length !== s.length) {
      throw new ShapeError(`${this.constructor.name}.featureNamesOut: got ${inputNames.length} input names but the selector was fitted on ${s.length} columns`);
    }
    const names = inputNames ?? Array.from(s, (_, j) => `x${j}`);
    return names.filter((_, j) => s[j] === 1);
  }

  /** The selected columns of X (NaN passes through: selection does not look at values). */
  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.support);
      const m = readMatrix(X, `${this.constructor.name}.transform: X`, { nonFinite: 'keep', features: s.length });
      const keep = this.getSupport(true);
      const out = new Float64Array(m.rows * keep.length);
      for (let i = 0; i < m.rows; i++) for (let t = 0; t < keep.length; t++) out[i * keep.length + t] = m.data[i * m.cols + keep[t]];
      return new Matrix(out, m.rows, keep.length);
    });
  }

  /** Rows of the selected columns back at full width, with zeros in the dropped columns. */
  async inverseTransform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const s = this.fitted(this.support);
    const keep = this.getSupport(true);
    const m = readMatrix(X, `${this.constructor.name}.inverseTransform: X`, { nonFinite: 'keep', features: keep.length });
    const out = new Float64Array(m.rows * s.length);
    for (let i = 0; i < m.rows; i++) for (let t = 0; t < keep.length; t++) out[i * s.length + keep[t]] = m.data[i * m.cols + t];
    return new Matrix(out, m.rows, s.length);
  }

  /** Stores a mask; selecting nothing is an error, as a model cannot fit on zero columns. */
  protected setSupport(mask: ArrayLike<boolean | number>, why: string): void {
    const s = Uint8Array.from(mask as ArrayLike<number>, (v) => (v ? 1 : 0));
    if (!s.some((v) => v === 1)) throw new ParamError(`${this.constructor.name}.fit: no feature was selected (${why})`);
    this.support = s;
  }
}
