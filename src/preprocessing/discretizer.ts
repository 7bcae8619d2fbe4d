/** KBinsDiscretizer (scikit-learn's): bins each column by equal width or by quantiles. */
import { readMatrix } from '../core/read-matrix.js';
import { allocArray, MAX_GENERATED_COLUMNS } from '../core/alloc.js';
import { ParamError } from '../core/errors.js';
import { int, oneOf, type ParamSpecs } from '../core/params.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { requireCols, Transformer } from './base.js';
import { linspace, percentile, sortedColumn } from '../core/numeric.js';

export interface KBinsDiscretizerParams {
  /** Bins per column, an integer from 2 to 2^20. Default: 5. */
  nBins: number;
  /** Bin edges: 'uniform' (equal widths between the column's min and max) or 'quantile' (equally populated bins). Default: 'quantile'. */
  strategy: 'uniform' | 'quantile';
  /** 'ordinal': one bin index per column; 'onehot': one 0/1 column per bin. Default: 'ordinal'. */
  encode: 'ordinal' | 'onehot';
}

const KBINS_SPECS: ParamSpecs<KBinsDiscretizerParams> = {
  nBins: int({ min: 2, max: MAX_GENERATED_COLUMNS }),
  strategy: oneOf('uniform', 'quantile'),
  encode: oneOf('ordinal', 'onehot'),
};

export class KBinsDiscretizer extends Transformer<KBinsDiscretizerParams> {
  private edges: Float64Array[] | undefined;

  constructor(params: Partial<KBinsDiscretizerParams> = {}) {
    super({ nBins: 5, strategy: 'quantile', encode: 'ordinal' }, params);
  }

  protected get paramSpecs(): ParamSpecs<KBinsDiscretizerParams> {
    return KBINS_SPECS;
  }

  /** Edges of each column's bins (a constant column has the single bin [-∞, ∞]). */
  get binEdges(): Float64Array[] {
    return this.fitted(this.edges).map((e) => Float64Array.from(e));
  }
  get nBinsPerFeature(): number[] {
    return this.fitted(this.edges).map((e) => e.length - 1);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const m = readMatrix(X, 'KBinsDiscretizer.fit: X', { nonFinite: 'missing' });
      const { nBins, strategy } = this.params;
      this.edges = [];
      for (let c = 0; c < m.cols; c++) {
        const s = sortedColumn(m, c);
        if (s.length === 0) throw new ParamError(`KBinsDiscretizer.fit: column ${c} has no observed value; impute or drop it first`);
        const lo = s[0],
          hi = s[s.length - 1];
        if (lo === hi) {
          this.edges.push(Float64Array.of(-Infinity, Infinity));
          continue;
        }
        let e = strategy === 'uniform' ? linspace(lo, hi, nBins + 1) : linspace(0, 100, nBins + 1).map((q) => percentile(s, q));
        // tied quantiles collapse bins, as scikit-learn removes edges within 1e-8 of the previous one
        if (strategy === 'quantile') e = e.filter((v, i) => i === 0 || v - e[i - 1] > 1e-8);
        this.edges.push(e);
      }
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const edges = this.fitted(this.edges);
      const m = readMatrix(X, 'KBinsDiscretizer.transform: X', { nonFinite: 'missing' });
      requireCols(m, edges.length, 'KBinsDiscretizer.transform: X');
      const onehot = this.params.encode === 'onehot';
      const offsets: number[] = [];
      let width = 0;
      for (const e of edges) {
        offsets.push(width);
        width += onehot ? e.length - 1 : 1;
      }
      const out = allocArray(
        Float64Array,
        `KBinsDiscretizer.transform: ${m.rows} rows × ${width} output columns`,
        [m.rows, width],
        "transform fewer rows at a time, use fewer bins, or encode: 'ordinal'",
      );
      for (let r = 0; r < m.rows; r++) {
        for (let c = 0; c < m.cols; c++) {
          const v = m.data[r * m.cols + c];
          if (Number.isNaN(v)) throw new ParamError(`KBinsDiscretizer.transform: X[${r}][${c}] is missing; impute before binning`);
          const bin = binOf(edges[c], v);
          if (onehot) out[r * width + offsets[c] + bin] = 1;
          else out[r * width + c] = bin;
        }
      }
      return new Matrix(out, m.rows, width);
    });
  }
}

/** numpy's searchsorted(edges[1:-1], v, side='right'): values on an inner edge go up. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 1,
    hi = edges.length - 1; // search the inner edges [1, len-1)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
