export { Pipeline, type PipelineStep } from './pipeline.js';
export { ColumnTransformer, type ColumnSpec, type ColumnTransformerOptions } from './column-transformer.js';
export type { FinalStep, StepOutput, TableInput, TransformerStep } from './steps.js';
export { cloneDeep as clone, deepParams, setParamPaths } from './params-path.js';
export { CalibratedClassifierCV, type CalibratedClassifierCVParams } from './calibration.js';
export { VotingClassifier, VotingRegressor, type VotingClassifierParams, type VotingRegressorParams } from './voting.js';
export { StackingClassifier, StackingRegressor, type StackingClassifierParams, type StackingRegressorParams } from './stacking.js';
export { BaggingClassifier, BaggingRegressor, type BaggingParams } from './bagging.js';
export { AdaBoostClassifier, type AdaBoostClassifierParams } from './adaboost.js';
