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
