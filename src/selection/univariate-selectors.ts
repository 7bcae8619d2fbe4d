/**
 * scikit-learn's univariate selectors: score every feature against y with a score function
 * (fClassif, fRegression, chi2, mutualInfoClassif, mutualInfoRegression, or your own), then keep
 * the k best (SelectKBest), a percentile (SelectPercentile), or those whose p-value passes a
 * false-positive-rate, false-discovery-rate (Benjamini–Hochberg) or family-wise (Bonferroni) test.
 */
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { fn, int, num, oneOf, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { mutualInfoClassif, mutualInfoRegression } from './mutual-info.js';
import { Selector } from './selector.js';
import { chi2, fClassif, fRegression, type ScoreFunc } from './univariate.js';

/** A score function by name (saveable in a model file) or a function of your own. */
export type ScoreFuncOption = 'fClassif' | 'fRegression' | 'chi2' | 'mutualInfoClassif' | 'mutualInfoRegression' | ScoreFunc;

const NAMED: Record<string, ScoreFunc> = {
  fClassif: (X, y) => fClassif(X, y),
  fRegression: (X, y) => fRegression(X, y),
  chi2: (X, y) => chi2(X, y),
  mutualInfoClassif: (X, y) => mutualInfoClassif(X, y),
  mutualInfoRegression: (X, y) => mutualInfoRegression(X, y),
};
const SCORE_FUNC = union(fn(), oneOf('fClassif', 'fRegression', 'chi2', 'mutualInfoClassif', 'mutualInfoRegression'));

interface ScoreFuncParams {
  /**
   * Scores each feature against y: 'fClassif', 'fRegression', 'chi2', 'mutualInfoClassif',
   * 'mutualInfoRegression', or a function (X, y) => { scores, pvalues } | scores. Default: 'fClassif'.
   */
  scoreFunc: ScoreFuncOption;
}

/** Scores with NaN ranked lowest (scikit-learn's _clean_nans). */
function cleaned(scores: Float64Array): Float64Array {
  return scores.map((v) => (Number.isNaN(v) ? -Number.MAX_VALUE : v));
}

abstract class UnivariateSelector<P extends ScoreFuncParams> extends Selector<P> {
  private scoresFit: Float64Array | undefined;
  private pvaluesFit: Float64Array | null | undefined;

  /** Each feature's score (scikit-learn's scores_). */
  get scores(): Float64Array {
    return Float64Array.from(this.fitted(this.scoresFit));
  }

  /** Each feature's p-value, or null when the score function gives none (mutual information). */
  get pvalues(): Float64Array | null {
    const p = this.fitted(this.pvaluesFit);
    return p === null ? null : Float64Array.from(p);
  }

  protected abstract mask(scores: Float64Array, pvalues: Float64Array | null): boolean[];

  async fit(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    const name = `${this.constructor.name}.fit`;
    return this.transaction(opts.signal, async () => {
      if (y === undefined) throw new ParamError(`${name}: y is required; univariate selection scores each feature against the target`);
      const m = readMatrix(X, `${name}: X`);
      const f: ScoreFuncOption = this.params.scoreFunc;
      const score: ScoreFunc = typeof f === 'function' ? f : NAMED[f];
      const out = await score(m, y as ArrayLike<any>);
      const scores = out instanceof Float64Array ? out : out?.scores;
      const pvalues = out instanceof Float64Array ? null : (out?.pvalues ?? null);
      if (!(scores instanceof Float64Array) || scores.length !== m.cols) {
        throw new ParamError(`${name}: scoreFunc must return one score per feature (${m.cols}), as a Float64Array or { scores, pvalues }`);
      }
      if (pvalues !== null && (!(pvalues instanceof Float64Array) || pvalues.length !== m.cols)) {
        throw new ParamError(`${name}: scoreFunc's pvalues must be a Float64Array with one value per feature (${m.cols})`);
      }
      this.setSupport(this.mask(scores, pvalues), 'no score passed the criterion; relax it');
      this.scoresFit = Float64Array.from(scores);
      this.pvaluesFit = pvalues && Float64Array.from(pvalues);
    });
  }

  protected needPvalues(p: Float64Array | null): Float64Array {
    if (p === null) throw new ParamError(`${this.constructor.name}.fit: the score function gives no p-values; use SelectKBest or SelectPercentile with it`);
    return p;
  }
}

export interface SelectKBestParams extends ScoreFuncParams {
  /** How many features to keep (at most the number of features), or 'all'. Default: 10. */
  k: number | 'all';
}
const K_SPECS: ParamSpecs<SelectKBestParams> = { scoreFunc: SCORE_FUNC, k: union(int({ min: 0 }), oneOf('all')) };

/** Keeps the k highest-scoring features (ties: the later feature first, as scikit-learn's stable sort). */
export class SelectKBest extends UnivariateSelector<SelectKBestParams> {
  constructor(params: Partial<SelectKBestParams> = {}) {
    super({ scoreFunc: 'fClassif', k: 10 }, params);
  }
  protected get paramSpecs(): ParamSpecs<SelectKBestParams> {
    return K_SPECS;
  }
  protected mask(scores: Float64Array): boolean[] {
    const p = scores.length,
      k = this.params.k;
    if (k === 'all') return new Array(p).fill(true);
    if (k > p) throw new ParamError(`SelectKBest.fit: k=${k} is more than the ${p} features; use k <= ${p} or k: 'all'`);
    const s = cleaned(scores);
    const order = Array.from({ length: p }, (_, j) => j).sort((a, b) => s[a] - s[b] || a - b);
    const out = new Array(p).fill(false);
    for (const j of order.slice(p - k)) out[j] = true;
    return out;
  }
}

export interface SelectPercentileParams extends ScoreFuncParams {
  /** Percent of the features to keep, in [0, 100]. Default: 10. */
  percentile: number;
}
const PERCENTILE_SPECS: ParamSpecs<SelectPercentileParams> = { scoreFunc: SCORE_FUNC, percentile: num({ min: 0, max: 100 }) };

/** Keeps the highest-scoring percent of the features. */
export class SelectPercentile extends UnivariateSelector<SelectPercentileParams> {
  constructor(params: Partial<SelectPercentileParams> = {}) {
    super({ scoreFunc: 'fClassif', percentile: 10 }, params);
  }
  protected get paramSpecs(): ParamSpecs<SelectPercentileParams> {
    return PERCENTILE_SPECS;
  }
  protected mask(scores: Float64Array): boolean[] {
    const q = this.params.percentile,
      p = scores.length;
    if (q === 100) return new Array(p).fill(true);
    if (q === 0) return new Array(p).fill(false);
    const s = cleaned(scores);
    // numpy.percentile (linear interpolation) of the scores at 100 − percentile
    const sorted = Float64Array.from(s).sort();
    const pos = ((100 - q) / 100) * (p - 1),
      lo = Math.floor(pos);
    const threshold = lo + 1 < p ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (pos - lo) : sorted[lo];
    const out = Array.from(s, (v) => v > threshold);
    let room = Math.floor((p * q) / 100) - out.filter(Boolean).length;
    for (let j = 0; j < p && room > 0; j++) {
      if (s[j] === threshold) {
        out[j] = true;
        room--;
      }
    }
    return out;
  }
}

export interface PValueSelectorParams extends ScoreFuncParams {
  /** The test's level, in (0, 1]. Default: 0.05. */
  alpha: number;
}
const ALPHA_SPECS: ParamSpecs<PValueSelectorParams> = { scoreFunc: SCORE_FUNC, alpha: num({ min: 0, max: 1, minExclusive: true }) };

/** Keeps features whose p-value is below alpha (false positive rate). */
export class SelectFpr extends UnivariateSelector<PValueSelectorParams> {
  constructor(params: Partial<PValueSelectorParams> = {}) {
    super({ scoreFunc: 'fClassif', alpha: 0.05 }, params);
  }
  protected get paramSpecs(): ParamSpecs<PValueSelectorParams> {
    return ALPHA_SPECS;
  }
  protected mask(_s: Float64Array, p: Float64Array | null): boolean[] {
    return Array.from(this.needPvalues(p), (v) => v < this.params.alpha);
  }
}

/** Keeps features the Benjamini–Hochberg procedure accepts at false discovery rate alpha. */
export class SelectFdr extends UnivariateSelector<PValueSelectorParams> {
  constructor(params: Partial<PValueSelectorParams> = {}) {
    super({ scoreFunc: 'fClassif', alpha: 0.05 }, params);
  }
  protected get paramSpecs(): ParamSpecs<PValueSelectorParams> {
    return ALPHA_SPECS;
  }
  protected mask(_s: Float64Array, p: Float64Array | null): boolean[] {
    const pv = this.needPvalues(p),
      n = pv.length;
    const sorted = Float64Array.from(pv).sort();
    let cut = -Infinity;
    sorted.forEach((v, i) => {
      if (v <= (this.params.alpha / n) * (i + 1)) cut = Math.max(cut, v);
    });
    return Array.from(pv, (v) => v <= cut);
  }
}

/** Keeps features whose p-value is below alpha / features (family-wise error, Bonferroni). */
export class SelectFwe extends UnivariateSelector<PValueSelectorParams> {
  constructor(params: Partial<PValueSelectorParams> = {}) {
    super({ scoreFunc: 'fClassif', alpha: 0.05 }, params);
  }
  protected get paramSpecs(): ParamSpecs<PValueSelectorParams> {
    return ALPHA_SPECS;
  }
  protected mask(_s: Float64Array, p: Float64Array | null): boolean[] {
    const pv = this.needPvalues(p);
    return Array.from(pv, (v) => v < this.params.alpha / pv.length);
  }
}
