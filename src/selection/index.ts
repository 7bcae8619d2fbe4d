/** Model selection: cross-validation, scorers, learning and validation curves, feature selection, Optuna-style studies. */
export { serialExecutor, type Executor, type RunOptions } from './executor.js';
export type { FoldData, FoldOptions, FoldResult, FoldRun, FoldTask } from './fit-score.js';
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
export { SelectFromModel, type SelectFromModelParams } from './select-from-model.js';
export { RFE, RFECV, type RFECVParams, type RFECVResults, type RFEParams } from './rfe.js';
export { SequentialFeatureSelector, type SequentialFeatureSelectorParams } from './sequential.js';
export { permutationImportance, type PermutationImportanceOptions, type PermutationImportanceResult } from './permutation-importance.js';
export type { ImportanceGetter } from './model-based.js';
export * from './search/index.js';
export * from './compare/index.js';
export * from './study/index.js';
