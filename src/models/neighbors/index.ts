export { NearestNeighbors, type NearestNeighborsParams, type RadiusNeighborsResult } from './nearest-neighbors.js';
export { KNeighborsClassifier, type KNeighborsClassifierParams } from './kneighbors-classifier.js';
export { KNeighborsRegressor, type KNeighborsRegressorParams, type RegressionTarget } from './kneighbors-regressor.js';
export { KNNImputer, type KNNImputerParams } from './knn-imputer.js';
export type { KNeighborsResult, NeighborsParams } from './neighbors-base.js';
export type { NeighborsMetric } from './metric.js';
export type { NeighborWeights } from './weights.js';
