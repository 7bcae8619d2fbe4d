export { GradientBoostingClassifier, GradientBoostingRegressor, type BoostingFitOptions, type GradientBoostingClassifierParams, type GradientBoostingRegressorParams } from './gradient-boosting.js';
export { TreeEnsemble, type TreeEnsembleJSON } from './ensemble.js';
export type { RoundLogs, BoostingParams } from './booster.js';
export {
  DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor,
  type DecisionTreeClassifierParams, type ForestClassifierParams, type ForestParams, type MaxFeatures, type TreeParams,
} from './forest.js';
