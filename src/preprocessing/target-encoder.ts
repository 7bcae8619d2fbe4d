/**
 * TargetEncoder (scikit-learn 1.3's): each category becomes a shrunk mean of the target —
 * λ·(category mean) + (1 − λ)·(global mean), λ from the empirical-Bayes rule ('auto') or a fixed
 * smoothing weight. fitTransform cross-fits (each row encoded by a model that never saw it), so
 * a downstream model does not learn from its own labels; transform uses the full-data encoding.
 */
import { ParamError } from '../core/errors.js';
import { bool, int, num, oneOf, union, type ParamSpecs } from '../core/params.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';
import { KFold } from '../data/split/kfold.js';
import { StratifiedKFold } from '../data/split/stratified-kfold.js';
import { CategoryEncoder, type CategoricalInput, type Category, type Columns } from './encoders.js';

export interface TargetEncoderParams {
  /**
   * Shrinkage towards the global target mean: 'auto' (empirical Bayes: a category's own mean
   * weighs more the more rows it has and the less they spread) or m >= 0, encoding = (sum + m·globalMean) / (count + m). Default: 'auto'.
   */
  smooth: 'auto' | number;
  /** Cross-fitting folds in fitTransform (stratified for a binary target), an integer >= 2. Default: 5. */
  cv: number;
  /** Shuffle the rows before splitting them into cross-fitting folds. Default: true. */
  shuffle: boolean;
  /** Seed of the fold shuffle (any integer). Default: 0. */
  randomState: number;
  /**
   * 'continuous', 'binary', or 'auto': binary when the target has two distinct values (encoded
   * 0/1 in sorted order), continuous otherwise. Default: 'auto'.
   */
  targetType: 'auto' | 'continuous' | 'binary';
}

const TARGET_SPECS: ParamSpecs<TargetEncoderParams> = {
  smooth: union(oneOf('auto'), num({ min: 0 })),
  cv: int({ min: 2 }),
  shuffle: bool(),
  randomState: int(),
  targetType: oneOf('auto', 'continuous', 'binary'),
};

interface Encoding {
  maps: Map<Category | null, number>[];
  mean: number;
}

export class TargetEncoder extends CategoryEncoder<TargetEncoderParams> {
  private encoding: Encoding | undefined;

  constructor(params: Partial<TargetEncoderParams> = {}) {
    super({ smooth: 'auto', cv: 5, shuffle: true, randomState: 0, targetType: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<TargetEncoderParams> {
    return TARGET_SPECS;
  }

  /** The global target mean (what unseen categories get). */
  get targetMean(): number {
    return this.fitted(this.encoding).mean;
  }

  override async fit(X: CategoricalInput, y?: ArrayLike<number | string>, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, () => this.fitOnce(X, y));
  }

  /** Cross-fitted encoding of the training data (use this, not fit().transform(), on training rows). */
  override async fitTransform(X: CategoricalInput, y?: ArrayLike<number | string>, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('fitTransform', opts, SIGNAL_ONLY);
    let fitted: Awaited<ReturnType<TargetEncoder['fitOnce']>> | undefined;
    await this.transaction(opts.signal, async () => {
      fitted = await this.fitOnce(X, y);
    });
    const { input, values, binary } = fitted!;
    const { cv, shuffle, randomState } = this.params;
    const options = shuffle ? { nSplits: cv, shuffle, randomState } : { nSplits: cv };
    const folds = binary ? new StratifiedKFold(options).split(values, Array.from(values)) : new KFold(options).split(values);
    const out = new Float64Array(input.n * input.cols.length);
    for (const { train, test } of folds) this.fill(out, input, this.encode(input, values, train), test);
    return new Matrix(out, input.n, input.cols.length);
  }

  /** Fits categories and the full-data encoding from one validated read of X; returns what cross-fitting needs. */
  private async fitOnce(X: CategoricalInput, y: ArrayLike<number | string> | undefined) {
    let fitted: { input: Columns; values: Float64Array; binary: boolean } | undefined;
    this.onLearn = (input) => {
      const { values, binary } = this.readTarget(y, input.n);
      this.encoding = this.encode(input, values, allRows(input.n));
      fitted = { input, values, binary };
    };
    try {
      await super.fit(X);
    } finally {
      this.onLearn = undefined;
    }
    return fitted!;
  }

  private onLearn: ((input: Columns) => void) | undefined;

  protected override learn(input: Columns): void {
    this.onLearn?.(input);
  }

  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const enc = this.fitted(this.encoding);
      const input = this.columnsFor(X, 'transform');
      const out = new Float64Array(input.n * input.cols.length);
      this.fill(out, input, enc, allRows(input.n));
      return new Matrix(out, input.n, input.cols.length);
    });
  }

  private fill(out: Float64Array, { cols }: Columns, enc: Encoding, rows: Int32Array): void {
    const w = cols.length;
    cols.forEach((col, c) => {
      for (const r of rows) out[r * w + c] = enc.maps[c].get(col[r]) ?? enc.mean;
    });
  }

  private readTarget(y: ArrayLike<number | string> | undefined, n: number): { values: Float64Array; binary: boolean } {
    if (y === undefined || y.length !== n)
      throw new ParamError(`TargetEncoder: y must have one target per row of X (${n}), got ${y === undefined ? 'none' : y.length}`);
    const distinct = [...new Set(Array.from(y))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const binary = this.params.targetType === 'binary' || (this.params.targetType === 'auto' && distinct.length === 2);
    if (binary) {
      if (distinct.length !== 2) throw new ParamError(`TargetEncoder: a binary target needs exactly 2 distinct values, y has ${distinct.length}`);
      return { values: Float64Array.from(y, (v) => (v === distinct[1] ? 1 : 0)), binary };
    }
    const values = Float64Array.from(y, Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ParamError(`TargetEncoder: y[${bad}] = ${JSON.stringify(y[bad])} is not a finite number; a continuous target must be numeric`);
    return { values, binary };
  }

  /** Encodings from the given rows only. */
  private encode({ cols }: Columns, y: Float64Array, rows: Int32Array): Encoding {
    let mean = 0;
    for (const r of rows) mean += y[r];
    mean /= rows.length;
    let variance = 0;
    for (const r of rows) variance += (y[r] - mean) ** 2;
    variance /= rows.length;
    const maps = cols.map((col) => {
      const sum = new Map<Category | null, number>(),
        count = new Map<Category | null, number>(),
        sq = new Map<Category | null, number>();
      for (const r of rows) {
        const v = col[r];
        sum.set(v, (sum.get(v) ?? 0) + y[r]);
        count.set(v, (count.get(v) ?? 0) + 1);
        sq.set(v, (sq.get(v) ?? 0) + (y[r] - mean) ** 2);
      }
      const enc = new Map<Category | null, number>();
      for (const [v, n] of count) {
        const s = sum.get(v)!;
        if (this.params.smooth === 'auto') {
          // λ = σ²·n / (σ²·n + s²), s² the category's mean squared deviation from the global mean
          const lambda = (variance * n) / (variance * n + sq.get(v)! / n);
          enc.set(v, Number.isNaN(lambda) ? mean : lambda * (s / n) + (1 - lambda) * mean);
        } else {
          enc.set(v, (s + this.params.smooth * mean) / (n + this.params.smooth));
        }
      }
      return enc;
    });
    return { maps, mean };
  }
}

function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
