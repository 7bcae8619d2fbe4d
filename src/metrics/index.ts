export {
  accuracyScore,
  balancedAccuracyScore,
  cohenKappaScore,
  f1Score,
  fbetaScore,
  matthewsCorrcoef,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  type AccuracyOptions,
  type Average,
  type BalancedAccuracyOptions,
  type CohenKappaOptions,
  type FbetaOptions,
  type Label,
  type PrfOptions,
  type PrfResult,
} from './classification.js';
export { confusionMatrix, type ConfusionMatrixOptions } from './confusion.js';
export { classificationReport, type ClassificationReport, type ClassificationReportOptions, type ReportRow } from './report.js';
export { brierScoreLoss, calibrationCurve, logLoss, type BrierOptions, type CalibrationCurveOptions, type LogLossOptions } from './probabilistic.js';
export {
  auc,
  averagePrecisionScore,
  precisionRecallCurve,
  rocAucScore,
  rocCurve,
  type AveragePrecisionOptions,
  type CurveOptions,
  type PrecisionRecallCurve,
  type RocAucOptions,
  type RocCurve,
  type RocCurveOptions,
  type ScoreAverage,
} from './ranking.js';
export { dcgScore, ndcgScore, type DcgOptions } from './dcg.js';
export {
  explainedVarianceScore,
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanGammaDeviance,
  meanPinballLoss,
  meanPoissonDeviance,
  meanSquaredError,
  meanTweedieDeviance,
  medianAbsoluteError,
  r2Score,
  rootMeanSquaredError,
  type MultiOutput,
  type RegressionOptions,
  type Targets,
} from './regression.js';
export { trustworthiness, type TrustworthinessOptions } from './trustworthiness.js';
export {
  adjustedRandScore,
  homogeneityCompletenessVMeasure,
  normalizedMutualInfoScore,
  type HomogeneityCompleteness,
  type NmiAverage,
} from './cluster-labels.js';
export {
  calinskiHarabaszScore,
  daviesBouldinScore,
  silhouetteSamples,
  silhouetteScore,
  type SilhouetteOptions,
  type SilhouetteScoreOptions,
} from './cluster-geometry.js';
export { hammingLoss, jaccardScore, type JaccardOptions } from './multilabel.js';
export type { ClassTargets, SetwiseAverage } from './setwise.js';
