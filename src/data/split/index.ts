/** Model selection: splitting data into train / validation / test sets and cross-validation folds. */
export {
  trainTestSplit,
  trainValidationTestSplit,
  type TrainTestParts,
  type TrainTestSplitOptions,
  type TrainValidationTestParts,
  type TrainValidationTestSplitOptions,
} from './train-test-split.js';
export { KFold, type KFoldOptions } from './kfold.js';
export { StratifiedKFold } from './stratified-kfold.js';
export { GroupKFold } from './group-kfold.js';
export { TimeSeriesSplit, type TimeSeriesSplitOptions } from './time-series-split.js';
export type { Split } from './split.js';
export type { Splittable, Taken } from './arrays.js';
export { RepeatedKFold, RepeatedStratifiedKFold, type RepeatedKFoldOptions } from './repeated.js';
export { ShuffleSplit, StratifiedShuffleSplit, type ShuffleSplitOptions } from './shuffle-split.js';
