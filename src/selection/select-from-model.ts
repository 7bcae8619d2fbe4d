/**
 * SelectFromModel (scikit-learn's): keeps the features whose importance in a fitted model
 * (|coef|, or impurity importances) reaches a threshold — a number, 'mean', 'median', or a
 * scaled one such as '1.25*mean' — optionally capped at the maxFeatures most important.
 */
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { bool, custom, int, num, optional, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { cloneDeep } from '../compose/params-path.js';
import { argsortStable } from '../ops/sort.js';
import { ESTIMATOR, featureImportances, IMPORTANCE_GETTER, type ImportanceGetter, requireEstimator } from './model-based.js';
import { Selector } from './selector.js';

export interface SelectFromModelParams {
  /** The model whose importances decide (cloned and fitted on fit unless prefit). Default: undefined (required). */
  estimator: any;
  /**
   * Features with importance >= threshold are kept: a number, 'mean', 'median' or 'k*mean' /
   * 'k*median' (e.g. '1.25*mean'); undefined is 1e-5 for an L1 model (Lasso), else 'mean'. Default: undefined.
   */
  threshold: number | string | undefined;
  /** The estimator is already fitted: use it as it is, fit only reads the importances. Default: false. */
  prefit: boolean;
  /** Norm over the rows of a coefficient matrix (one row per class) when reducing it to one importance per feature. Default: 1. */
  normOrder: number;
  /** Keep at most this many (the most important passing the threshold); undefined: no cap. Default: undefined. */
  maxFeatures: number | undefined;
  /** 'auto' (coef, else featureImportances), 'coef', 'featureImportances', or a function of the fitted model. Default: 'auto'. */
  importanceGetter: ImportanceGetter;
}

const THRESHOLD = custom<string>(
  "'mean', 'median', or 'k*mean' / 'k*median' with a number k",
  (v) => typeof v === 'string' && /^\s*(\d*\.?\d+(e[+-]?\d+)?\s*\*\s*)?(mean|median)\s*$/i.test(v),
  {
    probes: ['average'],
  },
);
const SPECS: ParamSpecs<SelectFromModelParams> = {
  estimator: ESTIMATOR,
  threshold: optional(union(num(), THRESHOLD)),
  prefit: bool(),
  normOrder: num({ min: 1 }),
  maxFeatures: optional(int({ min: 0 })),
  importanceGetter: IMPORTANCE_GETTER,
};

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort(),
    n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The threshold as a number for these importances (scikit-learn's _calculate_threshold). */
export function thresholdValue(t: number | string | undefined, scores: Float64Array, estimator: any): number {
  if (t === undefined) {
    const l1 = estimator?.constructor?.name?.includes('Lasso') || estimator?.getParams?.().penalty === 'l1';
    t = l1 ? 1e-5 : 'mean';
  }
  if (typeof t === 'number') return t;
  const m = /^\s*(?:(\d*\.?\d+(?:e[+-]?\d+)?)\s*\*\s*)?(mean|median)\s*$/i.exec(t)!;
  const base = m[2].toLowerCase() === 'mean' ? scores.reduce((a, b) => a + b, 0) / scores.length : median(scores);
  return (m[1] === undefined ? 1 : Number(m[1])) * base;
}

export class SelectFromModel extends Selector<SelectFromModelParams> {
  private estimatorFit: any;
  private thresholdFit: number | undefined;
  private importancesFit: Float64Array | undefined;

  constructor(params: Partial<SelectFromModelParams> = {}) {
    super({ estimator: undefined, threshold: undefined, prefit: false, normOrder: 1, maxFeatures: undefined, importanceGetter: 'auto' }, params);
  }

  protected get paramSpecs(): ParamSpecs<SelectFromModelParams> {
    return SPECS;
  }

  /** The fitted model (scikit-learn's estimator_). */
  get estimator(): any {
    return this.fitted(this.estimatorFit);
  }
  /** The threshold as a number (scikit-learn's threshold_). */
  get threshold(): number {
    return this.fitted(this.thresholdFit);
  }
  /** One importance per input feature, as compared with the threshold. */
  get importances(): Float64Array {
    return Float64Array.from(this.fitted(this.importancesFit));
  }

  async fit(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const fn = 'SelectFromModel.fit';
      const given = requireEstimator(this.params.estimator, fn);
      const m = readMatrix(X, `${fn}: X`, { nonFinite: 'keep' });
      let est = given;
      if (!this.params.prefit) {
        est = cloneDeep(given);
        await est.fit(m, y, ...(opts.signal ? [{ signal: opts.signal }] : []));
      }
      const scores = featureImportances(est, this.params.importanceGetter, { normOrder: this.params.normOrder }, fn);
      if (scores.length !== m.cols) throw new ParamError(`${fn}: the model gives ${scores.length} importances but X has ${m.cols} features`);
      const { maxFeatures } = this.params;
      if (maxFeatures !== undefined && maxFeatures > m.cols) throw new ParamError(`${fn}: maxFeatures=${maxFeatures} is more than the ${m.cols} features`);
      const threshold = this.params.threshold === undefined && maxFeatures !== undefined ? -Infinity : thresholdValue(this.params.threshold, scores, given);
      let mask = Array.from(scores, (s) => s >= threshold);
      if (maxFeatures !== undefined) {
        const top = new Set(argsortStable(scores.map((s) => -s)).slice(0, maxFeatures));
        mask = mask.map((k, j) => k && top.has(j));
      }
      this.setSupport(mask, `no importance reaches the threshold ${threshold}; lower it`);
      this.estimatorFit = est;
      this.thresholdFit = threshold;
      this.importancesFit = scores;
    });
  }
}
