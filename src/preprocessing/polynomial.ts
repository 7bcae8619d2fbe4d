/** PolynomialFeatures (scikit-learn's): all monomials of the inputs up to a degree. */
import { readMatrix } from '../core/read-matrix.js';
import { allocArray, AllocError, MAX_GENERATED_COLUMNS } from '../core/alloc.js';
import { ParamError } from '../core/errors.js';
import { bool, int, type ParamSpecs } from '../core/params.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { requireCols, Transformer } from './base.js';

export interface PolynomialFeaturesParams {
  /** The highest total degree of the monomials, an integer >= 0. Default: 2. */
  degree: number;
  /** Only products of distinct inputs (no x², x³, …). Default: false. */
  interactionOnly: boolean;
  /** Start with a constant-1 column (the degree-0 term). Default: true. */
  includeBias: boolean;
}

const POLYNOMIAL_SPECS: ParamSpecs<PolynomialFeaturesParams> = { degree: int({ min: 0 }), interactionOnly: bool(), includeBias: bool() };

export class PolynomialFeatures extends Transformer<PolynomialFeaturesParams> {
  /** Index lists of the inputs multiplied into each output column, in scikit-learn's order. */
  private terms: number[][] | undefined;
  private nInputs = 0;

  constructor(params: Partial<PolynomialFeaturesParams> = {}) {
    super({ degree: 2, interactionOnly: false, includeBias: true }, params);
  }

  protected get paramSpecs(): ParamSpecs<PolynomialFeaturesParams> {
    return POLYNOMIAL_SPECS;
  }

  get nOutputFeatures(): number {
    return this.fitted(this.terms).length;
  }

  /** Exponent of each input in each output column (rows = outputs). */
  get powers(): number[][] {
    return this.fitted(this.terms).map((t) => {
      const row = new Array<number>(this.nInputs).fill(0);
      for (const i of t) row[i]++;
      return row;
    });
  }

  featureNamesOut(inputNames?: string[]): string[] {
    const names = inputNames ?? Array.from({ length: this.nInputs }, (_, i) => `x${i}`);
    return this.powers.map((row) => {
      const parts = row.flatMap((e, i) => (e === 0 ? [] : [e === 1 ? names[i] : `${names[i]}^${e}`]));
      return parts.length ? parts.join(' ') : '1';
    });
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'PolynomialFeatures.fit: X', { nonFinite: 'missing' });
      const { degree, interactionOnly, includeBias } = this.params;
      const count = outputCount(m.cols, degree, interactionOnly, includeBias);
      if (count > MAX_GENERATED_COLUMNS) {
        throw new AllocError(
          `PolynomialFeatures.fit: degree ${degree} on ${m.cols} columns gives ${count.toExponential(3)} output columns, ` +
            `more than the ${MAX_GENERATED_COLUMNS.toLocaleString('en-US')} kiln generates; lower degree, set interactionOnly, or select fewer columns`,
        );
      }
      const terms: number[][] = includeBias ? [[]] : [];
      // combinations (with replacement unless interactionOnly) of each size, in lexicographic order
      let level: number[][] = [[]];
      for (let d = 1; d <= degree; d++) {
        const next: number[][] = [];
        for (const t of level) {
          const from = t.length === 0 ? 0 : t[t.length - 1] + (interactionOnly ? 1 : 0);
          for (let i = from; i < m.cols; i++) next.push([...t, i]);
        }
        terms.push(...next);
        level = next;
      }
      if (terms.length === 0)
        throw new ParamError('PolynomialFeatures: degree 0 without includeBias gives no output columns; set includeBias: true or degree >= 1');
      this.terms = terms;
      this.nInputs = m.cols;
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const terms = this.fitted(this.terms);
      const m = readMatrix(X, 'PolynomialFeatures.transform: X', { nonFinite: 'missing' });
      requireCols(m, this.nInputs, 'PolynomialFeatures.transform: X');
      const w = terms.length;
      const out = allocArray(
        Float64Array,
        `PolynomialFeatures.transform: ${m.rows} rows × ${w} output columns`,
        [m.rows, w],
        'transform fewer rows at a time or lower degree',
      );
      // each term is its prefix term times one input: reuse the prefix column (one multiply per output)
      const column = new Map(terms.map((t, j) => [t.join(','), j]));
      const prefix = terms.map((t) => (t.length <= 1 ? -1 : column.get(t.slice(0, -1).join(','))!));
      for (let r = 0; r < m.rows; r++) {
        const x = r * m.cols,
          o = r * w;
        for (let j = 0; j < w; j++) {
          const t = terms[j];
          out[o + j] = t.length === 0 ? 1 : t.length === 1 ? m.data[x + t[0]] : out[o + prefix[j]] * m.data[x + t[t.length - 1]];
        }
      }
      return new Matrix(out, m.rows, w);
    });
  }
}

/**
 * Output columns for `cols` inputs up to `degree`, in closed form (a float: may be huge):
 * C(cols + degree, cols) monomials, or Σ_{d ≤ degree} C(cols, d) for interactions only; minus
 * the constant without a bias.
 */
function outputCount(cols: number, degree: number, interactionOnly: boolean, includeBias: boolean): number {
  let total = 0;
  if (interactionOnly) {
    for (let d = 0, c = 1; d <= Math.min(degree, cols); d++, c = (c * (cols - d + 1)) / d) total += c;
  } else {
    total = 1;
    for (let i = 1; i <= cols; i++) total = (total * (degree + i)) / i;
  }
  return Math.round(total) - (includeBias ? 0 : 1);
}
