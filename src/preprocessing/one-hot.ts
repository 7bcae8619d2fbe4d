/**
 * OneHotEncoder (scikit-learn's): one 0/1 column per category, dense or CSR, with unknown
 * handling, dropped categories, and infrequent categories grouped into one column.
 */
import { CsrMatrix } from '../core/csr.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { bool, int, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { CategoryEncoder, type CategoricalInput, type Category, type CodedCategories, type Columns } from './encoders.js';

export interface OneHotEncoderParams {
  /**
   * What transform does with a category not seen at fit: 'error' refuses it; 'ignore' encodes it
   * as all zeros; 'infrequent_if_exist' puts it in the column's infrequent group when there is
   * one (all zeros otherwise). Default: 'error'.
   */
  handleUnknown: 'error' | 'ignore' | 'infrequent_if_exist';
  /**
   * Drop the first category of every column ('first'), or of two-category columns only
   * ('if_binary'); undefined keeps every category. Not with minFrequency / maxCategories. Default: undefined.
   */
  drop: 'first' | 'if_binary' | undefined;
  /** Return a CsrMatrix (one nonzero per column and row) instead of a dense Matrix. Default: false. */
  sparseOutput: boolean;
  /**
   * Categories seen fewer times than this (a count >= 1, or a fraction in (0, 1) of the rows) are
   * grouped into one infrequent column; undefined groups none. Default: undefined.
   */
  minFrequency: number | undefined;
  /**
   * At most this many output columns per input column, the infrequent group included (the least
   * frequent categories are grouped); undefined: no limit. Default: undefined.
   */
  maxCategories: number | undefined;
}

const ONE_HOT_SPECS: ParamSpecs<OneHotEncoderParams> = {
  handleUnknown: oneOf('error', 'ignore', 'infrequent_if_exist'),
  drop: oneOf('first', 'if_binary', undefined),
  sparseOutput: bool(),
  minFrequency: optional(union(int({ min: 1 }), num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }))),
  maxCategories: optional(int({ min: 1 })),
};

/** Where each category of one input column lands: output position per category, −1 for none. */
interface ColumnLayout {
  pos: Int32Array;
  infrequentPos: number;
  width: number;
  infrequent: number[];
}

export class OneHotEncoder extends CategoryEncoder<OneHotEncoderParams> {
  private layouts: ColumnLayout[] | undefined;

  constructor(params: Partial<OneHotEncoderParams> = {}) {
    super({ handleUnknown: 'error', drop: undefined, sparseOutput: false, minFrequency: undefined, maxCategories: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<OneHotEncoderParams> {
    return ONE_HOT_SPECS;
  }

  protected override checkTogether(p: OneHotEncoderParams): void {
    if (p.drop !== undefined && (p.minFrequency !== undefined || p.maxCategories !== undefined)) {
      throw new ParamError('OneHotEncoder: drop together with infrequent categories (minFrequency/maxCategories) is not supported; use one of them');
    }
  }

  /** The categories grouped as infrequent, per column (empty without minFrequency/maxCategories). */
  get infrequentCategories(): (Category | null)[][] {
    const cats = this.fitted(this.cats);
    return this.layouts!.map((l, c) => l.infrequent.map((k) => cats[c][k]));
  }

  /** Missing values (null, undefined, NaN) are a category of their own, sorted last (scikit-learn ≥ 1.2). */
  protected override get acceptsMissing(): boolean {
    return true;
  }

  /** Codes are read directly unless infrequent categories need the counts of the values. */
  protected override get readsCodes(): boolean {
    return this.params.minFrequency === undefined && this.params.maxCategories === undefined;
  }

  protected override learn(input: Columns): void {
    this.layouts = this.cats!.map((cs, c) => this.layoutFor(cs, input, c));
  }

  /** Column c's layout; its values (input.cols, decoded when coded) are read only to count infrequent categories. */
  private layoutFor(cs: (Category | null)[], input: Columns, c: number): ColumnLayout {
    const { minFrequency, maxCategories, drop } = this.params;
    const infrequentMask = new Uint8Array(cs.length);
    if (minFrequency !== undefined || maxCategories !== undefined) {
      const { n } = input,
        col = input.cols[c];
      const index = new Map(cs.map((v, i) => [v, i])),
        count = new Float64Array(cs.length);
      for (let i = 0; i < n; i++) count[index.get(col[i])!]++;
      if (minFrequency !== undefined) {
        const min = minFrequency < 1 ? minFrequency * n : minFrequency;
        count.forEach((k, i) => {
          if (k < min) infrequentMask[i] = 1;
        });
      }
      const nInfrequent = infrequentMask.reduce((a, b) => a + b, 0);
      const features = cs.length - nInfrequent + (nInfrequent > 0 ? 1 : 0);
      if (maxCategories !== undefined && maxCategories < features) {
        // keep the (maxCategories − 1) most frequent; a stable sort decides ties as scikit-learn's mergesort does
        const order = Array.from(count.keys()).sort((a, b) => count[a] - count[b]);
        order.slice(0, Math.max(0, order.length - (maxCategories - 1))).forEach((i) => (infrequentMask[i] = 1));
      }
    }
    const pos = new Int32Array(cs.length).fill(-1),
      infrequent: number[] = [];
    const dropFirst = drop === 'first' || (drop === 'if_binary' && cs.length === 2);
    let width = 0;
    cs.forEach((_, i) => {
      if (infrequentMask[i]) infrequent.push(i);
      else if (!(dropFirst && i === 0)) pos[i] = width++;
    });
    const infrequentPos = infrequent.length ? width++ : -1;
    for (const i of infrequent) pos[i] = infrequentPos;
    return { pos, infrequentPos, width, infrequent };
  }

  /** Output names as scikit-learn writes them: `${inputName}_${category}`, `${inputName}_nan`, `${inputName}_infrequent_sklearn`. */
  featureNamesOut(inputNames?: string[]): string[] {
    const cats = this.fitted(this.cats);
    const names = inputNames ?? cats.map((_, c) => `x${c}`);
    return this.layouts!.flatMap((l, c) => {
      const out: string[] = [];
      cats[c].forEach((v, i) => {
        if (l.pos[i] >= 0 && l.pos[i] !== l.infrequentPos) out[l.pos[i]] = `${names[c]}_${v === null ? 'nan' : v}`;
      });
      if (l.infrequentPos >= 0) out[l.infrequentPos] = `${names[c]}_infrequent_sklearn`;
      return out;
    });
  }

  async transform(X: CategoricalInput, opts?: CallOptions): Promise<Matrix<Float64Array>>;
  async transform(X: CategoricalInput, opts?: CallOptions): Promise<Matrix<Float64Array> | CsrMatrix>;
  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array> | CsrMatrix> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const layouts = this.fitted(this.layouts);
      const offsets: number[] = [];
      let width = 0;
      for (const l of layouts) {
        offsets.push(width);
        width += l.width;
      }
      // the output column of every cell (−1: unknown or dropped), then dense or CSR from it
      const coded = this.codedFor(X, 'transform');
      const { hot, n } = coded ? this.hotFromCodes(coded, offsets) : this.hotFromValues(X, offsets);
      const nCols = layouts.length;
      if (!this.params.sparseOutput) {
        const out = new Float64Array(n * width);
        hot.forEach((col, j) => {
          if (col >= 0) out[Math.floor(j / nCols) * width + col] = 1;
        });
        return new Matrix(out, n, width);
      }
      // one pass, compacting hot in place (k <= j) to the nonzeros' columns: offsets ascend with c, so rows stay sorted
      const indptr = new Int32Array(n + 1);
      let k = 0;
      for (let i = 0, j = 0; i < n; i++) {
        for (let c = 0; c < nCols; c++, j++) if (hot[j] >= 0) hot[k++] = hot[j];
        indptr[i + 1] = k;
      }
      const indices = k < hot.length ? hot.slice(0, k) : hot;
      return new CsrMatrix(indptr, indices, new Float64Array(indices.length).fill(1), n, width);
    });
  }

  /** Where a category not seen at fit goes: the infrequent column under 'infrequent_if_exist', else nowhere (−1). */
  private unknownPos(l: ColumnLayout): number {
    return this.params.handleUnknown === 'infrequent_if_exist' ? l.infrequentPos : -1;
  }

  private unknownError(i: number, c: number, v: Category | null): ParamError {
    return new ParamError(
      `OneHotEncoder.transform: X[${i}][${c}] = ${JSON.stringify(v)} was not seen at fit; pass handleUnknown: 'ignore' to encode it as zeros`,
    );
  }

  private hotFromValues(X: CategoricalInput, offsets: number[]): { hot: Int32Array; n: number } {
    const { cols, n } = this.columnsFor(X, 'transform');
    const cats = this.cats!,
      layouts = this.layouts!;
    const nCols = cats.length,
      hot = new Int32Array(n * nCols);
    for (let c = 0; c < nCols; c++) {
      const col = cols[c],
        index = new Map(cats[c].map((v, i) => [v, i])),
        l = layouts[c];
      const unknownPos = this.unknownPos(l);
      for (let i = 0; i < n; i++) {
        const k = index.get(col[i]);
        if (k === undefined && this.params.handleUnknown === 'error') throw this.unknownError(i, c, col[i]);
        const pos = k === undefined ? unknownPos : l.pos[k];
        hot[i * nCols + c] = pos >= 0 ? offsets[c] + pos : -1;
      }
    }
    return { hot, n };
  }

  /** As hotFromValues, each label looked up once: the codes go through a table of output columns. */
  private hotFromCodes(coded: readonly CodedCategories[], offsets: number[]): { hot: Int32Array; n: number } {
    const cats = this.cats!,
      layouts = this.layouts!;
    const n = coded[0].codes.length,
      nCols = cats.length,
      hot = new Int32Array(n * nCols);
    const UNSEEN = -2; // a label not seen at fit, under handleUnknown 'error'
    for (let c = 0; c < nCols; c++) {
      const { codes, labels } = coded[c],
        index = new Map(cats[c].map((v, i) => [v, i])),
        l = layouts[c];
      const unknownPos = this.unknownPos(l);
      const place = (v: Category | null): number => {
        const k = index.get(v);
        if (k === undefined) return this.params.handleUnknown === 'error' ? UNSEEN : unknownPos >= 0 ? offsets[c] + unknownPos : -1;
        return l.pos[k] >= 0 ? offsets[c] + l.pos[k] : -1;
      };
      const table = Int32Array.from({ length: labels.length + 1 }, (_, k) => place(k === 0 ? null : labels[k - 1])); // slot 0: missing
      for (let i = 0; i < n; i++) {
        const k = codes[i];
        if (k < -1 || k >= labels.length)
          throw new ParamError(`OneHotEncoder.transform: column ${c} has code ${k} at row ${i}, outside its ${labels.length} labels`);
        const out = table[k + 1];
        if (out === UNSEEN) throw this.unknownError(i, c, k < 0 ? null : labels[k]);
        hot[i * nCols + c] = out;
      }
    }
    return { hot, n };
  }
}
