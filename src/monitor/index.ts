export { PredictionLog } from './prediction-log.js';
export { ParquetPredictionLog, type ParquetPredictionLogOptions } from './parquet-prediction-log.js';
export { openPredictionLog, type OpenPredictionLogOptions, type PredictionLogFormat } from './open-prediction-log.js';
export { PredictionLogWorker, type PredictionLogWorkerOptions } from './prediction-log-worker.js';
export type { LoggedPrediction, PredictionLogOptions, PredictionLogStats, PredictionQuery, PredictionRecord, PredictionStore } from './prediction-store.js';
export {
  categoricalShares,
  EMPTY_BIN_SHARE,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  normedWasserstein,
  numericShares,
  psi,
  sturgesEdges,
  wassersteinDistance,
  type BinnedShares,
} from './drift-distances.js';
export {
  OTHER_CATEGORIES,
  profileColumn,
  readReference,
  REFERENCE_VERSION,
  referenceProfile,
  type CategoricalReference,
  type FeatureReference,
  type NumericReference,
  type ReferenceOptions,
  type ReferenceProfile,
} from './reference-profile.js';
export { DRIFT_METHODS, defaultMethod, type DriftMethod } from './drift-tests.js';
export { DriftReport, driftReport, type DriftOptions, type DriftResult, type FeatureDrift } from './drift-report.js';
export { dataQuality, logWindow, type FeatureQuality, type LogWindow } from './window.js';
export { AlertManager, type AlertEvent, type AlertRule, type AlertSinks, type AlertStats, type Comparison, type Severity, type WebhookSink } from './alerts.js';
export { fairnessReport, type FairnessMetric, type FairnessOptions, type FairnessResult, type GroupMetrics } from './fairness.js';
export { ADWIN, DDM, EDDM, PageHinkley, type DriftDetector } from './detectors.js';
