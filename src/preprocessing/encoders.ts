/** Categorical encoders (scikit-learn's OneHotEncoder and OrdinalEncoder) for columns of strings or numbers. */
import { DTypeError, EmptyInputError, ParamError, ShapeError } from '../core/errors.js';
import { Estimator } from '../core/estimator.js';
import { CsrMatrix } from '../core/csr.js';
import { Matrix } from '../core/matrix.js';

export type Category = string | number;
/** Rows of category values (strings or numbers), or a numeric Matrix. */
export type CategoricalInput = readonly (readonly Category[])[] | Matrix;

function readCategories(X: CategoricalInput, name: string): Category[][] {
  const rows: Category[][] = X instanceof Matrix ? X.toArray() : (X as Category[][]);
  if (!Array.isArray(rows)) throw new DTypeError(`${name} must be rows of categories`);
  if (rows.length === 0 || !Array.isArray(rows[0]) || rows[0].length === 0) throw new EmptyInputError(`${name} is empty`);
  const cols = rows[0].length;
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== cols) throw new ShapeError(`${name}: row ${i} has ${Array.isArray(r) ? r.length : 'no'} values, row 0 has ${cols}`);
    r.forEach((v, c) => {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new DTypeError(`${name}[${i}][${c}] is ${JSON.stringify(v)}; categories must be strings or finite numbers`);
      }
    });
  });
  return rows;
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
    const rows = readCategories(X, `${this.constructor.name}.fit: X`);
    this.cats = rows[0].map((_, c) => sortedCategories(rows.map((r) => r[c])));
    return this;
  }

  async fitTransform(X: CategoricalInput): Promise<Matrix<Float64Array>> {
    return (await this.fit(X)).transform(X);
  }

  abstract transform(X: CategoricalInput): Promise<Matrix<Float64Array>>;

  protected rowsFor(X: CategoricalInput, method: string): Category[][] {
    const rows = readCategories(X, `${this.constructor.name}.${method}: X`);
    if (rows[0].length !== this.fitted(this.cats).length) {
      throw new ShapeError(`${this.constructor.name}.${method}: X has ${rows[0].length} columns but the encoder was fitted with ${this.cats!.length}`);
    }
    return rows;
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
    const rows = this.rowsFor(X, 'transform');
    const cats = this.cats!;
    const index = cats.map((cs) => new Map(cs.map((v, i) => [v, i])));
    const offsets: number[] = [];
    let width = 0;
    cats.forEach((cs, c) => {
      offsets.push(width);
      width += cs.length - (this.dropped(c) ? 1 : 0);
    });
    // the output column of every cell (−1: unknown or dropped), then dense or CSR from it
    const nCols = cats.length, hot = new Int32Array(rows.length * nCols);
    rows.forEach((r, i) => r.forEach((v, c) => {
      const k = index[c].get(v);
      if (k === undefined && this.params.handleUnknown === 'error') {
        throw new ParamError(`OneHotEncoder.transform: X[${i}][${c}] = ${JSON.stringify(v)} was not seen at fit; pass handleUnknown: 'ignore' to encode it as zeros`);
      }
      const pos = k === undefined ? -1 : k - (this.dropped(c) ? 1 : 0);
      hot[i * nCols + c] = pos >= 0 ? offsets[c] + pos : -1;
    }));
    if (!this.params.sparseOutput) {
      const out = new Float64Array(rows.length * width);
      hot.forEach((col, j) => { if (col >= 0) out[Math.floor(j / nCols) * width + col] = 1; });
      return new Matrix(out, rows.length, width);
    }
    const indptr = new Int32Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) {
      let n = 0;
      for (let c = 0; c < nCols; c++) if (hot[i * nCols + c] >= 0) n++;
      indptr[i + 1] = indptr[i] + n;
    }
    const indices = new Int32Array(indptr[rows.length]);
    let k = 0;
    for (const col of hot) if (col >= 0) indices[k++] = col; // offsets ascend with c: rows stay sorted
    return new CsrMatrix(indptr, indices, new Float64Array(indices.length).fill(1), rows.length, width);
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
    const rows = this.rowsFor(X, 'transform');
    const index = this.cats!.map((cs) => new Map(cs.map((v, i) => [v, i])));
    const cols = this.cats!.length;
    const out = new Float64Array(rows.length * cols);
    rows.forEach((r, i) => r.forEach((v, c) => {
      const k = index[c].get(v);
      if (k === undefined && this.params.handleUnknown === 'error') {
        throw new ParamError(`OrdinalEncoder.transform: X[${i}][${c}] = ${JSON.stringify(v)} was not seen at fit; pass handleUnknown: 'use_encoded_value'`);
      }
      out[i * cols + c] = k ?? this.params.unknownValue;
    }));
    return new Matrix(out, rows.length, cols);
  }

  /** Codes back to categories (unknown codes give null). */
  async inverseTransform(X: Matrix): Promise<(Category | null)[][]> {
    const cats = this.fitted(this.cats);
    return X.toArray().map((r) => r.map((v, c) => cats[c][v] ?? null));
  }
}
