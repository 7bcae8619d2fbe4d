/** Categorical input and the shared encoder base; OrdinalEncoder (scikit-learn's). OneHotEncoder is in one-hot.ts. */
import type { CsrMatrix } from '../core/csr.js';
import { DTypeError, EmptyInputError, ParamError, ShapeError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';

export type Category = string | number;
/** Column-oriented categories (e.g. string columns from readParquet): no row arrays are built. */
export interface CategoryColumns {
  readonly columns: readonly ArrayLike<Category | null>[];
}
/** Rows of category values (strings or numbers), a numeric Matrix, or columns. */
export type CategoricalInput = readonly (readonly Category[])[] | Matrix | CategoryColumns;

/** The input as validated columns (column-major: hot loops read one column at a time). */
export interface Columns { cols: ArrayLike<Category>[]; n: number }

function readCategories(X: CategoricalInput, name: string): Columns {
  let cols: ArrayLike<unknown>[];
  if (X instanceof Matrix) {
    cols = Array.from({ length: X.cols }, (_, c) => Float64Array.from({ length: X.rows }, (_, r) => X.data[r * X.cols + c]));
  } else if (Array.isArray(X)) {
    if (X.length === 0 || !Array.isArray(X[0]) || X[0].length === 0) throw new EmptyInputError(`${name} is empty`);
    const width = X[0].length;
    cols = Array.from({ length: width }, () => new Array(X.length));
    for (let i = 0; i < X.length; i++) {
      const r = X[i];
      if (!Array.isArray(r) || r.length !== width) throw new ShapeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, row 0 has ${width}`);
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
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c];
    if (col instanceof Float64Array) {
      for (let i = 0; i < col.length; i++) if (!Number.isFinite(col[i])) throw new DTypeError(`${name}[${i}][${c}] is ${col[i]}; categories must be strings or finite numbers — impute missing values first`);
      continue;
    }
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new DTypeError(`${name}[${i}][${c}] is ${JSON.stringify(v)}; categories must be strings or finite numbers — impute missing values first`);
      }
    }
  }
  return { cols: cols as ArrayLike<Category>[], n: cols[0].length };
}

/** Sorted distinct values: numbers numerically, strings by code point, numbers before strings. */
function sortedCategories(values: Category[]): Category[] {
  return [...new Set(values)].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : a < b ? -1 : a > b ? 1 : 0);
}

export abstract class CategoryEncoder<P extends object> extends Estimator<P> {
  protected cats: Category[][] | undefined;

  /** Sorted categories of each column. */
  get categories(): Category[][] {
    return this.fitted(this.cats).map((c) => [...c]);
  }

  async fit(X: CategoricalInput, y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const input = readCategories(X, `${this.constructor.name}.fit: X`);
      this.cats = input.cols.map((col) => {
        const seen = new Set<Category>();
        for (let i = 0; i < input.n; i++) seen.add(col[i]);
        return sortedCategories([...seen]);
      });
      this.learn(input);
      return this;
    });
  }

  /** What a subclass learns from the training columns beyond the categories. */
  protected learn(_input: Columns): void {}

  async fitTransform(X: CategoricalInput, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array> | CsrMatrix> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }

  /** Dense, or CSR for the sparse encoders (one-hot with sparseOutput, hashing). */
  abstract transform(X: CategoricalInput, opts?: CallOptions): Promise<Matrix<Float64Array> | CsrMatrix>;

  protected columnsFor(X: CategoricalInput, method: string): Columns {
    const fittedCats = this.fitted(this.cats);
    const input = readCategories(X, `${this.constructor.name}.${method}: X`);
    if (input.cols.length !== fittedCats.length) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${input.cols.length} columns but the encoder was fitted with ${fittedCats.length}`);
    }
    return input;
  }
}

export interface OrdinalEncoderParams {
  /** 'error' rejects unseen categories; 'use_encoded_value' maps them to unknownValue. */
  handleUnknown: 'error' | 'use_encoded_value';
  unknownValue: number;
}

export class OrdinalEncoder extends CategoryEncoder<OrdinalEncoderParams> {
  constructor(params: Partial<OrdinalEncoderParams> = {}) {
    super({ handleUnknown: 'error', unknownValue: NaN }, params);
  }

  protected checkParams(p: OrdinalEncoderParams): void {
    if (p.handleUnknown !== 'error' && p.handleUnknown !== 'use_encoded_value') throw new ParamError("OrdinalEncoder: handleUnknown must be 'error' or 'use_encoded_value'");
  }

  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { cols, n } = this.columnsFor(X, 'transform');
      const index = this.cats!.map((cs) => new Map(cs.map((v, i) => [v, i])));
      const width = cols.length;
      const out = new Float64Array(n * width);
      for (let c = 0; c < width; c++) {
        const col = cols[c], map = index[c];
        for (let i = 0; i < n; i++) {
          const k = map.get(col[i]);
          if (k === undefined && this.params.handleUnknown === 'error') {
            throw new ParamError(`OrdinalEncoder.transform: X[${i}][${c}] = ${JSON.stringify(col[i])} was not seen at fit; pass handleUnknown: 'use_encoded_value'`);
          }
          out[i * width + c] = k ?? this.params.unknownValue;
        }
      }
      return new Matrix(out, n, width);
    });
  }

  /** Codes back to categories (unknown codes give null). */
  async inverseTransform(X: Matrix): Promise<(Category | null)[][]> {
    const cats = this.fitted(this.cats);
    return X.toArray().map((r) => r.map((v, c) => cats[c][v] ?? null));
  }
}
