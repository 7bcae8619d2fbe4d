export { lbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.js';
export { CosineAnnealingLR, EarlyStopping, ReduceLROnPlateau, StepLR, type Callback, type EpochLogs, type TrainingControl } from './callbacks.js';
