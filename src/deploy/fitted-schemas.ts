/**
 * The fitted state of every class a model file can hold, stated once per class (in the
 * vocabulary of fitted-schema.ts), and the check `load` runs on every object of a loaded graph
 * before anything predicts with it. A class with no entry here cannot be loaded (the model-file
 * round-trip test enumerates every exported estimator, so a new class cannot forget one).
 *
 * Each entry lists `fitted` fields (all absent: an unfitted model, which predict refuses with
 * E_NOT_FITTED; otherwise each as stated) and `always` fields. An estimator's parameters are
 * checked by its own constructor (`new Class(params)`), the code that checks them on `fit`.
 *
 * Over 500 lines on purpose: one short entry per saveable class (about forty), in one list that
 * the loader and the round-trip test read whole; split by family, the list would be hard to audit.
 */
import { ModelFormatError } from '../core/errors.js';
import { Estimator } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { CalibratedClassifierCV } from '../compose/calibration.js';
import {
  AdaBoostClassifier,
  BaggingClassifier,
  BaggingRegressor,
  ClassifierChain,
  EasyEnsembleClassifier,
  MultiOutputClassifier,
  MultiOutputRegressor,
  StackingClassifier,
  StackingRegressor,
  VotingClassifier,
  VotingRegressor,
} from '../compose/index.js';
import { ColumnTransformer } from '../compose/column-transformer.js';
import { Pipeline } from '../compose/pipeline.js';
import {
  BalancedRandomForestClassifier,
  EditedNearestNeighbours,
  RandomOverSampler,
  RandomUnderSampler,
  SMOTE,
  SMOTEENN,
  SMOTETomek,
  TomekLinks,
} from '../imbalance/index.js';
import { IncrementalPCA, LinearDiscriminantAnalysis, PCA, TruncatedSVD, TSNE } from '../decomposition/index.js';
import {
  DropCorrelatedFeatures,
  GridSearchCV,
  HalvingGridSearchCV,
  HalvingRandomSearchCV,
  RandomizedSearchCV,
  RFE,
  RFECV,
  SelectFdr,
  SelectFpr,
  SelectFromModel,
  SelectFwe,
  SelectKBest,
  SelectPercentile,
  SequentialFeatureSelector,
  VarianceThreshold,
} from '../selection/index.js';
import { DummyClassifier, DummyRegressor } from '../models/dummy/index.js';
import { IsotonicRegression } from '../models/isotonic/index.js';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../models/ensemble/index.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, TreeEnsemble } from '../models/tree/index.js';
import { ElasticNet, Lasso, LinearRegression, LinearSVC, LogisticRegression, Ridge, SGDClassifier, SGDRegressor } from '../models/linear/index.js';
import { GaussianNB, MultinomialNB } from '../models/naive-bayes/index.js';
import { KNeighborsClassifier, KNeighborsRegressor, KNNImputer, NearestNeighbors } from '../models/neighbors/index.js';
import { MLPClassifier, MLPRegressor } from '../models/neural/index.js';
import { NuSVC, NuSVR, OneClassSVM, SVC, SVR } from '../models/svm/index.js';
import {
  AgglomerativeClustering,
  DBSCAN,
  HDBSCAN,
  EllipticEnvelope,
  GaussianMixture,
  IsolationForest,
  KMeans,
  LocalOutlierFactor,
  MiniBatchKMeans,
  MinCovDet,
} from '../cluster/index.js';
import { covLength } from '../cluster/gaussian-mixture-em.js';
import {
  CountVectorizer,
  DateFeatures,
  FrequencyEncoder,
  FunctionTransformer,
  HashingEncoder,
  KBinsDiscretizer,
  MaxAbsScaler,
  MinMaxScaler,
  Normalizer,
  OneHotEncoder,
  OrdinalEncoder,
  PolynomialFeatures,
  PowerTransformer,
  QuantileTransformer,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
  TargetEncoder,
  TfidfVectorizer,
  Winsorizer,
} from '../preprocessing/index.js';
import {
  absent,
  anything,
  bool,
  category,
  checkFields,
  dim,
  f32,
  f64,
  fail,
  type Dims,
  type Fields,
  i32,
  instance,
  int,
  labels,
  list,
  mapOf,
  MAX_MAGNITUDE,
  nullable,
  num,
  oneOf,
  optional,
  record,
  rule,
  str,
  typed,
  type Spec,
} from './fitted-schema.js';

type Class = abstract new (...a: never[]) => object;
interface ColumnCounts {
  inputs?: number;
  outputs?: number;
}

export interface ModelSchema {
  /** Set by fit: all absent (unfitted) or every one as stated. */
  fitted: Fields;
  /** Present whether fitted or not. */
  always?: Fields;
  /** Rules across fields, run on a fitted model after its fields pass; a composite returns its column counts. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most checks return nothing; a container's returns its column counts
  check?(o: any, at: string, dims: Dims): void | ColumnCounts;
  /** The dimension naming the number of input columns, for the consistency of a Pipeline's steps. */
  inputs?: string;
  /** The number of output columns of a transformer, when the schema can state it. */
  outputs?: string | ((o: any, dims: Dims) => number | undefined);
}

// ---- shared pieces ------------------------------------------------------------------------

const int32 = int(-(2 ** 31), 2 ** 31 - 1);
const rng = instance(Rng, { a: int32, b: int32, c: int32, d: int32, spareNormal: nullable(num()) });
const below = (n: string): Spec => rule(`an integer column index below ${n}`, (v, _at, d) => Number.isSafeInteger(v) && v >= 0 && v < (d.get(n) ?? 0));
const affine: Spec = record({ shift: f64({ len: 'p' }), scale: f64({ len: 'p' }) });
const categories = list(list(category, undefined, { unique: true, minLength: 1 }), 'p');
const matrix = instance(Matrix, {
  rows: dim('n'),
  cols: dim('p'),
  data: rule(
    `a Float64Array or Float32Array of rows × cols finite numbers up to ${MAX_MAGNITUDE}`,
    (v, _at, d) =>
      (v instanceof Float64Array || v instanceof Float32Array) &&
      v.length === (d.get('n') as number) * (d.get('p') as number) &&
      v.every((x) => Math.abs(x) <= MAX_MAGNITUDE),
  ),
});

/** The kernel SVMs: s support vectors of p features, k counts (classes; 1 for regression and one-class), r decision functions. */
const svmState = record({
  p: dim('p'),
  kernel: oneOf('linear', 'poly', 'rbf', 'sigmoid'),
  gamma: num({ min: 0 }),
  degree: int(0, 1000),
  coef0: num(),
  support: i32({ len: 's', min: 0 }),
  supportVectors: f64({ len: 's*p' }),
  nSupport: i32({ len: 'k', min: 0 }),
  svCoef: f64(),
  rho: f64({ len: 'r' }),
  nIter: i32({ len: 'r', min: 0 }),
});
function checkSvm(o: any, at: string, d: Dims): void {
  const s = d.get('s') as number,
    k = d.get('k') as number,
    st = o.state;
  if (st.nSupport.reduce((a: number, b: number) => a + b, 0) !== s) fail(`${at}.state.nSupport`, `counts summing to ${s} support vectors`, st.nSupport);
  const rows = Math.max(k - 1, 1);
  if (st.svCoef.length !== rows * s) fail(`${at}.state.svCoef`, `${rows} × ${s} coefficients`, st.svCoef);
  if (d.get('r') !== (k > 1 ? (k * (k - 1)) / 2 : 1)) fail(`${at}.state.rho`, `one value per decision function`, st.rho);
}
const svmSingle: ModelSchema = {
  fitted: { state: svmState },
  check(o, at, d) {
    if (d.get('k') !== 1) fail(`${at}.state.nSupport`, 'one count', o.state.nSupport);
    checkSvm(o, at, d);
  },
  inputs: 'p',
};
const svmClassifier: ModelSchema = {
  fitted: { state: svmState, labels: record({ classes: labels('c'), probA: nullable(f64({ len: 'r' })), probB: nullable(f64({ len: 'r' })) }) },
  check(o, at, d) {
    if (d.get('c') !== d.get('k') || (d.get('k') as number) < 2)
      fail(`${at}.labels.classes`, `${d.get('k')} classes (one per support count)`, o.labels.classes);
    if ((o.labels.probA === null) !== (o.labels.probB === null)) fail(`${at}.labels.probB`, 'present exactly when probA is', o.labels.probB);
    checkSvm(o, at, d);
  },
  inputs: 'p',
};

/** KMeans / MiniBatchKMeans: centres (k × p), training labels (none when MiniBatchKMeans computes none). */
const centroidState = record({
  k: dim('k'),
  p: dim('p'),
  centers: f64({ len: 'k*p' }),
  labels: i32({ min: 0, below: 'k' }),
  inertia: num({ min: 0 }),
  nIter: int(0),
});

/** MinCovDet / EllipticEnvelope: raw and reweighted robust estimates over n training rows. */
const robustCovarianceState = record({
  p: dim('p'),
  rawLocation: f64({ len: 'p' }),
  rawCovariance: f64({ len: 'p*p' }),
  rawSupport: typed(Uint8Array, { len: 'n', below: 2 }),
  location: f64({ len: 'p' }),
  covariance: f64({ len: 'p*p' }),
  precision: f64({ len: 'p*p' }),
  support: typed(Uint8Array, { len: 'n', below: 2 }),
  dist: f64({ len: 'n' }),
});

/** A nested estimator (a Pipeline's step, PowerTransformer's scaler), checked by its own schema in a scope of its own. */
function model(...only: Class[]): Spec {
  const expects = only.length ? `a ${only.map((c) => c.name).join(' or ')}` : 'a kiln estimator or transformer';
  return {
    expects,
    check: (v, at) => {
      if (only.length && !only.some((c) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === c.prototype)) fail(at, expects, v);
      checkModel(v, at);
    },
  };
}

// PCA / IncrementalPCA: k orthonormal components of p features and their variances
const projectionState = record({
  nFeatures: dim('p'),
  nComponents: dim('k'),
  nSamples: int(1),
  mean: f64({ len: 'p' }),
  components: f64({ len: 'k*p' }),
  explainedVariance: f64({ len: 'k', min: 0 }),
  explainedVarianceRatio: f64({ len: 'k', min: 0 }),
  singularValues: f64({ len: 'k', min: 0 }),
  noiseVariance: num({ min: 0 }),
});
/** A feature selector: its 0/1 support mask over the p input columns (at least one kept), plus its own fields. */
function selector(fields: Fields): ModelSchema {
  return {
    fitted: { support: typed(Uint8Array, { len: 'p', below: 2 }), ...fields },
    check(o, at) {
      if (!o.support.some((v: number) => v === 1)) fail(`${at}.support`, 'at least one kept column', o.support);
    },
    inputs: 'p',
    outputs: (o) => o.support?.reduce((a: number, v: number) => a + v, 0),
  };
}
// scores may be NaN (a constant feature), ±Infinity, or the largest float (fRegression's forceFinite)
const anyFloats = rule('a Float64Array of scores, one per column', (v, _at, d) => v instanceof Float64Array && v.length === d.get('p'));
/** A search (GridSearchCV and kin): cv_results_ columns of one entry per candidate, the best index and the refitted model. */
const searchFields: Fields = {
  resultsFit: rule(
    'an object of result columns (arrays or typed arrays) with one entry per candidate',
    (v) =>
      v !== null &&
      typeof v === 'object' &&
      Array.isArray(v.params) &&
      v.params.length > 0 &&
      Object.values(v).every((c: any) => (Array.isArray(c) || c instanceof Float64Array || c instanceof Int32Array) && c.length === v.params.length),
  ),
  bestIndexFit: nullable(int(0)),
  bestEstimatorFit: nullable(model()),
  refitTimeFit: num({ min: 0 }),
  nSplitsFit: int(1),
  metricsFit: list(str, undefined, { unique: true, minLength: 1 }),
  refitMetricFit: nullable(str),
};
function checkSearch(o: any, at: string): void {
  if (o.bestIndexFit !== null && o.bestIndexFit >= o.resultsFit.params.length)
    fail(`${at}.bestIndexFit`, `an index below ${o.resultsFit.params.length}`, o.bestIndexFit);
  if (o.refitMetricFit !== null && !o.metricsFit.includes(o.refitMetricFit)) fail(`${at}.refitMetricFit`, 'one of metricsFit', o.refitMetricFit);
  if ((o.bestIndexFit === null) !== (o.refitMetricFit === null)) fail(`${at}.bestIndexFit`, 'null exactly when refitMetricFit is null', o.bestIndexFit);
}
const search: ModelSchema = { fitted: searchFields, check: checkSearch };
const halving: ModelSchema = {
  fitted: {
    ...searchFields,
    scheduleFit: record({
      nResources: list(int(1), undefined, { minLength: 1 }),
      nCandidates: list(int(1), undefined, { minLength: 1 }),
      nIterations: int(1),
      nPossibleIterations: int(1),
      nRequiredIterations: int(1),
      minResources: int(1),
      maxResources: int(1),
    }),
    nRemainingFit: int(1),
  },
  check: checkSearch,
};
const univariateSelector = selector({ scoresFit: anyFloats, pvaluesFit: nullable(f64({ len: 'p', allow: 'nan' })) });

const linearFit: ModelSchema = {
  fitted: { state: record({ outputs: dim('o'), nFeatures: dim('p'), coef: f64({ len: 'o*p' }), intercept: f64({ len: 'o' }), oneD: bool }) },
  inputs: 'p',
};
const elasticNet: ModelSchema = { ...linearFit, fitted: { ...linearFit.fitted, nIter: list(int(0), 'o') } };

/** IsotonicRegression: the fitted step function, knots strictly increasing in x. */
const isotonicState = record({
  x: rule(
    'a Float64Array of finite knots, strictly increasing',
    (v) => v instanceof Float64Array && v.length > 0 && v.every((x, i) => Number.isFinite(x) && (i === 0 || x > v[i - 1])),
  ),
  y: rule('a Float64Array of finite values, one per knot', (v) => v instanceof Float64Array && v.every(Number.isFinite)),
  xMin: num(),
  xMax: num(),
  increasing: bool,
});
function checkIsotonic(o: any, at: string): void {
  const { x, y, xMin, xMax } = o.state;
  if (y.length !== x.length) fail(`${at}.state.y`, `${x.length} values (one per knot)`, y.length);
  if (!(xMin <= x[0] && xMax >= x[x.length - 1])) fail(`${at}.state`, 'xMin ≤ the first knot and xMax ≥ the last', [xMin, xMax]);
}

/** CalibratedClassifierCV: a calibrator is Platt's sigmoid (a, b) or a fitted IsotonicRegression. */
const calibrator: Spec = {
  expects: "{ kind: 'sigmoid', a, b } or { kind: 'isotonic', model }",
  check(v, at, d) {
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (kind === 'sigmoid') record({ kind: oneOf('sigmoid'), a: num(), b: num() }).check(v, at, d);
    else if (kind === 'isotonic') record({ kind: oneOf('isotonic'), model: model(IsotonicRegression) }).check(v, at, d);
    else fail(at, calibrator.expects, v);
  },
};
function checkCalibrated(o: any, at: string): void {
  const { classes, pairs } = o.state;
  const perPair = classes.length === 2 ? 1 : classes.length;
  pairs.forEach((p: { calibrators: unknown[] }, i: number) => {
    if (p.calibrators.length !== perPair)
      fail(`${at}.state.pairs[${i}].calibrators`, `${perPair} calibrators for ${classes.length} classes`, p.calibrators.length);
  });
}

/** The ensembles of compose/: fitted members (each checked as a model of its own) and what combines them. */
const members = (len: string) => list(model(), len, { minLength: 1 });
const votingState = (classes: boolean) =>
  record({ names: list(str, 'm', { unique: true }), fitted: members('m'), w: f64({ len: 'm' }), ...(classes ? { classes: labels('k') } : {}) });
const stackingState = (classes: boolean) =>
  record({
    names: list(str, 'm', { unique: true }),
    fitted: members('m'),
    methods: list(oneOf('predictProba', 'decisionFunction', 'predict'), 'm'),
    final: model(),
    outputs: list(int(1), 'm'),
    ...(classes ? { classes: labels('k') } : { classes: absent }),
  });
const bagState = (classes: boolean) =>
  record({
    nFeatures: dim('p'),
    estimators: members('m'),
    features: list(i32({ min: 0, below: 'p' }), 'm'),
    samples: list(i32({ min: 0 }), 'm'),
    ...(classes ? { classes: labels('k') } : { classes: absent }),
    oob: optional(record({ score: num({ allow: 'infinite' }), values: f64({ allow: 'nan' }), cols: int(1) })),
  });
const boostState = record({
  classes: labels('k'),
  estimators: members('m'),
  weights: f64({ len: 'rounds' }),
  errors: f64({ len: 'rounds', min: 0 }),
});
/** MultiOutputClassifier / MultiOutputRegressor: one fitted member per output (and its classes). */
const multiOutputState = (classes: boolean) =>
  record({
    nFeatures: dim('p'),
    estimators: members('o'),
    ...(classes ? { classes: list(list(category, undefined, { unique: true, minLength: 1 }), 'o') } : { classes: absent }),
  });
/** ClassifierChain: the chain's order (a permutation of the outputs) and one member per link. */
const chainState = record({
  nFeatures: dim('p'),
  order: i32({ len: 'o', min: 0, below: 'o' }),
  estimators: members('o'),
  classes: list(list(category, undefined, { unique: true, minLength: 1 }), 'o'),
});
function checkChain(o: any, at: string): void {
  if (new Set(o.state.order).size !== o.state.order.length) fail(`${at}.state.order`, 'a permutation of the outputs (each index once)', o.state.order);
}

// thresholds may be +Infinity (every number goes left), never NaN
const treeEnsemble = instance(
  TreeEnsemble,
  {
    channels: dim('channels'),
    outputs: dim('o'),
    features: dim('p'),
    nodes: dim('nodes', 0),
    trees: dim('trees', 0),
    feature: i32({ len: 'nodes' }),
    threshold: f64({ len: 'nodes', allow: 'infinite' }),
    flags: typed(Uint8Array, { len: 'nodes' }),
    left: i32({ len: 'nodes' }),
    right: i32({ len: 'nodes' }),
    catOffset: i32({ len: 'nodes' }),
    catWords: i32({ len: 'nodes' }),
    catUsed: dim('catUsed', 0),
    catBits: typed(Uint32Array, { len: 'catUsed' }),
    value: f64({ len: 'nodes*channels' }),
    gain: f64({ len: 'nodes', allow: 'infinite' }),
    cover: f64({ len: 'nodes', allow: 'infinite' }),
    count: i32({ len: 'nodes' }),
    roots: i32({ len: 'trees' }),
    treeColumn: i32({ len: 'trees' }),
    treeWeight: f64({ len: 'trees' }),
  },
  (e: TreeEnsemble, at) => e.validate(at),
); // the tree walk: children inside their tree, features and bitsets in range
const treeState = { ensemble: treeEnsemble, baseScore: f64({ len: 'o' }), features: dim('p') };
const boostingState = {
  ...treeState,
  trainLoss: list(num({ allow: 'infinite' })),
  validLoss: nullable(list(num({ allow: 'infinite' }))),
  bestIteration: int(0),
};
/** A classifier's score columns: one for two classes (a logit), one per class otherwise. */
const scoreColumns = (k: number) => (k === 2 ? 1 : k);
const forestClassifier: ModelSchema = {
  fitted: { state: record({ ...treeState, classes: labels('k') }) },
  check(o, at, d) {
    if (d.get('o') !== d.get('k')) fail(`${at}.state.classes`, `one class per output column (${d.get('o')})`, o.state.classes);
  },
  inputs: 'p',
};
const forestRegressor: ModelSchema = { fitted: { state: record(treeState) }, inputs: 'p' };

const neighborsState = record({ X: matrix });
const mlpState = (outputs: string[]): Spec =>
  record({
    net: record({
      sizes: i32({ len: 'layers', min: 1 }),
      hidden: oneOf('identity', 'logistic', 'tanh', 'relu'),
      output: oneOf(...outputs),
      params: rule('a Float32Array of finite weights, as many as the layer sizes need', (v, _at, d) => {
        if (!(v instanceof Float32Array) || !v.every(Number.isFinite)) return false;
        d.set('weights', v.length);
      }),
    }),
    m: f32({ len: 'weights' }),
    v: f32({ len: 'weights' }),
    step: f64({ len: 1 }),
    rng,
    lr: num({ min: 0 }),
    best: num({ allow: 'infinite' }),
    noImprove: int(0),
    kernels: absent,
  });
function checkNetwork(o: any, at: string, d: Dims): void {
  const sizes: Int32Array = o.state.net.sizes;
  if (sizes.length < 2) fail(`${at}.state.net.sizes`, 'at least an input and an output layer size', sizes);
  let total = 0;
  for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l] * sizes[l + 1] + sizes[l + 1];
  if (total !== d.get('weights')) fail(`${at}.state.net.params`, `${total} weights (the layer sizes ${sizes.join(', ')})`, o.state.net.params);
  d.set('p', sizes[0]);
}

const schemas = new Map<Class, ModelSchema>([
  // ---- linear models
  [LinearRegression, { ...linearFit, fitted: { ...linearFit.fitted, rank: int(0) } }],
  [Ridge, linearFit],
  [ElasticNet, elasticNet],
  [Lasso, elasticNet],
  [
    LogisticRegression,
    {
      fitted: {
        state: record({ classes: labels('k'), scores: dim('s'), nFeatures: dim('p'), coef: f64({ len: 's*p' }), intercept: f64({ len: 's' }), nIter: int(0) }),
      },
      check(_o, at, d) {
        if (d.get('s') !== scoreColumns(d.get('k')!)) fail(`${at}.state.scores`, `${scoreColumns(d.get('k')!)} for ${d.get('k')} classes`, d.get('s'));
      },
      inputs: 'p',
    },
  ],
  [
    LinearSVC,
    {
      fitted: {
        state: record({ classes: labels('k'), models: dim('m'), p: dim('p'), coef: f64({ len: 'm*p' }), intercept: f64({ len: 'm' }), nIter: int(0) }),
      },
      check(_o, at, d) {
        if (d.get('m') !== scoreColumns(d.get('k')!)) fail(`${at}.state.models`, `${scoreColumns(d.get('k')!)} for ${d.get('k')} classes`, d.get('m'));
      },
      inputs: 'p',
    },
  ],
  [
    SGDRegressor,
    {
      fitted: { model: record({ p: dim('p'), models: dim('m', 1), coef: f64({ len: 'm*(p+1)' }), t: f64({ len: 'm' }), nIter: int(0) }), rng },
      check(_o, at, d) {
        if (d.get('m') !== 1) fail(`${at}.model.models`, '1 (one target)', d.get('m'));
      },
      inputs: 'p',
    },
  ],
  [
    SGDClassifier,
    {
      fitted: {
        model: record({ p: dim('p'), models: dim('m'), coef: f64({ len: 'm*(p+1)' }), t: f64({ len: 'm' }), nIter: int(0) }),
        rng,
        labels: labels('k'),
      },
      check(_o, at, d) {
        if (d.get('m') !== scoreColumns(d.get('k')!)) fail(`${at}.model.models`, `${scoreColumns(d.get('k')!)} for ${d.get('k')} classes`, d.get('m'));
      },
      inputs: 'p',
    },
  ],
  // ---- naive Bayes, dummies
  [
    GaussianNB,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          p: dim('p'),
          classCount: f64({ len: 'k', min: 0 }),
          classPrior: f64({ len: 'k', min: 0 }),
          theta: f64({ len: 'k*p' }),
          variance: f64({ len: 'k*p', min: 0 }),
          epsilon: num({ min: 0 }),
        }),
      },
      check(o, at) {
        if (!o.state.variance.every((v: number) => v + o.state.epsilon > 0))
          fail(`${at}.state.variance`, 'positive variances (after epsilon)', o.state.variance);
      },
      inputs: 'p',
    },
  ],
  [
    MultinomialNB,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          p: dim('p'),
          classCount: f64({ len: 'k', min: 0 }),
          featureLogProb: f64({ len: 'k*p' }),
          classLogPrior: f64({ len: 'k', allow: 'infinite' }),
        }),
      },
      check(o, at) {
        if (o.state.classLogPrior.some((v: number) => v === Infinity))
          fail(`${at}.state.classLogPrior`, 'log-probabilities (<= 0 or -Infinity)', o.state.classLogPrior);
      },
      inputs: 'p',
    },
  ],
  [DummyClassifier, { fitted: { state: record({ classes: labels('k'), prior: f64({ len: 'k', min: 0 }) }) } }],
  [DummyRegressor, { fitted: { state: record({ value: f64({ len: 'o' }), oneD: bool }) } }],
  // ---- trees
  [DecisionTreeClassifier, forestClassifier],
  [RandomForestClassifier, forestClassifier],
  [DecisionTreeRegressor, forestRegressor],
  [RandomForestRegressor, forestRegressor],
  [ExtraTreesClassifier, forestClassifier],
  [ExtraTreesRegressor, forestRegressor],
  [GradientBoostingRegressor, { fitted: { state: record(boostingState) }, inputs: 'p' }],
  [
    GradientBoostingClassifier,
    {
      fitted: { state: record(boostingState), labels: labels('k') },
      check(o, at, d) {
        if (d.get('o') !== scoreColumns(d.get('k')!)) fail(`${at}.labels`, `${d.get('o')} score column(s) worth of classes`, o.labels);
      },
      inputs: 'p',
    },
  ],
  // ---- kernel SVMs
  [SVC, svmClassifier],
  [NuSVC, svmClassifier],
  [SVR, svmSingle],
  [NuSVR, svmSingle],
  [OneClassSVM, svmSingle],
  // ---- neighbours, neural networks
  [NearestNeighbors, { fitted: { state: neighborsState }, inputs: 'p' }],
  [
    KNeighborsClassifier,
    { fitted: { state: neighborsState, labels: record({ classes: labels('k'), codes: i32({ len: 'n', min: 0, below: 'k' }) }) }, inputs: 'p' },
  ],
  [KNeighborsRegressor, { fitted: { state: neighborsState, target: record({ outputs: dim('o'), oneD: bool, y: f64({ len: 'n*o' }) }) }, inputs: 'p' }],
  [
    KNNImputer,
    {
      fitted: {
        state: record({
          rows: dim('n'),
          cols: dim('p'),
          X: f64({ len: 'n*p', allow: 'nan' }),
          means: f64({ len: 'p', allow: 'nan' }),
          kept: list(below('p'), undefined, { unique: true }),
        }),
      },
      inputs: 'p',
      outputs: (o) => o.state?.kept.length,
    },
  ],
  [
    MLPClassifier,
    {
      fitted: { state: mlpState(['softmax']), labels: labels('k') },
      always: { history: optional(list(anything)) },
      check(o, at, d) {
        checkNetwork(o, at, d);
        const out = o.state.net.sizes[o.state.net.sizes.length - 1],
          k = d.get('k')!;
        if (out !== k || o.state.net.output !== 'softmax')
          fail(`${at}.state.net`, `a softmax output layer of ${k} units (one per class)`, `${out} units, ${o.state.net.output}`);
      },
      inputs: 'p',
    },
  ],
  [MLPRegressor, { fitted: { state: mlpState(['identity']) }, always: { history: optional(list(anything)), oneD: bool }, check: checkNetwork, inputs: 'p' }],
  // ---- scalers and simple transformers
  [
    StandardScaler,
    {
      fitted: { affine, fittedStats: record({ mean: f64({ len: 'p', allow: 'nan' }), variance: f64({ len: 'p', allow: 'nan' }), count: f64({ min: 0 }) }) },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [
    MinMaxScaler,
    { fitted: { affine, range: record({ min: f64({ len: 'p', allow: 'nan' }), max: f64({ len: 'p', allow: 'nan' }) }) }, inputs: 'p', outputs: 'p' },
  ],
  [MaxAbsScaler, { fitted: { affine, maxAbsRaw: f64({ len: 'p', min: 0, allow: 'nan' }) }, inputs: 'p', outputs: 'p' }],
  [RobustScaler, { fitted: { affine }, inputs: 'p', outputs: 'p' }],
  [
    Winsorizer,
    {
      fitted: { bounds: record({ lo: f64({ len: 'p' }), hi: f64({ len: 'p' }) }) },
      check(o, at) {
        o.bounds.lo.forEach((lo: number, j: number) => {
          if (!(lo <= o.bounds.hi[j])) fail(`${at}.bounds.lo[${j}]`, `<= hi (${o.bounds.hi[j]})`, lo);
        });
      },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [Normalizer, { fitted: {} }],
  [FunctionTransformer, { fitted: {} }],
  [DateFeatures, { fitted: { nInputs: dim('p') }, inputs: 'p' }],
  [PolynomialFeatures, { fitted: { nInputs: dim('p'), terms: list(list(below('p')), 'out', { minLength: 1 }) }, inputs: 'p', outputs: 'out' }],
  // ±Infinity: the outer edges of a constant column
  [
    KBinsDiscretizer,
    {
      fitted: { edges: list(f64({ sorted: true, allow: 'infinite' }), 'p') },
      check(o, at) {
        o.edges.forEach((e: Float64Array, j: number) => {
          if (e.length < 2) fail(`${at}.edges[${j}]`, 'at least two bin edges', e);
        });
      },
      inputs: 'p',
    },
  ],
  [
    QuantileTransformer,
    {
      fitted: { state: record({ references: f64({ len: 'q', sorted: true }), quantiles: list(f64({ len: 'q', sorted: true }), 'p') }) },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [PowerTransformer, { fitted: { state: record({ lambdas: f64({ len: 'p' }), scaler: optional(model(StandardScaler)) }) }, inputs: 'p', outputs: 'p' }],
  [
    SimpleImputer,
    {
      fitted: {
        state: optional(
          record({
            cols: dim('p'),
            statistics: f64({ len: 'p', allow: 'nan' }),
            kept: list(below('p'), undefined, { unique: true }),
            indicator: list(below('p'), undefined, { unique: true }),
          }),
        ),
        categorical: optional(
          record({
            cols: dim('p'),
            values: list(nullable(category), 'p'),
            kept: list(below('p'), undefined, { unique: true }),
            indicator: list(below('p'), undefined, { unique: true }),
            names: optional(list(str)),
          }),
        ),
      },
      check(o, at) {
        // a NaN statistic is a column with no observed value: transform fills it with 0
        if (o.state && o.categorical) fail(at, 'fitted on numbers or on categories, not both', 'both');
      },
      inputs: 'p',
      outputs: (o) => {
        const fit = o.state ?? o.categorical;
        return fit ? fit.kept.length + (o.current.addIndicator ? fit.indicator.length : 0) : undefined;
      },
    },
  ],
  // ---- encoders, text
  [OrdinalEncoder, { fitted: { cats: categories }, inputs: 'p', outputs: 'p' }],
  [HashingEncoder, { fitted: { cats: categories }, inputs: 'p' }],
  [
    OneHotEncoder,
    {
      fitted: { cats: categories, layouts: list(record({ pos: i32({ min: -1 }), infrequentPos: int(-1), width: int(0), infrequent: list(category) }), 'p') },
      check(o, at) {
        o.layouts.forEach((l: { pos: Int32Array; infrequentPos: number; width: number }, j: number) => {
          if (l.pos.length !== o.cats[j].length) fail(`${at}.layouts[${j}].pos`, `one position per category (${o.cats[j].length})`, l.pos);
          if (l.pos.some((x) => x >= l.width) || l.infrequentPos >= l.width) fail(`${at}.layouts[${j}]`, `positions below its width ${l.width}`, l.pos);
        });
      },
      inputs: 'p',
      outputs: (o) => o.layouts?.reduce((s: number, l: { width: number }) => s + l.width, 0),
    },
  ],
  [FrequencyEncoder, { fitted: { cats: categories, counts: list(mapOf(category, int(0)), 'p'), n: int(0) }, inputs: 'p', outputs: 'p' }],
  [
    TargetEncoder,
    {
      fitted: { cats: categories, encoding: record({ maps: list(mapOf(category, num()), 'p'), mean: num() }) },
      always: { onLearn: absent },
      inputs: 'p',
      outputs: 'p',
    },
  ],
  [CountVectorizer, { fitted: { vocab: mapOf(str, int(0), 'v') }, check: (o, at) => checkVocabulary(o.vocab, at), outputs: 'v' }],
  [
    TfidfVectorizer,
    { fitted: { vocab: mapOf(str, int(0), 'v'), idfValues: f64({ len: 'v', min: 0 }) }, check: (o, at) => checkVocabulary(o.vocab, at), outputs: 'v' },
  ],
  // ---- clustering and outlier detection
  [KMeans, { fitted: { state: centroidState }, inputs: 'p' }],
  [
    MiniBatchKMeans,
    {
      fitted: {
        state: centroidState,
        stream: record({ counts: f64({ len: 'k', min: 0 }), rng, sinceReassign: int(0), steps: int(0) }),
      },
      inputs: 'p',
    },
  ],
  [
    DBSCAN,
    {
      fitted: {
        state: record({
          rows: dim('n'),
          p: dim('p'),
          labels: i32({ len: 'n', min: -1, below: 'n' }),
          core: i32({ min: 0, below: 'n', sorted: true }),
          components: f64(),
        }),
      },
      check(o, at) {
        if (o.state.components.length !== o.state.core.length * o.state.p) fail(`${at}.state.components`, 'one row per core sample', o.state.components);
      },
      inputs: 'p',
    },
  ],
  [
    HDBSCAN,
    {
      fitted: {
        state: record({
          n: dim('n', 2),
          p: dim('p'),
          labels: i32({ len: 'n', min: -1, below: 'n' }),
          probabilities: f64({ len: 'n', min: 0 }),
          tree: record({
            parent: i32({ len: 'rows', min: 0 }),
            child: i32({ len: 'rows', min: 0 }),
            lambda: f64({ len: 'rows', min: 0, allow: 'infinite' }),
            size: i32({ len: 'rows', min: 1 }),
          }),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    LocalOutlierFactor,
    {
      fitted: {
        state: record({
          rows: dim('n'),
          p: dim('p'),
          k: dim('k'),
          X: f64({ len: 'n*p' }),
          kDist: f64({ len: 'n', min: 0 }),
          lrd: f64({ len: 'n', min: 0 }),
          nof: f64({ len: 'n' }),
          offset: num(),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    IsolationForest,
    {
      fitted: {
        state: record({
          p: dim('p'),
          maxSamples: int(1),
          offset: num(),
          nodes: record({
            roots: i32({ min: 0, sorted: true }),
            feature: i32({ len: 'nodes', min: -1, below: 'p' }),
            threshold: f64({ len: 'nodes', allow: 'infinite' }),
            left: i32({ len: 'nodes', min: -1 }),
            pathLength: f64({ len: 'nodes', min: 0 }),
          }),
        }),
      },
      check(o, at) {
        // every split's children follow it inside its own tree, so a walk always ends at a leaf
        const { roots, feature, left } = o.state.nodes;
        const size = feature.length;
        if (roots.length < 2 || roots[0] !== 0 || roots[roots.length - 1] !== size)
          fail(`${at}.state.nodes.roots`, `tree starts from 0 to the node count ${size}`, roots);
        for (let t = 0; t + 1 < roots.length; t++) {
          for (let i = roots[t]; i < roots[t + 1]; i++) {
            const ok = feature[i] < 0 ? left[i] === -1 : left[i] > i && left[i] + 1 < roots[t + 1];
            if (!ok) fail(`${at}.state.nodes.left[${i}]`, 'a leaf (-1) or a later node of the same tree', left[i]);
          }
        }
      },
      inputs: 'p',
    },
  ],
  [
    GaussianMixture,
    {
      fitted: {
        state: record({
          type: oneOf('full', 'tied', 'diag', 'spherical'),
          k: dim('k'),
          p: dim('p'),
          weights: f64({ len: 'k', min: 0 }),
          means: f64({ len: 'k*p' }),
          covariances: f64(),
          precChol: f64(),
          converged: bool,
          nIter: int(0),
          lowerBound: num({ allow: 'infinite' }),
        }),
      },
      check(o, at) {
        const { type, k, p, covariances, precChol } = o.state;
        const len = covLength(type, k, p);
        if (covariances.length !== len) fail(`${at}.state.covariances`, `${len} values for covariance type ${type}`, covariances);
        if (precChol.length !== len) fail(`${at}.state.precChol`, `${len} values for covariance type ${type}`, precChol);
      },
      inputs: 'p',
    },
  ],
  [MinCovDet, { fitted: { state: robustCovarianceState }, inputs: 'p' }],
  [EllipticEnvelope, { fitted: { state: robustCovarianceState, offsetValue: num() }, inputs: 'p' }],
  [
    AgglomerativeClustering,
    {
      fitted: {
        state: record({
          rows: dim('n', 2),
          p: dim('p'),
          nClusters: int(1),
          labels: i32({ len: 'n', min: 0 }),
          children: i32({ min: 0 }),
          distances: nullable(f64({ allow: 'infinite' })),
        }),
      },
      check(o, at) {
        const { rows, children, distances } = o.state;
        if (children.length !== 2 * (rows - 1)) fail(`${at}.state.children`, `${2 * (rows - 1)} values (two per merge)`, children);
        for (let i = 0; i < children.length; i++)
          if (children[i] >= rows + (i >> 1)) fail(`${at}.state.children[${i}]`, 'a row or an earlier merge', children[i]);
        if (distances !== null && distances.length !== rows - 1) fail(`${at}.state.distances`, `${rows - 1} merge heights`, distances);
      },
    },
  ],
  // ---- composition, resamplers (parameters only)
  [
    Pipeline,
    {
      fitted: {},
      always: {
        steps: list(
          rule('a [name, estimator] pair', (v) => Array.isArray(v) && v.length === 2),
          undefined,
          { minLength: 1 },
        ),
        fittedOnce: bool,
      },
      check: checkPipeline,
    },
  ],
  [
    ColumnTransformer,
    {
      fitted: {},
      always: {
        transformers: list(
          rule('a [name, transformer, columns] triple', (v) => Array.isArray(v) && v.length === 3),
          undefined,
          { minLength: 1 },
        ),
        remainder: oneOf('drop', 'passthrough'),
        nCols: optional(dim('p', 0)),
        rest: list(below('p')),
        resolved: list(list(below('p'))),
        fittedSpecs: list(list(rule('a column index or name', (v) => typeof v === 'string' || (Number.isSafeInteger(v) && v >= 0)))),
      },
      check: checkColumnTransformer,
    },
  ],
  // ---- calibration
  [IsotonicRegression, { fitted: { state: isotonicState }, check: checkIsotonic }],
  [
    CalibratedClassifierCV,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          pairs: list(record({ estimator: model(), calibrators: list(calibrator, undefined, { minLength: 1 }) }), undefined, { minLength: 1 }),
        }),
      },
      check: checkCalibrated,
    },
  ],
  // ---- ensembles of estimators (compose/)
  [VotingClassifier, { fitted: { state: votingState(true) } }],
  [VotingRegressor, { fitted: { state: votingState(false) } }],
  [StackingClassifier, { fitted: { state: stackingState(true) } }],
  [StackingRegressor, { fitted: { state: stackingState(false) } }],
  [BaggingClassifier, { fitted: { state: bagState(true) }, inputs: 'p' }],
  [BaggingRegressor, { fitted: { state: bagState(false) }, inputs: 'p' }],
  [AdaBoostClassifier, { fitted: { state: boostState } }],
  [MultiOutputClassifier, { fitted: { state: multiOutputState(true) }, inputs: 'p', outputs: 'o' }],
  [MultiOutputRegressor, { fitted: { state: multiOutputState(false) }, inputs: 'p', outputs: 'o' }],
  [ClassifierChain, { fitted: { state: chainState }, check: checkChain, inputs: 'p', outputs: 'o' }],
  [
    EasyEnsembleClassifier,
    { fitted: { state: record({ nFeatures: dim('p'), classes: labels('k'), estimators: members('m'), samples: list(i32({ min: 0 }), 'm') }) }, inputs: 'p' },
  ],
  // ---- feature selection (selection/): a 0/1 mask over the input columns and what chose it
  [VarianceThreshold, selector({ variancesFit: f64({ len: 'p', allow: 'nan' }) })],
  [SelectKBest, univariateSelector],
  [SelectPercentile, univariateSelector],
  [SelectFpr, univariateSelector],
  [SelectFdr, univariateSelector],
  [SelectFwe, univariateSelector],
  [
    DropCorrelatedFeatures,
    selector({
      relevanceFit: nullable(f64({ len: 'p', allow: 'nan' })),
      pairsFit: list(record({ a: below('p'), b: below('p'), correlation: num() })),
    }),
  ],
  [SelectFromModel, selector({ estimatorFit: model(), thresholdFit: num({ allow: 'infinite' }), importancesFit: f64({ len: 'p', allow: 'nan' }) })],
  [RFE, selector({ rankingFit: i32({ len: 'p', min: 1 }), estimatorFit: model() })],
  [
    RFECV,
    selector({
      rankingFit: i32({ len: 'p', min: 1 }),
      estimatorFit: model(),
      resultsFit: record({
        meanTestScore: f64({ len: 'stages', allow: 'nan' }),
        stdTestScore: f64({ len: 'stages', allow: 'nan' }),
        splitTestScores: list(f64({ len: 'stages', allow: 'nan' })),
        nFeatures: i32({ len: 'stages', min: 1 }),
      }),
    }),
  ],
  [SequentialFeatureSelector, selector({ nSelected: int(1) })],
  // ---- hyperparameter search (selection/search/)
  [GridSearchCV, search],
  [RandomizedSearchCV, search],
  [HalvingGridSearchCV, halving],
  [HalvingRandomSearchCV, halving],
  [RandomOverSampler, { fitted: {}, always: { samplingStrategy: anything, randomState: anything, over: rule('true', (v) => v === true) } }],
  [RandomUnderSampler, { fitted: {}, always: { samplingStrategy: anything, randomState: anything, over: rule('false', (v) => v === false) } }],
  [SMOTE, { fitted: {}, always: { opts: anything } }],
  [TomekLinks, { fitted: {}, always: { opts: anything } }],
  [EditedNearestNeighbours, { fitted: {}, always: { opts: anything } }],
  [SMOTETomek, { fitted: {}, always: { opts: record({ smote: model(SMOTE), tomek: model(TomekLinks) }) } }],
  [SMOTEENN, { fitted: {}, always: { opts: record({ smote: model(SMOTE), enn: model(EditedNearestNeighbours) }) } }],
  [BalancedRandomForestClassifier, forestClassifier],
  // ---- decomposition
  [PCA, { fitted: { state: projectionState, solverUsed: oneOf('full', 'randomized') }, inputs: 'p', outputs: 'k' }],
  [
    LinearDiscriminantAnalysis,
    {
      fitted: {
        state: record({
          classes: labels('k'),
          p: dim('p'),
          priors: f64({ len: 'k', min: 0 }),
          means: f64({ len: 'k*p' }),
          fit: record({
            r: dim('r', 0),
            scalings: f64({ len: 'p*r' }),
            coef: f64({ len: 'k*p' }),
            intercept: f64({ len: 'k', allow: 'infinite' }),
            ratio: f64(),
            centre: nullable(f64({ len: 'p' })),
          }),
          maxComponents: int(0),
        }),
      },
      inputs: 'p',
    },
  ],
  [
    TSNE,
    {
      fitted: {
        state: record({ n: dim('n'), c: dim('c'), embedding: f64({ len: 'n*c' }), kl: num(), nIter: int(0), learningRate: num({ min: 0 }) }),
      },
    },
  ],
  [IncrementalPCA, { fitted: { state: projectionState, running: record({ variance: f64({ len: 'p', min: 0 }) }) }, inputs: 'p', outputs: 'k' }],
  [
    TruncatedSVD,
    {
      fitted: {
        state: record({
          nFeatures: dim('p'),
          nComponents: dim('k'),
          components: f64({ len: 'k*p' }),
          explainedVariance: f64({ len: 'k', min: 0 }),
          explainedVarianceRatio: f64({ len: 'k', min: 0 }),
          singularValues: f64({ len: 'k', min: 0 }),
        }),
      },
      inputs: 'p',
      outputs: 'k',
    },
  ],
]);

function checkVocabulary(vocab: Map<string, number>, at: string): void {
  const seen = new Uint8Array(vocab.size);
  for (const [term, i] of vocab) {
    if (i >= vocab.size || seen[i]) fail(`${at}.vocab.get(${JSON.stringify(term).slice(0, 40)})`, `a column index used once, below ${vocab.size}`, i);
    seen[i] = 1;
  }
}

function checkPipeline(o: Pipeline, at: string): ColumnCounts {
  let prevOut: number | undefined, inputs: number | undefined;
  o.steps.forEach(([name, step], i) => {
    const where = `${at}.steps[${i}][1]`;
    const io = checkModel(step, where);
    if (i === 0) inputs = io.inputs;
    if (prevOut !== undefined && io.inputs !== undefined && io.inputs !== prevOut) {
      throw new ModelFormatError(`${where} (step '${String(name).slice(0, 40)}') was fitted on ${io.inputs} columns but the step before it outputs ${prevOut}`);
    }
    prevOut = io.outputs;
  });
  rebuildWith(() => new Pipeline(o.steps), at);
  return { inputs, outputs: prevOut };
}

function checkColumnTransformer(o: any, at: string): void {
  const ios = (o.transformers as unknown[][]).map(([, t], i) => (t === 'drop' || t === 'passthrough' ? {} : checkModel(t, `${at}.transformers[${i}][1]`)));
  rebuildWith(() => new ColumnTransformer(o.transformers, { remainder: o.remainder }), at);
  if (o.nCols === undefined) return; // unfitted
  const n = o.transformers.length;
  if (o.resolved.length !== n || o.fittedSpecs.length !== n) fail(`${at}.resolved`, `one column list per transformer (${n})`, o.resolved);
  (o.transformers as [string, unknown, unknown][]).forEach(([name, , cols], i) => {
    const spec = o.fittedSpecs[i] as unknown[],
      where = `${at}.transformers[${i}] ('${String(name).slice(0, 40)}')`;
    if (Array.isArray(cols) && (cols.length !== spec.length || cols.some((c, j) => c !== spec[j])))
      fail(`${at}.fittedSpecs[${i}]`, `the columns ${where} names`, spec);
    if (spec.length !== o.resolved[i].length) fail(`${at}.resolved[${i}]`, `${spec.length} column indices`, o.resolved[i]);
    const inputs = ios[i].inputs;
    if (inputs !== undefined && inputs !== o.resolved[i].length) {
      throw new ModelFormatError(`${where} was fitted on ${inputs} columns but is given ${o.resolved[i].length}`);
    }
  });
}

/** Runs a constructor on saved parameters: its own checks decide, and a refusal is a format error. */
function rebuildWith(build: () => unknown, at: string): unknown {
  try {
    return build();
  } catch (e) {
    throw new ModelFormatError(`${at}: the saved parameters are not valid (${(e as Error)?.message ?? String(e)})`, { cause: e });
  }
}

/** The schema of an object's class, or undefined when kiln has none (it cannot be a model). */
export function schemaOf(o: object): ModelSchema | undefined {
  const proto = Object.getPrototypeOf(o);
  const Ctor = proto?.constructor as Class | undefined;
  return Ctor && Ctor.prototype === proto ? schemas.get(Ctor) : undefined; // exactly the class: a subclass states its own
}

/**
 * The classes a saved object graph may hold, by name: every model class with a schema and the
 * data classes inside them. toPlain writes, and fromPlain / load rebuild, only these.
 */
export const SAVABLE_CLASSES: ReadonlyMap<string, Class> = new Map([...schemas.keys(), Matrix, Rng, TreeEnsemble].map((Ctor) => [Ctor.name, Ctor] as const));

/** Every class with a schema (for the test that enumerates saveable classes). */
export function classesWithSchemas(): Class[] {
  return [...schemas.keys()];
}

/**
 * Checks a loaded model (estimator, transformer, Pipeline, ColumnTransformer) and everything in
 * it; returns its input and output column counts where its schema states them.
 */
export function checkModel(o: unknown, at: string): ColumnCounts {
  const s = o !== null && typeof o === 'object' ? schemaOf(o) : undefined;
  if (!s) {
    const what = o !== null && typeof o === 'object' ? `a ${(o as object).constructor?.name ?? 'plain object'}` : preview(o);
    throw new ModelFormatError(`${at} is ${what}, not a kiln estimator, transformer or pipeline`);
  }
  const fields = o as Record<string, unknown>;
  const Ctor = (o as object).constructor as new (p: unknown) => object;
  const params: Fields =
    o instanceof Estimator
      ? { defaults: rule('the parameter defaults (an object)', plainObject), current: rule('the parameters (an object)', plainObject) }
      : {};
  const dims: Dims = new Map();
  const fitted = Object.keys(s.fitted).some((k) => fields[k] !== undefined);
  checkFields(fields, { ...(s.always ?? {}), ...(fitted ? s.fitted : Object.fromEntries(Object.keys(s.fitted).map((k) => [k, absent]))), ...params }, at, dims);
  if (o instanceof Estimator) {
    // the parameters pass the class's own checks; the defaults are this kiln's, never the file's
    const built = rebuildWith(() => new Ctor(fields.current), at) as Record<string, unknown>;
    fields.defaults = built.defaults;
  }
  const composite = fitted || Object.keys(s.fitted).length === 0 ? s.check?.(o, at, dims) : undefined;
  if (composite) return composite;
  const outputs = typeof s.outputs === 'function' ? s.outputs(o, dims) : s.outputs !== undefined ? dims.get(s.outputs) : undefined;
  return { inputs: s.inputs !== undefined ? dims.get(s.inputs) : undefined, outputs };
}

function plainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

function preview(v: unknown): string {
  return v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 60) ?? typeof v);
}
