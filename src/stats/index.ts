// The statistics room: scipy.stats-style functions of arrays (results with scipy's field names,
// NaN policy and alternative as options) and correlation matrices over a Frame.
export type { Alternative, NanOptions, NanPolicy, Sample, TestOptions } from './sample.js';
export { chi2Cdf, chi2Sf, fSf, normCdf, normPpf, normSf, tCdf, tPpf, tSf } from './dist.js';
export {
  iqr,
  kurtosis,
  mode,
  moment,
  skew,
  zscore,
  type IqrOptions,
  type KurtosisOptions,
  type ModeResult,
  type MomentOptions,
  type SkewOptions,
  type ZscoreOptions,
} from './descriptive.js';
export { quantile, QUANTILE_METHODS, type QuantileMethod, type QuantileOptions } from './quantile.js';
export { rankdata, tieCorrection } from './rank.js';
export { pearsonr, pointbiserialr, spearmanr, type TestResult } from './correlation.js';
export { kendalltau, type KendallOptions } from './kendall.js';
export { corr, corrSync, type CorrMethod, type CorrOptions, type CorrResult } from './corr.js';
export {
  contingencyTable,
  cramersV,
  mutualInfo,
  type ContingencyTable,
  type CramersVOptions,
  type Labels,
  type MutualInfoOptions,
} from './association.js';
export {
  chi2Contingency,
  expectedFreq,
  fisherExact,
  powerDivergence,
  type Chi2ContingencyOptions,
  type Chi2ContingencyResult,
  type FisherExactResult,
  type PowerDivergenceOptions,
  type PowerLambda,
  type Table2D,
} from './contingency.js';
export { ttest1samp, ttestInd, ttestRel, type Ttest1sampOptions, type TtestIndOptions, type TtestResult } from './ttest.js';
export { mannwhitneyu, wilcoxon, type MannwhitneyuOptions, type WilcoxonOptions } from './signed-rank.js';
export { bartlett, fOneway, kruskal, levene, type LeveneOptions } from './anova.js';
export { ks2samp, kstest, type KsDistribution, type Ks2sampOptions, type KstestOptions, type KstestResult } from './ks.js';
export {
  andersonKsamp,
  cramervonmises2samp,
  eppsSingleton2samp,
  type AndersonKsampResult,
  type CramervonmisesResult,
  type EppsSingletonResult,
} from './two-sample.js';
export { shapiro } from './shapiro.js';
export { kurtosistest, normaltest, skewtest } from './normality.js';
export { acf, pacf, type AcfOptions, type AcfResult, type PacfOptions } from './acf.js';
export { seasonalDecompose, type DecomposeResult, type SeasonalDecomposeOptions } from './seasonal.js';
export { adfuller, mackinnoncrit, mackinnonp, type AdfRegression, type AdfullerOptions, type AdfullerResult } from './adfuller.js';
export { stl, type StlOptions } from './stl.js';
