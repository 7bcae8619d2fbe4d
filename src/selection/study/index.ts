/** Optuna-style studies: samplers, pruners, storages, the pruning callback and parameter importances. */
export { createStudy, Study, type CreateStudyOptions, type Objective, type OptimizeOptions } from './study.js';
export { Trial } from './trial.js';
export type { ObjectiveModule } from './module-objective.js';
export { TrialPruned } from './trial-pruned.js';
export type { SuggestFloatOptions, SuggestIntOptions } from './distributions.js';
export type {
  CategoricalChoice,
  CategoricalDistribution,
  Distribution as StudyDistribution,
  FloatDistribution,
  FrozenTrial,
  IntDistribution,
  ParamValue,
  Pruner,
  Sampler,
  StudyDirection,
  StudyView,
  TrialState,
} from './types.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random.js';
export { TPESampler, type TPESamplerOptions } from './samplers/tpe.js';
export { GridSampler, type GridSamplerOptions } from './samplers/grid.js';
export { MedianPruner, PercentilePruner, type PercentilePrunerOptions } from './pruners/percentile.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './pruners/successive-halving.js';
export { NopPruner } from './pruners/nop.js';
export { pruningCallback, type ProgressLogs, type PruningCallback, type PruningCallbackOptions } from './pruning-callback.js';
export { paramImportances, type ParamImportancesOptions } from './importance.js';
