/**
 * SimpleImputer (scikit-learn's): fills missing values per column with a training statistic or a
 * constant. Numeric input (NaN or null missing) gives a Matrix; input holding strings (rows, a
 * column table, `{ columns }` as ColumnTransformer passes a categorical subset) is imputed as
 * categories ('most_frequent' or 'constant') and comes back in the same form, strings filled, so
 * it can feed OneHotEncoder / OrdinalEncoder in a Pipeline.
 */
import { readMatrix } from '../core/read-matrix.js';
import { DTypeError, EmptyInputError, ParamError, ShapeError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { describeValue, Matrix, type MatrixLike } from '../core/matrix.js';
import { bool, num, oneOf, optional, str, union, type ParamSpecs } from '../core/params.js';
import type { Column, Table } from '../data/table.js';
import { columnStats } from '../ops/column-stats.js';
import { columnBackend, requireCols, Transformer, TRANSFORMER_SPECS, type TransformerParams } from './base.js';
import { percentile, sortedColumn } from '../core/numeric.js';
import type { Category, CategoryColumns } from './encoders.js';

/** What a string-holding SimpleImputer takes and gives back (the same form out as in). */
export type ImputerCategoricalInput = readonly (readonly unknown[])[] | CategoryColumns | Table;
export type ImputerCategoricalOutput = (Category | null)[][] | { columns: (Category | null)[][] } | Table;

export interface SimpleImputerParams extends TransformerParams {
  /**
   * The fill of each column: its 'mean', 'median' or 'most_frequent' value at fit (categorical
   * input: 'most_frequent' or 'constant' only), or fillValue ('constant'). Default: 'mean'.
   */
  strategy: 'mean' | 'median' | 'most_frequent' | 'constant';
  /**
   * The 'constant' fill: a finite number for numeric input, a string (or number) for categorical
   * input; undefined means 0 for numeric input and 'missing_value' for categorical input, as
   * scikit-learn. Default: undefined.
   */
  fillValue: number | string | undefined;
  /**
   * What else marks a missing value besides null, undefined and NaN (which always do): a string
   * (categorical input) or a number. Default: NaN.
   */
  missingValues: number | string | null;
  /** Append one 0/1 column per column that had missing values at fit. Default: false. */
  addIndicator: boolean;
  /**
   * Keep columns with no observed value at fit (filled with 0) instead of dropping them (strategy
   * 'constant' keeps every column). Default: false.
   */
  keepEmptyFeatures: boolean;
}

const IMPUTER_SPECS: ParamSpecs<SimpleImputerParams> = {
  ...TRANSFORMER_SPECS,
  strategy: oneOf('mean', 'median', 'most_frequent', 'constant'),
  fillValue: optional(union(num({ finite: true }), str())),
  missingValues: union(oneOf(NaN, null), num(), str()),
  addIndicator: bool(),
  keepEmptyFeatures: bool(),
};

/** The fitted state of a categorical fit: one fill value per column (null: none was observed). */
interface CategoricalState {
  values: (Category | null)[];
  kept: number[];
  indicator: number[];
  cols: number;
  names?: string[];
}

export class SimpleImputer extends Transformer<SimpleImputerParams> {
  private state: { statistics: Float64Array; kept: number[]; indicator: number[]; cols: number } | undefined;
  private categorical: CategoricalState | undefined;

  constructor(params: Partial<SimpleImputerParams> = {}) {
    super({ strategy: 'mean', fillValue: undefined, missingValues: NaN, addIndicator: false, keepEmptyFeatures: false, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<SimpleImputerParams> {
    return IMPUTER_SPECS;
  }

  /** The fill value of each column (NaN for a column with no observed value); numeric fits only. */
  get statistics(): Float64Array {
    if (this.categorical) throw new DTypeError('SimpleImputer.statistics: this imputer was fitted on categories (strings); read categoricalStatistics');
    return Float64Array.from(this.fitted(this.state).statistics);
  }

  /** The fill value of each column of a categorical fit (null for a column with no observed value). */
  get categoricalStatistics(): (Category | null)[] {
    if (this.state) throw new DTypeError('SimpleImputer.categoricalStatistics: this imputer was fitted on numbers; read statistics');
    return [...this.fitted(this.categorical).values];
  }

  async fit(X: MatrixLike | ImputerCategoricalInput, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      if (holdsCategories(X)) {
        this.categorical = this.fitCategorical(X);
        this.state = undefined;
        return this;
      }
      if (typeof this.params.fillValue === 'string' && this.params.strategy === 'constant') {
        throw new ParamError(
          `SimpleImputer: fillValue ${JSON.stringify(this.params.fillValue)} is a string but X is numeric; give a number fillValue to impute numbers`,
        );
      }
      const m = numericMissing(readMatrix(X as MatrixLike, 'SimpleImputer.fit: X', { nonFinite: 'missing' }), this.params.missingValues);
      const statistics = new Float64Array(m.cols);
      const strategy = this.params.strategy;
      if (strategy === 'mean') {
        const s = await columnStats(m, { nonFinite: 'ignore', backend: (await columnBackend(this.params.backend, m.data.length, 'SimpleImputer')).backend });
        statistics.set(s.mean);
      } else if (strategy === 'constant') {
        statistics.fill((this.params.fillValue as number | undefined) ?? 0);
      } else {
        for (let c = 0; c < m.cols; c++) {
          const s = sortedColumn(m, c);
          statistics[c] = strategy === 'median' ? percentile(s, 50) : mostFrequent(s);
        }
      }
      const kept: number[] = [],
        indicator: number[] = [];
      for (let c = 0; c < m.cols; c++) {
        if (!Number.isNaN(statistics[c]) || this.params.keepEmptyFeatures || strategy === 'constant') kept.push(c);
        let missing = false;
        for (let r = 0; r < m.rows && !missing; r++) missing = Number.isNaN(m.data[r * m.cols + c]);
        if (missing) indicator.push(c);
      }
      this.state = { statistics, kept, indicator, cols: m.cols };
      this.categorical = undefined;
      return this;
    });
  }

  override async fitTransform(X: MatrixLike, y?: unknown, opts?: CallOptions): Promise<Matrix<Float64Array>>;
  override async fitTransform(
    X: MatrixLike | ImputerCategoricalInput,
    y?: unknown,
    opts?: CallOptions,
  ): Promise<Matrix<Float64Array> | ImputerCategoricalOutput>;
  override async fitTransform(
    X: MatrixLike | ImputerCategoricalInput,
    y?: unknown,
    opts: CallOptions = {},
  ): Promise<Matrix<Float64Array> | ImputerCategoricalOutput> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }

  async transform(X: MatrixLike, opts?: CallOptions): Promise<Matrix<Float64Array>>;
  async transform(X: MatrixLike | ImputerCategoricalInput, opts?: CallOptions): Promise<Matrix<Float64Array> | ImputerCategoricalOutput>;
  async transform(X: MatrixLike | ImputerCategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array> | ImputerCategoricalOutput> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      if (this.categorical) return this.transformCategorical(X);
      const st = this.fitted(this.state);
      const m = numericMissing(readMatrix(X as MatrixLike, 'SimpleImputer.transform: X', { nonFinite: 'missing' }), this.params.missingValues);
      requireCols(m, st.cols, 'SimpleImputer.transform: X');
      const fill = st.statistics.map((v) => (Number.isNaN(v) ? 0 : v));
      const b = await columnBackend(this.params.backend, m.data.length, 'SimpleImputer');
      const filled = await b.kernels.affineColumns(m.data, m.rows, m.cols, new Float64Array(m.cols), new Float64Array(m.cols).fill(1), fill);
      const extra = this.params.addIndicator ? st.indicator.length : 0;
      const width = st.kept.length + extra;
      if (width === m.cols && extra === 0) return new Matrix(filled, m.rows, m.cols);
      const out = new Float64Array(m.rows * width);
      for (let r = 0; r < m.rows; r++) {
        st.kept.forEach((c, j) => (out[r * width + j] = filled[r * m.cols + c]));
        for (let j = 0; j < extra; j++) out[r * width + st.kept.length + j] = Number.isNaN(m.data[r * m.cols + st.indicator[j]]) ? 1 : 0;
      }
      return new Matrix(out, m.rows, width);
    });
  }

  /** Is v missing: null, undefined, NaN, or equal to missingValues. */
  private isMissing(v: unknown): boolean {
    const mv = this.params.missingValues;
    return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (mv !== null && v === mv);
  }

  private fitCategorical(X: ImputerCategoricalInput): CategoricalState {
    const { strategy, keepEmptyFeatures } = this.params;
    const { cols, n, names } = readColumns(X, 'SimpleImputer.fit: X');
    if (strategy === 'mean' || strategy === 'median') {
      const c = cols.findIndex((col) => Array.from(col).some((v) => typeof v === 'string'));
      const v = Array.from(cols[c]).find((x) => typeof x === 'string');
      throw new ParamError(
        `SimpleImputer: strategy '${strategy}' needs numeric data, but column ${c} holds strings (${JSON.stringify(v)}); use strategy 'most_frequent' or 'constant' for categorical columns`,
      );
    }
    const values: (Category | null)[] = [],
      kept: number[] = [],
      indicator: number[] = [];
    cols.forEach((col, c) => {
      const counts = new Map<Category, number>();
      let missing = false;
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (this.isMissing(v)) {
          missing = true;
          continue;
        }
        if (typeof v !== 'string' && typeof v !== 'number') {
          throw new DTypeError(
            `SimpleImputer.fit: X[${i}][${c}] is ${describeValue(v)}; categorical values must be strings or numbers (null, undefined or NaN for missing)`,
          );
        }
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const value = strategy === 'constant' ? (this.params.fillValue ?? 'missing_value') : mostFrequentCategory(counts);
      values.push(value);
      if (value !== null || keepEmptyFeatures) kept.push(c);
      if (missing) indicator.push(c);
    });
    return { values, kept, indicator, cols: cols.length, ...(names ? { names } : {}) };
  }

  private transformCategorical(X: MatrixLike | ImputerCategoricalInput): ImputerCategoricalOutput {
    const st = this.categorical!;
    const input =
      X instanceof Matrix
        ? { cols: Array.from({ length: X.cols }, (_, c) => Array.from({ length: X.rows }, (_, r) => X.data[r * X.cols + c])), n: X.rows, names: undefined }
        : readColumns(X as ImputerCategoricalInput, 'SimpleImputer.transform: X');
    const { cols, n } = input;
    if (cols.length !== st.cols) throw new ShapeError(`SimpleImputer.transform: X has ${cols.length} columns but the imputer was fitted with ${st.cols}`);
    const out: (Category | null)[][] = st.kept.map((c) => {
      const col = cols[c],
        fill = st.values[c] ?? 0,
        filled = new Array<Category | null>(n);
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (this.isMissing(v)) filled[i] = fill;
        else if (typeof v === 'string' || typeof v === 'number') filled[i] = v;
        else
          throw new DTypeError(
            `SimpleImputer.transform: X[${i}][${c}] is ${describeValue(v)}; categorical values must be strings or numbers (null, undefined or NaN for missing)`,
          );
      }
      return filled;
    });
    if (this.params.addIndicator) for (const c of st.indicator) out.push(Array.from({ length: n }, (_, i) => (this.isMissing(cols[c][i]) ? 1 : 0)));
    if (Array.isArray(X)) return Array.from({ length: n }, (_, i) => out.map((col) => col[i]));
    if (input.names) {
      const names = [
        ...st.kept.map((c) => input.names![c]),
        ...(this.params.addIndicator ? st.indicator.map((c) => `missingindicator_${input.names![c]}`) : []),
      ];
      return { rows: n, columns: Object.fromEntries(names.map((name, j) => [name, out[j] as Column])) };
    }
    return { columns: out };
  }
}

/** Does X hold categories (some string in rows, or a non-numeric column of a table / `{ columns }`)? */
function holdsCategories(X: unknown): X is ImputerCategoricalInput {
  if (X instanceof Matrix || X === null || typeof X !== 'object') return false;
  if (Array.isArray(X)) return X.some((r) => Array.isArray(r) && r.some((v) => typeof v === 'string'));
  const cols = (X as { columns?: unknown }).columns;
  if (cols === null || typeof cols !== 'object') return false;
  return Object.values(cols).some((c) => !(c instanceof Float64Array) && !(c instanceof Float32Array));
}

/** Categorical input as columns (names for a table). */
function readColumns(X: ImputerCategoricalInput, name: string): { cols: ArrayLike<unknown>[]; n: number; names: string[] | undefined } {
  let cols: ArrayLike<unknown>[], names: string[] | undefined;
  if (Array.isArray(X)) {
    const rows = X as readonly (readonly unknown[])[];
    if (rows.length === 0 || !Array.isArray(rows[0]) || rows[0].length === 0) throw new EmptyInputError(`${name} is empty`);
    const width = rows[0].length;
    cols = Array.from({ length: width }, () => new Array(rows.length));
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== width)
        throw new ShapeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, row 0 has ${width}`);
      for (let c = 0; c < width; c++) (cols[c] as unknown[])[i] = r[c];
    });
  } else if (X && typeof X === 'object' && (X as { columns?: unknown }).columns && typeof (X as { columns?: unknown }).columns === 'object') {
    const given = (X as CategoryColumns | Table).columns;
    if (Array.isArray(given)) cols = [...given];
    else {
      names = Object.keys(given);
      cols = Object.values(given as Record<string, Column>);
    }
    if (cols.length === 0 || cols[0].length === 0) throw new EmptyInputError(`${name} is empty`);
    cols.forEach((col, c) => {
      if (col.length !== cols[0].length) throw new ShapeError(`${name}: column ${c} has ${col.length} values, column 0 has ${cols[0].length}`);
    });
  } else {
    throw new DTypeError(`${name} must be a Matrix, rows, a column table or { columns }`);
  }
  return { cols, n: cols[0].length, names };
}

/** Numeric input with a numeric missingValues other than NaN: those values become NaN (a copy). */
function numericMissing(m: Matrix, missingValues: number | string | null): Matrix {
  if (typeof missingValues !== 'number' || Number.isNaN(missingValues)) return m;
  if (!m.data.includes(missingValues)) return m;
  return new Matrix(
    Float64Array.from(m.data, (v) => (v === missingValues ? NaN : v)),
    m.rows,
    m.cols,
  );
}

/** The most frequent category; on ties the smallest (numbers before strings, strings by code point), as scikit-learn. */
function mostFrequentCategory(counts: Map<Category, number>): Category | null {
  let best: Category | null = null,
    bestCount = 0;
  for (const [v, k] of counts) {
    if (k > bestCount || (k === bestCount && best !== null && before(v, best))) [best, bestCount] = [v, k];
  }
  return best;
}

function before(a: Category, b: Category): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'number') return true;
  if (typeof b === 'number') return false;
  return a < b;
}

/** The most frequent value of sorted values (the smallest on ties, as scikit-learn); NaN when empty. */
function mostFrequent(sorted: Float64Array): number {
  let best = NaN,
    bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) [best, bestCount] = [sorted[i], j - i];
    i = j;
  }
  return best;
}
