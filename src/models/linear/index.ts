export { LinearRegression, Ridge, type LinearRegressionParams, type RidgeParams } from './linear-regression.js';
export { ElasticNet, Lasso, type ElasticNetParams } from './coordinate-descent.js';
export { LogisticRegression, type LogisticRegressionParams } from './logistic-regression.js';
export {
  SGDClassifier,
  SGDRegressor,
  type SGDClassifierParams,
  type SGDEpochLogs,
  type SGDFitOptions,
  type SGDParams,
  type SGDRegressorParams,
} from './sgd.js';
export { LinearSVC, type LinearSVCParams } from './linear-svc.js';
