/** SimpleImputer (scikit-learn's): fills NaN per column with a training statistic or a constant. */
import { ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { columnStats } from '../ops/column-stats.js';
import { columnBackend, percentile, readNumeric, requireCols, sortedColumn, Transformer, type TransformerParams } from './base.js';

export interface SimpleImputerParams extends TransformerParams {
  strategy: 'mean' | 'median' | 'most_frequent' | 'constant';
  fillValue: number;
  /** Append one 0/1 column per column that had missing values at fit. */
  addIndicator: boolean;
  /** Keep columns with no observed value at fit (filled with 0) instead of dropping them. */
  keepEmptyFeatures: boolean;
}

export class SimpleImputer extends Transformer<SimpleImputerParams> {
  private state: { statistics: Float64Array; kept: number[]; indicator: number[]; cols: number } | undefined;

  constructor(params: Partial<SimpleImputerParams> = {}) {
    super({ strategy: 'mean', fillValue: 0, addIndicator: false, keepEmptyFeatures: false, backend: undefined }, params);
  }

  protected checkParams(p: SimpleImputerParams): void {
    if (!['mean', 'median', 'most_frequent', 'constant'].includes(p.strategy)) {
      throw new ParamError(`SimpleImputer: strategy must be mean, median, most_frequent or constant, got ${JSON.stringify(p.strategy)}`);
    }
    if (typeof p.fillValue !== 'number' || !Number.isFinite(p.fillValue)) throw new ParamError('SimpleImputer: fillValue must be a finite number');
  }

  /** The fill value of each column (NaN for a column with no observed value). */
  get statistics(): Float64Array {
    return Float64Array.from(this.fitted(this.state).statistics);
  }

  async fit(X: MatrixLike): Promise<this> {
    const m = readNumeric(X, 'SimpleImputer.fit: X');
    const statistics = new Float64Array(m.cols);
    const strategy = this.params.strategy;
    if (strategy === 'mean') {
      const s = await columnStats(m, { nonFinite: 'ignore', backend: (await columnBackend(this.params.backend, m.data.length, 'SimpleImputer')).name });
      statistics.set(s.mean);
    } else if (strategy === 'constant') {
      statistics.fill(this.params.fillValue);
    } else {
      for (let c = 0; c < m.cols; c++) {
        const s = sortedColumn(m, c);
        statistics[c] = strategy === 'median' ? percentile(s, 50) : mostFrequent(s);
      }
    }
    const kept: number[] = [], indicator: number[] = [];
    for (let c = 0; c < m.cols; c++) {
      if (!Number.isNaN(statistics[c]) || this.params.keepEmptyFeatures || strategy === 'constant') kept.push(c);
      let missing = false;
      for (let r = 0; r < m.rows && !missing; r++) missing = Number.isNaN(m.data[r * m.cols + c]);
      if (missing) indicator.push(c);
    }
    this.state = { statistics, kept, indicator, cols: m.cols };
    return this;
  }

  async transform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const st = this.fitted(this.state);
    const m = readNumeric(X, 'SimpleImputer.transform: X');
    requireCols(m, st.cols, 'SimpleImputer.transform: X');
    const fill = st.statistics.map((v) => (Number.isNaN(v) ? 0 : v));
    const b = await columnBackend(this.params.backend, m.data.length, 'SimpleImputer');
    const filled = await b.affineColumns!(m.data, m.rows, m.cols, new Float64Array(m.cols), new Float64Array(m.cols).fill(1), fill);
    const extra = this.params.addIndicator ? st.indicator.length : 0;
    const width = st.kept.length + extra;
    if (width === m.cols && extra === 0) return new Matrix(filled, m.rows, m.cols);
    const out = new Float64Array(m.rows * width);
    for (let r = 0; r < m.rows; r++) {
      st.kept.forEach((c, j) => (out[r * width + j] = filled[r * m.cols + c]));
      for (let j = 0; j < extra; j++) out[r * width + st.kept.length + j] = Number.isNaN(m.data[r * m.cols + st.indicator[j]]) ? 1 : 0;
    }
    return new Matrix(out, m.rows, width);
  }
}

/** The most frequent value of sorted values (the smallest on ties, as scikit-learn); NaN when empty. */
function mostFrequent(sorted: Float64Array): number {
  let best = NaN, bestCount = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) [best, bestCount] = [sorted[i], j - i];
    i = j;
  }
  return best;
}
