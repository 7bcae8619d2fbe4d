export {
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  type BoostingFitOptions,
  type GradientBoostingClassifierParams,
  type GradientBoostingRegressorParams,
} from './gradient-boosting.js';
export type { RoundLogs, BoostingParams } from './booster.js';
export { ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor } from './forest.js';
export { GradientBoostingRanker, type GradientBoostingRankerParams, type RankerFitOptions } from './ranker.js';
export type { QueryGroups } from './query-groups.js';
