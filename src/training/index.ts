export { lbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.js';
export {
  CosineAnnealingLR,
  EarlyStopping,
  ModelCheckpoint,
  ProgressReporter,
  ReduceLROnPlateau,
  StepLR,
  type Callback,
  type EpochLogs,
  type TrainingControl,
} from './callbacks.js';
