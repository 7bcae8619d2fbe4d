export { GradientBoostingClassifier, GradientBoostingRegressor, type BoostingFitOptions, type GradientBoostingClassifierParams, type GradientBoostingRegressorParams } from './gradient-boosting.js';
export { TreeEnsemble } from './ensemble.js';
export type { RoundLogs, BoostingParams } from './booster.js';
