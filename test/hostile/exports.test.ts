/**
 * The package root exports the public API only. The list is a snapshot: adding a name is a
 * deliberate API change (update it here); internals stay importable inside src from their modules.
 */
import { describe, expect, it } from 'vitest';
import * as kiln from '../../src/index.js';

const PUBLIC = `
    BackendLimitError BackendUnavailableError ColumnTransformer CosineAnnealingLR CountVectorizer CsrMatrix
    DTypeError DataFormatError DateFeatures DecisionTreeClassifier DecisionTreeRegressor DeviceLostError
    DummyClassifier DummyRegressor EarlyStopping ElasticNet EmptyInputError Estimator Frame FrequencyEncoder
    FunctionTransformer GaussianNB GpuMatrix GradientBoostingClassifier GradientBoostingRanker GradientBoostingRegressor GroupKFold
    HashingEncoder HttpError IoError KBinsDiscretizer KFold KNNImputer KNeighborsClassifier
    KNeighborsRegressor KilnError Lasso LengthError LinearRegression LinearSVC LogisticRegression
    MLPClassifier MLPRegressor MODEL_FORMAT MODEL_FORMAT_VERSION Matrix MaxAbsScaler MinMaxScaler
    ModelCheckpoint ModelFormatError ModelRegistry PgModelRegistry MultinomialNB NearestNeighbors NonFiniteError Normalizer
    NotFittedError NotFoundError OneHotEncoder OrdinalEncoder ParamError Pipeline PolynomialFeatures
    PowerTransformer ProgressReporter QuantileTransformer RandomForestClassifier RandomForestRegressor
    ExtraTreesClassifier ExtraTreesRegressor meanPinballLoss meanPoissonDeviance meanGammaDeviance meanTweedieDeviance
    RandomOverSampler RandomUnderSampler ReduceLROnPlateau RegistryError Ridge Rng RobustScaler
    SGDClassifier SGDRegressor SMOTE SVC SVR NuSVC NuSVR OneClassSVM ShapeError SimpleImputer StandardScaler StepLR StratifiedKFold
    TargetEncoder TfidfVectorizer TimeSeriesSplit Transformer TreeEnsemble UnknownBackendError Winsorizer
    accuracyScore add argmax auc averagePrecisionScore paramSpec backends balancedAccuracyScore
    brierScoreLoss checkModelBytes clamp classificationReport cohenKappaScore columnMax columnMean columnMin
    columnStats columnStatsSync columnSum columnVariance computeClassWeight confusionMatrix createServer
    dataFingerprint decodeModel detectOutliers dispose div dropDuplicates encodeModel explainedVarianceScore
    f1Score fbetaScore filterRows frameFromArrow frameToArrow fromPlain fromRecords getBackend inferSchema
    isGpu lagFeatures lbfgs load loadModel loadWithManifest logLoss matmul matmulSync matthewsCorrcoef
    maxError meanAbsoluteError meanAbsolutePercentageError meanSquaredError medianAbsoluteError modelCard
    mul murmurhash3 precisionRecallCurve precisionRecallFscoreSupport precisionScore r2Score readArrow
    readCsv readManifest readParquet readParquetFrame recallScore registrySource relu rocAucScore rocCurve dcgScore ndcgScore rollingFeatures
    rootMeanSquaredError rowNorms save saveModel scale serve setBackend setThreads sigmoid softmax
    staticSource sub tanh toGpu toMatrix toPlain trainTestSplit trainValidationTestSplit validateSchema
    toOnnx fromOnnx fromXGBoost fromLightGBM UnsupportedError toMlflow fromMlflow readMlflow registerMlflow
    PCA IncrementalPCA TruncatedSVD LinearDiscriminantAnalysis TSNE trustworthiness ADWIN AlertManager
    BENCHMARK_SCHEMA_VERSION DDM DRIFT_METHODS DriftReport EDDM EMPTY_BIN_SHARE GATE_METRICS KMeans
    MiniBatchKMeans OTHER_CATEGORIES PageHinkley PredictionLog ProfileReport QUANTILE_METHODS
    REFERENCE_VERSION SampleSizeError acf adfuller barSpec bartlett benchmark boxSpec categoricalShares
    checkRequirement checkResult chi2Cdf chi2Contingency chi2Sf compareToBaseline contingencyTable corr
    corrSync cramersV dataQuality defaultMethod describeMachine driftReport expectedFreq fOneway fSf
    fairnessReport fisherExact getThreads heatmapSpec hellingerDistance histogramSpec iqr
    jensenShannonDistance kendalltau klDivergence kruskal ks2samp kstest kurtosis kurtosistest levene
    lineSpec logWindow mackinnoncrit mackinnonp mannwhitneyu metricOf mode moment mutualInfo normCdf normPpf
    normSf normaltest normedWasserstein numericShares onKernelEvent pacf parseRequirement parseSlowdown
    pearsonr pointbiserialr powerDivergence profile profileColumn psi quantile rankdata readReference
    referenceProfile renderChart scatterSpec seasonalDecompose shapiro skew skewtest spearmanr stl
    sturgesEdges tCdf tPpf tSf tieCorrection ttest1samp ttestInd ttestRel wassersteinDistance wilcoxon
    zscore DBSCAN LocalOutlierFactor IsolationForest GaussianMixture MinCovDet EllipticEnvelope AgglomerativeClustering adjustedRandScore calinskiHarabaszScore daviesBouldinScore
    homogeneityCompletenessVMeasure normalizedMutualInfoScore silhouetteSamples silhouetteScore
    DropCorrelatedFeatures RFE RFECV RepeatedKFold RepeatedStratifiedKFold SelectFdr SelectFpr SelectFromModel
    SelectFwe SelectKBest SelectPercentile Selector SequentialFeatureSelector ShuffleSplit
    StratifiedShuffleSplit VarianceThreshold chi2 clone crossValPredict crossValScore crossValidate deepParams
    fClassif fRegression getScorer isClassifier learningCurve makeScorer mutualInfoClassif
    mutualInfoRegression permutationImportance scorerNames serialExecutor setParamPaths validationCurve
    kilnPlugin kilnMiddleware openApiDocument predictStream openModelRegistry copyRegistry andersonKsamp cramervonmises2samp eppsSingleton2samp
    IsotonicRegression CalibratedClassifierCV calibrationCurve ParquetPredictionLog openPredictionLog PredictionLogWorker
    GridSearchCV RandomizedSearchCV HalvingGridSearchCV HalvingRandomSearchCV ParameterGrid ParameterSampler
    sampleParameters halvingSchedule uniform loguniform randint choice pairedTTest pairedTTest5x2cv
    ttest5x2cvFromDifferences mcnemar mcnemarTable biasVarianceDecomp biasVarianceFromPredictions errorAnalysis
    WorkerError workerPool directoryStore bullmqExecutor startKilnWorker
    VotingClassifier VotingRegressor StackingClassifier StackingRegressor BaggingClassifier BaggingRegressor
    AdaBoostClassifier MultiOutputClassifier MultiOutputRegressor ClassifierChain hammingLoss jaccardScore
    HDBSCAN TomekLinks EditedNearestNeighbours SMOTETomek SMOTEENN BalancedRandomForestClassifier EasyEnsembleClassifier
    createStudy Study Trial TrialPruned RandomSampler TPESampler GridSampler MedianPruner PercentilePruner
    SuccessiveHalvingPruner NopPruner pruningCallback paramImportances
`
  .trim()
  .split(/\s+/);

/** Names that are implementation details: never exported from the root. */
const INTERNAL = [
  'checkOptions',
  'checkSignal',
  'boolOption',
  'finiteOption',
  'firstNonFinite',
  'requireFinite',
  'requireNonEmpty',
  'setNonFiniteScanner',
  'encodeContainer',
  'decodeContainer',
  'fromNativeError',
  'stableHash',
  'bucketOf',
  'snapshotFields',
];

describe('root exports', () => {
  it('are exactly the public API (snapshot)', () => {
    expect(Object.keys(kiln).sort()).toEqual([...PUBLIC].sort());
  });

  it('contain no internal helper', () => {
    expect(INTERNAL.filter((name) => name in kiln)).toEqual([]);
  });
});
