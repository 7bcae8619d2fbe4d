/**
 * GridSearchCV (every combination of a grid) and RandomizedSearchCV (nIter settings drawn from
 * distributions), scikit-learn's exhaustive and randomized searches: every candidate on every
 * split, the best refitted on all rows.
 */
import { custom, int, type ParamSpec, type ParamSpecs } from '../../core/params.js';
import { BaseSearchCV, SEARCH_DEFAULTS, SEARCH_SPECS, type SearchContext, type SearchParams } from './base-search.js';
import { isDistribution } from './distributions.js';
import type { ParamGridSpec } from './parameter-grid.js';
import type { ParamDistributions } from './parameter-sampler.js';
import { requiredGrid, requiredSample } from './required.js';

const plainObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
const gridLike = (v: unknown) => plainObject(v) && Object.values(v as object).every(Array.isArray);
const distributionsLike = (v: unknown) => plainObject(v) && Object.values(v as object).every((d) => Array.isArray(d) || isDistribution(d));
const oneOrList = (test: (v: unknown) => boolean) => (v: unknown) => v === undefined || test(v) || (Array.isArray(v) && v.every(test));

export const PARAM_GRID: ParamSpec<ParamGridSpec | ParamGridSpec[] | undefined> = custom(
  'an object of parameter name → array of values (or a list of such objects), or undefined',
  oneOrList(gridLike),
  { probes: [42, { alpha: 1 }] },
);
export const PARAM_DISTRIBUTIONS: ParamSpec<ParamDistributions | ParamDistributions[] | undefined> = custom(
  'an object of parameter name → distribution or array of values (or a list of such objects), or undefined',
  oneOrList(distributionsLike),
  { probes: [42, { alpha: 1 }] },
);

export interface GridSearchCVParams extends SearchParams {
  /** Parameter name ('model__alpha' for a Pipeline step's) → the values to try; or a list of such grids. Default: undefined (required). */
  paramGrid: ParamGridSpec | ParamGridSpec[] | undefined;
}

const GRID_SPECS: ParamSpecs<GridSearchCVParams> = { ...SEARCH_SPECS, paramGrid: PARAM_GRID };

/** scikit-learn's GridSearchCV: every combination of paramGrid, cross-validated; the best refitted. */
export class GridSearchCV extends BaseSearchCV<GridSearchCVParams> {
  constructor(params: Partial<GridSearchCVParams> = {}) {
    super({ ...SEARCH_DEFAULTS, paramGrid: undefined }, params);
  }
  protected get paramSpecs(): ParamSpecs<GridSearchCVParams> {
    return GRID_SPECS;
  }
  protected async search(ctx: SearchContext): Promise<void> {
    const candidates = requiredGrid(this.params.paramGrid, 'GridSearchCV.fit');
    ctx.plan(candidates.length * ctx.splits.length);
    await ctx.evaluate(candidates);
  }
}

export interface RandomizedSearchCVParams extends SearchParams {
  /** Parameter name → a distribution (uniform, loguniform, randint, choice) or an array of values; or a list of such objects. Default: undefined (required). */
  paramDistributions: ParamDistributions | ParamDistributions[] | undefined;
  /** The number of settings drawn (fewer when every value is a list and the grid is smaller). Default: 10. */
  nIter: number;
  /** Seed of the draws: the same seed, the same candidates on every platform. Default: 0. */
  randomState: number;
}

const RANDOM_SPECS: ParamSpecs<RandomizedSearchCVParams> = {
  ...SEARCH_SPECS,
  paramDistributions: PARAM_DISTRIBUTIONS,
  nIter: int({ min: 1 }),
  randomState: int(),
};

/** scikit-learn's RandomizedSearchCV: nIter settings drawn from paramDistributions, cross-validated; the best refitted. */
export class RandomizedSearchCV extends BaseSearchCV<RandomizedSearchCVParams> {
  constructor(params: Partial<RandomizedSearchCVParams> = {}) {
    super({ ...SEARCH_DEFAULTS, paramDistributions: undefined, nIter: 10, randomState: 0 }, params);
  }
  protected get paramSpecs(): ParamSpecs<RandomizedSearchCVParams> {
    return RANDOM_SPECS;
  }
  protected async search(ctx: SearchContext): Promise<void> {
    const candidates = requiredSample(this.params.paramDistributions, this.params.nIter, this.params.randomState, 'RandomizedSearchCV.fit');
    ctx.plan(candidates.length * ctx.splits.length);
    await ctx.evaluate(candidates);
  }
}
