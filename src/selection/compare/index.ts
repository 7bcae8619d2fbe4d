/** Model comparison: corrected resampled and 5×2 cv paired t-tests, McNemar's test, bias–variance decomposition, error analysis. */
export { pairedTTest, type PairedTTestOptions, type PairedTTestResult } from './paired-ttest.js';
export { mcnemar, mcnemarTable, type McNemarOptions, type McNemarResult } from './mcnemar.js';
export { pairedTTest5x2cv, ttest5x2cvFromDifferences, type TTest5x2Options, type TTest5x2Result } from './ttest-5x2cv.js';
export {
  biasVarianceDecomp,
  biasVarianceFromPredictions,
  type BiasVarianceLoss,
  type BiasVarianceOptions,
  type BiasVarianceResult,
} from './bias-variance.js';
export { errorAnalysis, type ErrorAnalysisOptions, type ErrorAnalysisResult, type MisclassifiedRow } from './error-analysis.js';
