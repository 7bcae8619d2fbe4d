/** Model selection: cross-validation, scorers, learning and validation curves, feature selection. */
export { serialExecutor, type Executor } from './executor.js';
export { isClassifier, type CvOption, type Splitter } from './cv.js';
export { getScorer, makeScorer, scorerNames, type MakeScorerOptions, type MultiScoring, type Scorer, type Scoring } from './scorers.js';
export { crossValidate, crossValScore, type CrossValidateOptions, type CrossValidateResult, type CrossValScoreOptions } from './cross-validate.js';
export { crossValPredict, type CrossValPredictOptions } from './cross-val-predict.js';
export {
  learningCurve,
  validationCurve,
  type LearningCurveOptions,
  type LearningCurveResult,
  type ValidationCurveOptions,
  type ValidationCurveResult,
} from './curves.js';
export { chi2, fClassif, fRegression, type FRegressionOptions, type ScoreFunc, type UnivariateScores } from './univariate.js';
export { mutualInfoClassif, mutualInfoRegression, type MutualInfoScoreOptions } from './mutual-info.js';
export { Selector } from './selector.js';
export { VarianceThreshold, type VarianceThresholdParams } from './variance-threshold.js';
export { DropCorrelatedFeatures, type DropCorrelatedFeaturesParams } from './drop-correlated.js';
export {
  SelectFdr,
  SelectFpr,
  SelectFwe,
  SelectKBest,
  SelectPercentile,
  type PValueSelectorParams,
  type ScoreFuncOption,
  type SelectKBestParams,
  type SelectPercentileParams,
} from './univariate-selectors.js';
