/** Categorical encoders (scikit-learn's OneHotEncoder and OrdinalEncoder) for columns of strings or numbers. */
import { DTypeError, EmptyInputError, ParamError, ShapeError } from '../core/errors.js';
import { Estimator } from '../core/estimator.js';
import { CsrMatrix } from '../core/csr.js';
import { Matrix } from '../core/matrix.js';

export type Category = string | number;
/** Column-oriented categories (e.g. string columns from readParquet): no row arrays are built. */
export interface CategoryColumns {
  readonly columns: readonly ArrayLike<Category | null>[];
}
/** Rows of category values (strings or numbers), a numeric Matrix, or columns. */
export type CategoricalInput = readonly (readonly Category[])[] | Matrix | CategoryColumns;

/** The input as validated columns (column-major: hot loops read one column at a time). */
interface Columns { cols: ArrayLike<Category>[]; n: number }

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

abstract class CategoryEncoder<P extends object> extends Estimator<P> {
  protected cats: Category[][] | undefined;

  /** Sorted categories of each column. */
  get categories(): Category[][] {
    return this.fitted(this.cats).map((c) => [...c]);
  }

  async fit(X: CategoricalInput): Promise<this> {
    const { cols, n } = readCategories(X, `${this.constructor.name}.fit: X`);
    this.cats = cols.map((col) => {
      const seen = new Set<Category>();
      for (let i = 0; i < n; i++) seen.add(col[i]);
      return sortedCategories([...seen]);
    });
    return this;
  }

  async fitTransform(X: CategoricalInput): Promise<Matrix<Float64Array>> {
    return (await this.fit(X)).transform(X);
  }

  abstract transform(X: CategoricalInput): Promise<Matrix<Float64Array>>;

  protected columnsFor(X: CategoricalInput, method: string): Columns {
    const fittedCats = this.fitted(this.cats);
    const input = readCategories(X, `${this.constructor.name}.${method}: X`);
    if (input.cols.length !== fittedCats.length) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${input.cols.length} columns but the encoder was fitted with ${fittedCats.length}`);
    }
    return input;
  }
}

export interface OneHotEncoderParams {
  /** 'error' rejects a category not seen at fit; 'ignore' encodes it as all zeros. */
  handleUnknown: 'error' | 'ignore';
  /** Drop the first category of every column, or of binary columns only. */
  drop: 'first' | 'if_binary' | undefined;
  /** Return a CsrMatrix (one nonzero per column and row) instead of a dense Matrix. */
  sparseOutput: boolean;
}

export class OneHotEncoder extends CategoryEncoder<OneHotEncoderParams> {
  constructor(params: Partial<OneHotEncoderParams> = {}) {
    super({ handleUnknown: 'error', drop: undefined, sparseOutput: false }, params);
  }

  protected checkParams(p: OneHotEncoderParams): void {
    if (p.handleUnknown !== 'error' && p.handleUnknown !== 'ignore') throw new ParamError("OneHotEncoder: handleUnknown must be 'error' or 'ignore'");
    if (p.drop !== undefined && p.drop !== 'first' && p.drop !== 'if_binary') throw new ParamError("OneHotEncoder: drop must be 'first', 'if_binary' or undefined");
    if (typeof p.sparseOutput !== 'boolean') throw new ParamError('OneHotEncoder: sparseOutput must be a boolean');
  }

  private dropped(c: number): boolean {
    const n = this.cats![c].length;
    return this.params.drop === 'first' || (this.params.drop === 'if_binary' && n === 2);
  }

  /** Output names as scikit-learn writes them: `${inputName}_${category}`. */
  featureNamesOut(inputNames?: string[]): string[] {
    const cats = this.fitted(this.cats);
    const names = inputNames ?? cats.map((_, c) => `x${c}`);
    return cats.flatMap((cs, c) => cs.slice(this.dropped(c) ? 1 : 0).map((v) => `${names[c]}_${v}`));
  }

  async transform(X: CategoricalInput): Promise<Matrix<Float64Array>>;
  async transform(X: CategoricalInput): Promise<Matrix<Float64Array> | CsrMatrix>;
  async transform(X: CategoricalInput): Promise<Matrix<Float64Array> | CsrMatrix> {
    const { cols, n } = this.columnsFor(X, 'transform');
    const cats = this.cats!;
    const index = cats.map((cs) => new Map(cs.map((v, i) => [v, i])));
    const offsets: number[] = [];
    let width = 0;
    cats.forEach((cs, c) => {
      offsets.push(width);
      width += cs.length - (this.dropped(c) ? 1 : 0);
    });
    // the output column of every cell (−1: unknown or dropped), then dense or CSR from it
    const nCols = cats.length, hot = new Int32Array(n * nCols);
    for (let c = 0; c < nCols; c++) {
      const col = cols[c], map = index[c], shift = this.dropped(c) ? 1 : 0;
      for (let i = 0; i < n; i++) {
        const k = map.get(col[i]);
        if (k === undefined && this.params.handleUnknown === 'error') {
          throw new ParamError(`OneHotEncoder.transform: X[${i}][${c}] = ${JSON.stringify(col[i])} was not seen at fit; pass handleUnknown: 'ignore' to encode it as zeros`);
        }
        const pos = k === undefined ? -1 : k - shift;
        hot[i * nCols + c] = pos >= 0 ? offsets[c] + pos : -1;
      }
    }
    if (!this.params.sparseOutput) {
      const out = new Float64Array(n * width);
      hot.forEach((col, j) => { if (col >= 0) out[Math.floor(j / nCols) * width + col] = 1; });
      return new Matrix(out, n, width);
    }
    const indptr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      let n = 0;
      for (let c = 0; c < nCols; c++) if (hot[i * nCols + c] >= 0) n++;
      indptr[i + 1] = indptr[i] + n;
    }
    const indices = new Int32Array(indptr[n]);
    let k = 0;
    for (const col of hot) if (col >= 0) indices[k++] = col; // offsets ascend with c: rows stay sorted
    return new CsrMatrix(indptr, indices, new Float64Array(indices.length).fill(1), n, width);
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

  async transform(X: CategoricalInput): Promise<Matrix<Float64Array>> {
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
  }

  /** Codes back to categories (unknown codes give null). */
  async inverseTransform(X: Matrix): Promise<(Category | null)[][]> {
    const cats = this.fitted(this.cats);
    return X.toArray().map((r) => r.map((v, c) => cats[c][v] ?? null));
  }
}
