/** Hyperparameter search: grids, samplers and distributions, the exhaustive, randomized and successive-halving searches. */
export { ParameterGrid, type ParamGridSpec } from './parameter-grid.js';
export { ParameterSampler, sampleParameters, type ParamDistributions } from './parameter-sampler.js';
export {
  choice,
  loguniform,
  randint,
  uniform,
  type ChoiceDistribution,
  type Distribution,
  type LogUniformDistribution,
  type RandIntDistribution,
  type UniformDistribution,
} from './distributions.js';
export type { SearchContext, SearchFitOptions, SearchParams } from './base-search.js';
export type { SearchProgress } from './progress.js';
export type { CvResults } from './cv-results.js';
export { GridSearchCV, RandomizedSearchCV, type GridSearchCVParams, type RandomizedSearchCVParams } from './grid-search.js';
export {
  HalvingGridSearchCV,
  HalvingRandomSearchCV,
  type HalvingGridSearchCVParams,
  type HalvingParams,
  type HalvingRandomSearchCVParams,
} from './halving.js';
export { halvingSchedule, type HalvingSchedule } from './halving-schedule.js';
