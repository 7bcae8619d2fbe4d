/** Categorical input and the shared encoder base; OrdinalEncoder (scikit-learn's). OneHotEncoder is in one-hot.ts. */
import type { CsrMatrix } from '../core/csr.js';
import { DTypeError, EmptyInputError, ParamError, ShapeError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';
import { hint, list, num, oneOf, str, union, type ParamSpecs } from '../core/params.js';

export type Category = string | number;
/** A categorical column as codes into labels (a Frame's categorical column): −1 is missing. */
export interface CodedCategories {
  readonly codes: Int32Array;
  readonly labels: readonly string[];
}
/** Column-oriented categories (e.g. string columns from readParquet): no row arrays are built. */
export interface CategoryColumns {
  readonly columns: readonly ArrayLike<Category | null>[];
  /**
   * The same columns as codes into labels, where the caller has them (ColumnTransformer on a
   * Frame): an encoder that reads codes works per label, not per string, and never reads `columns`.
   */
  readonly coded?: readonly (CodedCategories | undefined)[];
}
/** Rows of category values (strings or numbers; null, undefined or NaN for missing), a numeric Matrix, or columns. */
export type CategoricalInput = readonly (readonly (Category | null | undefined)[])[] | Matrix | CategoryColumns;

/**
 * The input as validated columns (column-major: hot loops read one column at a time).
 * A missing value is null (only for encoders that accept missing values).
 */
export interface Columns {
  cols: ArrayLike<Category | null>[];
  n: number;
}

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function readCategories(X: CategoricalInput, name: string, allowMissing: boolean): Columns {
  let cols: ArrayLike<unknown>[];
  if (X instanceof Matrix) {
    cols = Array.from({ length: X.cols }, (_, c) => Float64Array.from({ length: X.rows }, (_, r) => X.data[r * X.cols + c]));
  } else if (Array.isArray(X)) {
    if (X.length === 0 || !Array.isArray(X[0]) || X[0].length === 0) throw new EmptyInputError(`${name} is empty`);
    const width = X[0].length;
    cols = Array.from({ length: width }, () => new Array(X.length));
    for (let i = 0; i < X.length; i++) {
      const r = X[i];
      if (!Array.isArray(r) || r.length !== width)
        throw new ShapeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, row 0 has ${width}`);
      for (let c = 0; c < width; c++) (cols[c] as unknown[])[i] = r[c];
    }
  } else if (X && Array.isArray((X as CategoryColumns).columns)) {
    cols = [...(X as CategoryColumns).columns];
    if (cols.length === 0 || cols[0].length === 0) throw new EmptyInputError(`${name} is empty`);
    cols.forEach((col, c) => {
      if (col.length !== cols[0].length) throw new ShapeError(`${name}: column ${c} has ${col.length} values, column 0 has ${cols[0].length}`);
    });
  } else {
    throw new DTypeError(`${name} must be rows of categories, a Matrix or { columns }`);
  }
  const fix = allowMissing ? '' : ' — impute missing values first';
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c];
    let missing = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) continue;
      if (allowMissing && isMissing(v)) {
        missing++;
        continue;
      }
      throw new DTypeError(`${name}[${i}][${c}] is ${typeof v === 'number' ? v : JSON.stringify(v)}; categories must be strings or finite numbers${fix}`);
    }
    // one marker for missing (null), on a copy: the caller's columns are not modified
    if (missing > 0) cols[c] = Array.from(col, (v) => (isMissing(v) ? null : v));
  }
  return { cols: cols as ArrayLike<Category | null>[], n: cols[0].length };
}

/** Every column of X as codes when X carries them all (same length, at least one row), else undefined. */
function codedColumns(X: CategoricalInput): readonly CodedCategories[] | undefined {
  const coded = (X as CategoryColumns | null)?.coded;
  if (!Array.isArray(coded) || coded.length === 0) return undefined;
  if (!coded.every((c) => c && c.codes instanceof Int32Array && Array.isArray(c.labels))) return undefined;
  const n = coded[0].codes.length;
  return n > 0 && coded.every((c) => c.codes.length === n) ? (coded as CodedCategories[]) : undefined;
}

/** The labels a coded column uses (null when a code is −1), each once: one pass over the codes, then the labels. */
function usedLabels({ codes, labels }: CodedCategories, name: string, c: number): Set<Category | null> {
  const used = new Uint8Array(labels.length + 1); // slot 0: missing
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (k < -1 || k >= labels.length) throw new DTypeError(`${name}: column ${c} has code ${k} at row ${i}, outside its ${labels.length} labels`);
    used[k + 1] = 1;
  }
  const seen = new Set<Category | null>();
  if (used[0]) seen.add(null);
  for (let k = 0; k < labels.length; k++) if (used[k + 1]) seen.add(labels[k]);
  return seen;
}

/** Sorted distinct values: numbers numerically, strings by code point, numbers before strings, missing (null) last. */
function sortedCategories(values: (Category | null)[]): (Category | null)[] {
  return [...new Set(values)].sort((a, b) =>
    a === null
      ? b === null
        ? 0
        : 1
      : b === null
        ? -1
        : typeof a === 'number' && typeof b === 'number'
          ? a - b
          : typeof a === 'number'
            ? -1
            : typeof b === 'number'
              ? 1
              : a < b
                ? -1
                : a > b
                  ? 1
                  : 0,
  );
}

export abstract class CategoryEncoder<P extends object> extends Estimator<P> {
  protected cats: (Category | null)[][] | undefined;

  /** Sorted categories of each column; null (missing, for encoders that accept it) sorts last. */
  get categories(): (Category | null)[][] {
    return this.fitted(this.cats).map((c) => [...c]);
  }

  async fit(X: CategoricalInput, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const name = `${this.constructor.name}.fit: X`;
      const coded = this.readsCodes ? codedColumns(X) : undefined;
      if (coded) {
        this.cats = coded.map((col, c) => this.categoriesOf(usedLabels(col, name, c), c));
        // the values only if the subclass reads them (it says it does not: readsCodes)
        const missing = this.acceptsMissing;
        this.learn({
          get cols() {
            return readCategories(X, name, missing).cols;
          },
          n: coded[0].codes.length,
        });
        return this;
      }
      const input = readCategories(X, name, this.acceptsMissing);
      this.cats = input.cols.map((col, c) => {
        const seen = new Set<Category | null>();
        for (let i = 0; i < input.n; i++) seen.add(col[i]);
        return this.categoriesOf(seen, c);
      });
      this.learn(input);
      return this;
    });
  }

  /** What a subclass learns from the training columns beyond the categories. */
  protected learn(_input: Columns): void {}

  /**
   * Whether this encoder fits and transforms `coded` columns (CategoryColumns) by their codes:
   * then fit learns the categories from the labels the codes use, and learn must not read cols.
   */
  protected get readsCodes(): boolean {
    return false;
  }

  /** The coded columns of X when this encoder reads codes and X carries them, checked against the fit. */
  protected codedFor(X: CategoricalInput, method: string): readonly CodedCategories[] | undefined {
    const coded = this.readsCodes ? codedColumns(X) : undefined;
    const fittedCats = this.fitted(this.cats);
    if (coded && coded.length !== fittedCats.length) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${coded.length} columns but the encoder was fitted with ${fittedCats.length}`);
    }
    return coded;
  }

  /** Whether missing values (null, undefined, NaN) are accepted as a category of their own. */
  protected get acceptsMissing(): boolean {
    return false;
  }

  /** The categories of column c from the values seen at fit: sorted, missing last. */
  protected categoriesOf(seen: Set<Category | null>, _c: number): (Category | null)[] {
    return sortedCategories([...seen]);
  }

  async fitTransform(X: CategoricalInput, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array> | CsrMatrix> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }

  /** Dense, or CSR for the sparse encoders (one-hot with sparseOutput, hashing). */
  abstract transform(X: CategoricalInput, opts?: CallOptions): Promise<Matrix<Float64Array> | CsrMatrix>;

  protected columnsFor(X: CategoricalInput, method: string): Columns {
    const fittedCats = this.fitted(this.cats);
    const input = readCategories(X, `${this.constructor.name}.${method}: X`, this.acceptsMissing);
    if (input.cols.length !== fittedCats.length) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${input.cols.length} columns but the encoder was fitted with ${fittedCats.length}`);
    }
    return input;
  }
}

export interface OrdinalEncoderParams {
  /**
   * What transform does with a category not seen at fit: 'error' refuses it; 'use_encoded_value'
   * codes it as unknownValue. Default: 'error'.
   */
  handleUnknown: 'error' | 'use_encoded_value';
  /** The code of an unseen category under handleUnknown 'use_encoded_value' (a number or NaN). Default: NaN. */
  unknownValue: number;
  /** The code of a missing value (null, undefined, NaN), which passes through (a number or NaN). Default: NaN. */
  encodedMissingValue: number;
  /**
   * 'auto': the sorted categories seen at fit. Or the categories of each column, in the order to
   * code them 0, 1, …; a value outside its column's list at fit is an error. Default: 'auto'.
   */
  categories: 'auto' | readonly (readonly Category[])[];
}

const CATEGORY = union(str(), num({ finite: true }));

const ORDINAL_SPECS: ParamSpecs<OrdinalEncoderParams> = {
  handleUnknown: oneOf('error', 'use_encoded_value'),
  unknownValue: union(oneOf(NaN), num()),
  encodedMissingValue: union(oneOf(NaN), num()),
  categories: union(oneOf('auto'), hint(list(list(CATEGORY, { minLength: 1, distinct: true })), "one list per column, e.g. [['low', 'mid', 'high']]")),
};

export class OrdinalEncoder extends CategoryEncoder<OrdinalEncoderParams> {
  constructor(params: Partial<OrdinalEncoderParams> = {}) {
    super({ handleUnknown: 'error', unknownValue: NaN, encodedMissingValue: NaN, categories: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<OrdinalEncoderParams> {
    return ORDINAL_SPECS;
  }

  protected override get acceptsMissing(): boolean {
    return true;
  }

  /** Explicit categories in the given order (every value seen must be listed); missing values pass through. */
  protected override categoriesOf(seen: Set<Category | null>, c: number): (Category | null)[] {
    const explicit = this.params.categories;
    if (explicit === 'auto') return super.categoriesOf(seen, c);
    if (c >= explicit.length) throw new ShapeError(`OrdinalEncoder.fit: X has more columns than categories lists (${explicit.length})`);
    const listed = new Set<Category | null>(explicit[c]);
    const unlisted = [...seen].filter((v) => v !== null && !listed.has(v));
    if (unlisted.length)
      throw new ParamError(
        `OrdinalEncoder.fit: column ${c} has ${unlisted.map((v) => JSON.stringify(v)).join(', ')}, not in its categories (${explicit[c].map((v) => JSON.stringify(v)).join(', ')}); add them to the list`,
      );
    return seen.has(null) ? [...explicit[c], null] : [...explicit[c]];
  }

  /** Codes are read directly: the categories come from the labels, and transform looks each label up once. */
  protected override get readsCodes(): boolean {
    return true;
  }

  protected override learn(): void {
    const explicit = this.params.categories,
      width = this.cats!.length; // not input.cols: coded input is not decoded for this
    if (explicit !== 'auto' && explicit.length !== width)
      throw new ShapeError(`OrdinalEncoder.fit: X has ${width} columns but categories lists ${explicit.length}`);
  }

  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const coded = this.codedFor(X, 'transform');
      // missing (null) has no code: it passes through as encodedMissingValue
      const index = this.fitted(this.cats).map((cs) => new Map<Category | null, number>(cs.map((v, i) => [v, i])));
      for (const map of index) map.set(null, this.params.encodedMissingValue);
      if (coded) return this.transformCodes(coded, index);
      const { cols, n } = this.columnsFor(X, 'transform');
      const width = cols.length;
      const out = new Float64Array(n * width);
      for (let c = 0; c < width; c++) {
        const col = cols[c],
          map = index[c];
        for (let i = 0; i < n; i++) {
          const k = map.get(col[i]);
          if (k === undefined && this.params.handleUnknown === 'error') throw this.unseen(i, c, col[i]);
          out[i * width + c] = k ?? this.params.unknownValue;
        }
      }
      return new Matrix(out, n, width);
    });
  }

  private unseen(i: number, c: number, v: Category | null): ParamError {
    return new ParamError(`OrdinalEncoder.transform: X[${i}][${c}] = ${JSON.stringify(v)} was not seen at fit; pass handleUnknown: 'use_encoded_value'`);
  }

  /** transform of coded columns: each label's code looked up once, then a table per column. */
  private transformCodes(coded: readonly CodedCategories[], index: Map<Category | null, number>[]): Matrix<Float64Array> {
    const n = coded[0].codes.length,
      width = coded.length,
      out = new Float64Array(n * width);
    const strict = this.params.handleUnknown === 'error';
    for (let c = 0; c < width; c++) {
      const { codes, labels } = coded[c],
        map = index[c];
      // slot 0: missing (code −1); NaN in `known` marks a label not seen at fit under 'error'
      const table = new Float64Array(labels.length + 1),
        known = new Uint8Array(labels.length + 1);
      for (let k = 0; k <= labels.length; k++) {
        const v = map.get(k === 0 ? null : labels[k - 1]);
        known[k] = v === undefined && strict ? 0 : 1;
        table[k] = v ?? this.params.unknownValue;
      }
      for (let i = 0; i < n; i++) {
        const k = codes[i] + 1;
        if (!(k >= 0 && k <= labels.length))
          throw new ParamError(`OrdinalEncoder.transform: column ${c} has code ${k - 1} at row ${i}, outside its ${labels.length} labels`);
        if (!known[k]) throw this.unseen(i, c, k === 0 ? null : labels[k - 1]);
        out[i * width + c] = table[k];
      }
    }
    return new Matrix(out, n, width);
  }

  /** Codes back to categories (unknown and missing codes give null). */
  async inverseTransform(X: Matrix): Promise<(Category | null)[][]> {
    const cats = this.fitted(this.cats);
    return X.toArray().map((r) => r.map((v, c) => (Number.isInteger(v) ? (cats[c][v] ?? null) : null)));
  }
}
