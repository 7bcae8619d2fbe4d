/**
 * HalvingGridSearchCV and HalvingRandomSearchCV (scikit-learn 1.2's successive halving): every
 * candidate first runs on a small resource — a subsample of the rows, or a small value of a
 * parameter such as nEstimators — and each round keeps the best 1/factor of the candidates and
 * multiplies the resource by factor. Subsamples are drawn per round and fold from randomState,
 * so they do not depend on where the fits run.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { bool, int, num, oneOf, str, union, type ParamSpec, type ParamSpecs } from '../../core/params.js';
import { deepParams, type Parameterised } from '../../compose/params-path.js';
import type { Split } from '../../data/split/split.js';
import { BaseSearchCV, SEARCH_DEFAULTS, SEARCH_SPECS, type SearchContext, type SearchParams } from './base-search.js';
import type { CvResults } from './cv-results.js';
import { PARAM_DISTRIBUTIONS, PARAM_GRID } from './grid-search.js';
import { halvingSchedule, type HalvingSchedule } from './halving-schedule.js';
import type { ParamGridSpec } from './parameter-grid.js';
import type { ParamDistributions } from './parameter-sampler.js';
import { requiredGrid, requiredSample } from './required.js';

export interface HalvingParams extends SearchParams {
  /** Each round keeps 1/factor of the candidates and multiplies the resource by factor. Default: 3. */
  factor: number;
  /** What grows each round: 'nSamples' (rows; scikit-learn's 'n_samples') or the name of an integer parameter (e.g. 'nEstimators'). Default: 'nSamples'. */
  resource: string;
  /** The largest resource: 'auto' (all rows; needs resource 'nSamples') or a number. Default: 'auto'. */
  maxResources: 'auto' | number;
  /** The resource of the first round: 'smallest' (2 × splits × classes rows), 'exhaust' (as large as lets the last round use maxResources) or a number. Default: 'exhaust' (HalvingGridSearchCV), 'smallest' (HalvingRandomSearchCV). */
  minResources: 'exhaust' | 'smallest' | number;
  /** Run as many rounds as it takes to get down to one candidate, repeating the first resource if needed. Default: false. */
  aggressiveElimination: boolean;
  /** Seed of the row subsamples (per round and fold). Default: 0. */
  randomState: number;
}

const HALVING_SPECS = {
  ...SEARCH_SPECS,
  factor: num({ min: 1, minExclusive: true }),
  resource: str({ nonEmpty: true }),
  maxResources: union(oneOf('auto'), int({ min: 1 })),
  minResources: union(oneOf('exhaust', 'smallest'), int({ min: 1 })),
  aggressiveElimination: bool(),
  randomState: int(),
};

const bySamples = (r: string) => r === 'nSamples' || r === 'n_samples';

/** floor(fraction × rows) of each split's train and test rows, drawn without replacement (scikit-learn's _SubsampleMetaSplitter). */
function subsample(splits: readonly Split[], fraction: number, seed: number, round: number): Split[] {
  const take = (idx: Int32Array, rng: Rng) => {
    const copy = Int32Array.from(idx);
    rng.shuffle(copy);
    return copy.subarray(0, Math.floor(fraction * idx.length)).sort();
  };
  return splits.map((s, f) => {
    const rng = new Rng((seed * 1000003 + round * 7919 + f) | 0);
    return { train: take(s.train, rng), test: take(s.test, rng) };
  });
}

abstract class BaseHalving<P extends HalvingParams> extends BaseSearchCV<P> {
  protected scheduleFit: HalvingSchedule | undefined;
  protected nRemainingFit: number | undefined;

  protected abstract candidates(schedule: { minResources: number; maxResources: number }): Record<string, unknown>[];

  /** Each round's resource (scikit-learn's n_resources_). */
  get nResources(): number[] {
    return [...this.fitted(this.scheduleFit).nResources];
  }
  /** Each round's number of candidates (n_candidates_). */
  get nCandidates(): number[] {
    return [...this.fitted(this.scheduleFit).nCandidates];
  }
  get nIterations(): number {
    return this.fitted(this.scheduleFit).nIterations;
  }
  get nPossibleIterations(): number {
    return this.fitted(this.scheduleFit).nPossibleIterations;
  }
  get nRequiredIterations(): number {
    return this.fitted(this.scheduleFit).nRequiredIterations;
  }
  get minResources(): number {
    return this.fitted(this.scheduleFit).minResources;
  }
  get maxResources(): number {
    return this.fitted(this.scheduleFit).maxResources;
  }
  /** Candidates left after the last round. */
  get nRemainingCandidates(): number {
    return this.fitted(this.nRemainingFit);
  }

  protected override checkScoring(multi: boolean, fn: string): void {
    if (multi) throw new ParamError(`${fn}: successive halving scores one metric; pass scoring as one name or scorer`);
    if (typeof this.params.refit === 'string') throw new ParamError(`${fn}: refit must be true or false for successive halving (it scores one metric)`);
  }

  /** The best of the last round (scikit-learn's _select_best_index for halving). */
  protected override chooseBest(results: CvResults, metric: string): number {
    const iter = results.iter as Int32Array;
    const means = results[`mean_test_${metric}`] as Float64Array;
    const last = Math.max(...iter);
    let best = -1;
    for (let i = 0; i < iter.length; i++) {
      if (iter[i] !== last) continue;
      if (best < 0 || (!Number.isNaN(means[i]) && (Number.isNaN(means[best]) || means[i] > means[best]))) best = i;
    }
    return best;
  }

  protected async search(ctx: SearchContext): Promise<void> {
    const fn = `${this.constructor.name}.fit`;
    const p = this.params;
    const samples = bySamples(p.resource);
    if (!samples && !(p.resource in deepParams(p.estimator as Parameterised))) {
      throw new ParamError(
        `${fn}: resource '${p.resource}' is neither 'nSamples' nor a parameter of the estimator; valid names are nSamples, ${Object.keys(deepParams(p.estimator)).join(', ')}`,
      );
    }
    let minR: number;
    if (p.minResources === 'smallest' || p.minResources === 'exhaust') {
      minR = samples ? ctx.splits.length * 2 * (ctx.classifier ? new Set(Array.from(ctx.y as ArrayLike<unknown>)).size : 1) : 1;
    } else minR = p.minResources;
    let maxR: number;
    if (p.maxResources === 'auto') {
      if (!samples) throw new ParamError(`${fn}: maxResources 'auto' needs resource 'nSamples'; give maxResources as a number for resource '${p.resource}'`);
      maxR = ctx.data.n;
    } else maxR = p.maxResources;
    if (minR > maxR) throw new ParamError(`${fn}: minResources=${minR} is greater than maxResources=${maxR}`);
    let candidates = this.candidates({ minResources: minR, maxResources: maxR });
    if (!samples && candidates.some((c) => p.resource in c)) {
      throw new ParamError(`${fn}: the resource '${p.resource}' is also a searched parameter; remove it from the grid`);
    }
    const schedule = halvingSchedule({
      nCandidates: candidates.length,
      minResources: minR,
      maxResources: maxR,
      factor: p.factor,
      exhaust: p.minResources === 'exhaust',
      aggressiveElimination: p.aggressiveElimination,
    });
    ctx.plan(schedule.nCandidates.reduce((a, c) => a + c, 0) * ctx.splits.length);
    for (let itr = 0; itr < schedule.nIterations; itr++) {
      const r = schedule.nResources[itr];
      const splits = samples ? subsample(ctx.splits, r / ctx.data.n, p.randomState, itr) : ctx.splits;
      const round = samples ? candidates : candidates.map((c) => ({ ...c, [p.resource]: r }));
      const means = await ctx.evaluate(round, splits, { iter: itr, n_resources: r });
      const keep = Math.ceil(candidates.length / p.factor);
      // ascending by score with NaN first (scikit-learn's _top_k), the best `keep` last
      const order = Array.from(means, (_, i) => i).sort((a, b) => {
        const na = Number.isNaN(means[a]),
          nb = Number.isNaN(means[b]);
        return na || nb ? Number(nb) - Number(na) : means[a] - means[b] || a - b;
      });
      candidates = order.slice(order.length - keep).map((i) => candidates[i]);
    }
    this.scheduleFit = schedule;
    this.nRemainingFit = candidates.length;
  }
}

export interface HalvingGridSearchCVParams extends HalvingParams {
  /** Parameter name → the values to try; or a list of such grids. Default: undefined (required). */
  paramGrid: ParamGridSpec | ParamGridSpec[] | undefined;
}

const HALVING_DEFAULTS = {
  ...SEARCH_DEFAULTS,
  returnTrainScore: true,
  factor: 3,
  resource: 'nSamples',
  maxResources: 'auto' as const,
  aggressiveElimination: false,
  randomState: 0,
};

const HALVING_GRID_SPECS: ParamSpecs<HalvingGridSearchCVParams> = { ...HALVING_SPECS, paramGrid: PARAM_GRID };

/** scikit-learn's HalvingGridSearchCV: the grid's candidates, halved round by round on a growing resource. */
export class HalvingGridSearchCV extends BaseHalving<HalvingGridSearchCVParams> {
  constructor(params: Partial<HalvingGridSearchCVParams> = {}) {
    super({ ...HALVING_DEFAULTS, minResources: 'exhaust', paramGrid: undefined }, params);
  }
  protected get paramSpecs(): ParamSpecs<HalvingGridSearchCVParams> {
    return HALVING_GRID_SPECS;
  }
  protected candidates(): Record<string, unknown>[] {
    return requiredGrid(this.params.paramGrid, 'HalvingGridSearchCV.fit');
  }
}

export interface HalvingRandomSearchCVParams extends HalvingParams {
  /** Parameter name → a distribution or an array of values; or a list of such objects. Default: undefined (required). */
  paramDistributions: ParamDistributions | ParamDistributions[] | undefined;
  /** Candidates of the first round: a number, or 'exhaust' (maxResources / minResources, so the last round uses them all). Default: 'exhaust'. */
  nCandidates: 'exhaust' | number;
}

const N_CANDIDATES: ParamSpec<'exhaust' | number> = union(oneOf('exhaust'), int({ min: 1 }));

const HALVING_RANDOM_SPECS: ParamSpecs<HalvingRandomSearchCVParams> = { ...HALVING_SPECS, paramDistributions: PARAM_DISTRIBUTIONS, nCandidates: N_CANDIDATES };

/** scikit-learn's HalvingRandomSearchCV: settings drawn from paramDistributions, halved round by round. */
export class HalvingRandomSearchCV extends BaseHalving<HalvingRandomSearchCVParams> {
  constructor(params: Partial<HalvingRandomSearchCVParams> = {}) {
    super({ ...HALVING_DEFAULTS, minResources: 'smallest', paramDistributions: undefined, nCandidates: 'exhaust' }, params);
  }
  protected get paramSpecs(): ParamSpecs<HalvingRandomSearchCVParams> {
    return HALVING_RANDOM_SPECS;
  }
  protected candidates(s: { minResources: number; maxResources: number }): Record<string, unknown>[] {
    const n = this.params.nCandidates === 'exhaust' ? Math.max(1, Math.floor(s.maxResources / s.minResources)) : this.params.nCandidates;
    return requiredSample(this.params.paramDistributions, n, this.params.randomState, 'HalvingRandomSearchCV.fit');
  }
}
