/**
 * SequentialFeatureSelector (scikit-learn's): greedy forward selection (add, each round, the
 * feature whose addition gives the best cross-validated score) or backward elimination (remove
 * the one whose removal does). Stops at nFeaturesToSelect, or with 'auto' and a tol, when a round
 * improves the score by less than tol.
 */
import { ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { custom, int, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { crossValScore } from './cross-validate.js';
import type { CvOption } from './cv.js';
import type { Executor } from './executor.js';
import { ESTIMATOR, requireEstimator, takeColumns } from './model-based.js';
import type { Scoring } from './scorers.js';
import { Selector } from './selector.js';

export interface SequentialFeatureSelectorParams {
  /** The model scored on each candidate subset (cloned for every fit). Default: undefined (required). */
  estimator: any;
  /** How many to keep: a count, a fraction in (0, 1), or 'auto' (half, or until a round gains less than tol). Default: 'auto'. */
  nFeaturesToSelect: number | 'auto';
  /** With 'auto': stop when a round changes the score by less than this (may be negative for backward). Default: undefined. */
  tol: number | undefined;
  /** 'forward' adds features, 'backward' removes them. Default: 'forward'. */
  direction: 'forward' | 'backward';
  /** The scorer (a name, a scorer or a function); undefined: the estimator's score. Default: undefined. */
  scoring: Scoring | undefined;
  /** Folds: a count (stratified for classifiers), a splitter, or the splits. Default: 5. */
  cv: CvOption;
  /** Where the folds run. Default: undefined (serialExecutor). */
  executor: Executor | undefined;
}

const SPECS: ParamSpecs<SequentialFeatureSelectorParams> = {
  estimator: ESTIMATOR,
  nFeaturesToSelect: union(oneOf('auto'), int({ min: 1 }), num({ min: 0, max: 1, minExclusive: true, maxExclusive: true })),
  tol: optional(num({ finite: true })),
  direction: oneOf('forward', 'backward'),
  scoring: optional(custom<Scoring>('a scorer name or function', (v) => typeof v === 'string' || typeof v === 'function', { probes: [3] })),
  cv: custom<CvOption>(
    'a fold count >= 2, a splitter or a list of splits',
    (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 2 : v !== null && typeof v === 'object'),
    {
      probes: [1],
    },
  ),
  executor: optional(custom<Executor>('an executor (an object with map)', (v) => typeof (v as Executor)?.map === 'function', { probes: [1] })),
};

export class SequentialFeatureSelector extends Selector<SequentialFeatureSelectorParams> {
  private nSelected: number | undefined;

  constructor(params: Partial<SequentialFeatureSelectorParams> = {}) {
    super({ estimator: undefined, nFeaturesToSelect: 'auto', tol: undefined, direction: 'forward', scoring: undefined, cv: 5, executor: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<SequentialFeatureSelectorParams> {
    return SPECS;
  }

  protected override checkTogether(p: SequentialFeatureSelectorParams): void {
    if (p.tol !== undefined && p.nFeaturesToSelect !== 'auto')
      throw new ParamError("SequentialFeatureSelector: tol is only used with nFeaturesToSelect 'auto'");
    if (p.tol !== undefined && p.tol < 0 && p.direction === 'forward')
      throw new ParamError('SequentialFeatureSelector: tol must be >= 0 for forward selection');
  }

  /** The number of selected features (scikit-learn's n_features_to_select_). */
  get nFeaturesToSelect(): number {
    return this.fitted(this.nSelected);
  }

  async fit(X: MatrixLike, y?: unknown, opts: CallOptions & { groups?: ArrayLike<unknown> } = {}): Promise<this> {
    this.callOptions('fit', opts, [...SIGNAL_ONLY, 'groups']);
    return this.transaction(opts.signal, async () => {
      const fn = 'SequentialFeatureSelector.fit';
      const est = requireEstimator(this.params.estimator, fn);
      const m = readMatrix(X, `${fn}: X`, { nonFinite: 'keep' });
      const p = m.cols;
      const { nFeaturesToSelect: k, tol, direction, scoring, cv, executor } = this.params;
      const target = k === 'auto' ? (tol !== undefined ? p - 1 : Math.floor(p / 2)) : Number.isInteger(k) ? k : Math.floor(k * p);
      if (target >= p || target < 1) throw new ParamError(`${fn}: nFeaturesToSelect must leave between 1 and ${p - 1} of the ${p} features, got ${target}`);
      const forward = direction === 'forward';
      const chosen = new Array<boolean>(p).fill(false); // added (forward) or removed (backward) so far
      const rounds = forward ? target : p - target;
      const autoStop = k === 'auto' && tol !== undefined;
      let old = -Infinity;
      for (let r = 0; r < rounds; r++) {
        let bestJ = -1,
          bestScore = -Infinity;
        for (let j = 0; j < p; j++) {
          if (chosen[j]) continue;
          const cols = Array.from({ length: p }, (_, t) => t).filter((t) => (t === j || chosen[t]) === forward);
          const s = await crossValScore(est, takeColumns(m, cols), y, { cv, scoring, groups: opts.groups, executor, signal: opts.signal });
          const mean = s.reduce((a, b) => a + b, 0) / s.length;
          if (mean > bestScore || bestJ < 0) {
            bestScore = mean;
            bestJ = j;
          }
        }
        if (autoStop && bestScore - old < tol!) break;
        old = bestScore;
        chosen[bestJ] = true;
      }
      const support = chosen.map((c) => c === forward);
      this.setSupport(support, 'nothing selected');
      this.nSelected = support.filter(Boolean).length;
    });
  }
}
