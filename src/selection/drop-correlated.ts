/**
 * DropCorrelatedFeatures: a correlation filter. Of every pair of features whose absolute
 * correlation (Pearson or Spearman) is above the threshold, one is dropped: the one less related
 * to the target when y is given (|Pearson correlation| with a numeric target, the ANOVA F-value
 * for class labels), else the later column. Pairs are visited from the most correlated down,
 * and a pair one of whose features is already dropped is skipped, so a chain a~b~c where a and c
 * are not correlated may keep both a and c.
 */
import { dot } from '../core/numeric.js';
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { Label } from '../core/labels.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { num, oneOf, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { Selector } from './selector.js';
import { fClassif } from './univariate.js';

export interface DropCorrelatedFeaturesParams {
  /** Pairs with an absolute correlation above this (in (0, 1]) lose one feature. Default: 0.9. */
  threshold: number;
  /** 'pearson' (linear) or 'spearman' (rank, monotone relations). Default: 'pearson'. */
  method: 'pearson' | 'spearman';
  /** How y is read: 'auto' (strings are classes, numbers a continuous target), 'continuous' or 'classes'. Default: 'auto'. */
  targetType: 'auto' | 'continuous' | 'classes';
}

const SPECS: ParamSpecs<DropCorrelatedFeaturesParams> = {
  threshold: num({ min: 0, max: 1, minExclusive: true }),
  method: oneOf('pearson', 'spearman'),
  targetType: oneOf('auto', 'continuous', 'classes'),
};

/** Average ranks (ties share their mean rank), as scipy.stats.rankdata. */
function ranks(v: Float64Array): Float64Array {
  const order = Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
    for (let t = i; t <= j; t++) r[order[t]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Centred, unit-length columns (a constant column stays all zeros: correlation 0 with everything). */
function standardised(cols: Float64Array[]): Float64Array[] {
  return cols.map((c) => {
    const n = c.length;
    const mean = c.reduce((a, b) => a + b, 0) / n;
    const d = c.map((v) => v - mean);
    const norm = Math.sqrt(d.reduce((a, b) => a + b * b, 0));
    return norm > 0 ? d.map((v) => v / norm) : d.fill(0);
  });
}

export class DropCorrelatedFeatures extends Selector<DropCorrelatedFeaturesParams> {
  private relevanceFit: Float64Array | null | undefined;
  private pairsFit: { a: number; b: number; correlation: number }[] | undefined;

  constructor(params: Partial<DropCorrelatedFeaturesParams> = {}) {
    super({ threshold: 0.9, method: 'pearson', targetType: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<DropCorrelatedFeaturesParams> {
    return SPECS;
  }

  /** Each feature's relation to y that decided which of a pair stays (null when fitted without y). */
  get relevance(): Float64Array | null {
    const r = this.fitted(this.relevanceFit);
    return r === null ? null : Float64Array.from(r);
  }

  /** The pairs above the threshold, most correlated first (correlation signed). */
  get correlatedPairs(): { a: number; b: number; correlation: number }[] {
    return this.fitted(this.pairsFit).map((p) => ({ ...p }));
  }

  async fit(X: MatrixLike, y?: ArrayLike<Label>, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const fn = 'DropCorrelatedFeatures.fit';
      const m = readMatrix(X, `${fn}: X`);
      if (m.rows < 2) throw new ParamError(`${fn}: correlations need at least 2 rows, got ${m.rows}`);
      const spearman = this.params.method === 'spearman';
      const raw = Array.from({ length: m.cols }, (_, j) => Float64Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]));
      const cols = standardised(spearman ? raw.map(ranks) : raw);
      const relevance = y === undefined ? null : this.relevanceTo(m, raw, y, fn);
      const pairs: { a: number; b: number; correlation: number }[] = [];
      for (let a = 0; a < m.cols; a++) {
        for (let b = a + 1; b < m.cols; b++) {
          const r = dot(cols[a], cols[b]);
          if (Math.abs(r) > this.params.threshold) pairs.push({ a, b, correlation: r });
        }
      }
      pairs.sort((p, q) => Math.abs(q.correlation) - Math.abs(p.correlation) || p.a - q.a || p.b - q.b);
      const keep = new Array<boolean>(m.cols).fill(true);
      for (const { a, b } of pairs) {
        if (!keep[a] || !keep[b]) continue;
        const dropA = relevance !== null && relevance[a] < relevance[b];
        keep[dropA ? a : b] = false;
      }
      this.setSupport(keep, 'every feature was dropped');
      this.relevanceFit = relevance;
      this.pairsFit = pairs;
    });
  }

  private relevanceTo(m: Matrix, raw: Float64Array[], y: ArrayLike<Label>, fn: string): Float64Array {
    if (y.length !== m.rows) throw new ParamError(`${fn}: y has ${y.length} values but X has ${m.rows} rows; pass one per row`);
    const classes = this.params.targetType === 'classes' || (this.params.targetType === 'auto' && typeof y[0] === 'string');
    if (classes) return fClassif(m, y).scores.map((v) => (Number.isNaN(v) ? 0 : v));
    const yv = Float64Array.from(y as ArrayLike<number>, (v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new ParamError(`${fn}: y[${i}] is ${String(v)}; a continuous target must hold finite numbers (or set targetType: 'classes')`);
      return v;
    });
    const [ys] = standardised([yv]);
    return Float64Array.from(standardised(raw), (c) => Math.abs(dot(c, ys)));
  }
}
