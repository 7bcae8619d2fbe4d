/**
 * The call contract every estimator shares: an option key it does not know (a typo) is
 * E_PARAM naming the key and the known ones, never silently ignored; weights are numbers;
 * LinearSVC honours sampleWeight (integer weights = duplicated rows, LIBLINEAR's closed form).
 */
import { describe, expect, it } from 'vitest';
import * as kiln from '../../src/index.js';
import { Estimator } from '../../src/core/estimator.js';
import { LinearSVC, Matrix } from '../../src/index.js';

const n = 40;
const X = Array.from({ length: n }, (_, i) => [i % 7, (i * 3) % 5]);
const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
// the selectors' data: X plus one column that tracks the label, so a univariate test passes at 0.05
const withSignal = X.map((r, i) => [...r, (labels[i] === 'a' ? 1 : 0) + (i % 4) * 0.1]);
const targets = Array.from({ length: n }, (_, i) => i * 0.5 + (i % 3));
const cats = Array.from({ length: n }, (_, i) => [['x', 'y', 'z'][i % 3]]);
const docs = Array.from({ length: n }, (_, i) => ['red fox', 'blue fox', 'red hen'][i % 3]);

type Kind =
  | 'classifier'
  | 'regressor'
  | 'multilabel'
  | 'multiTarget'
  | 'transformer'
  | 'categorical'
  | 'text'
  | 'unsupervised'
  | 'embedding'
  | 'selector'
  | 'oneFeature'
  | 'ranker';
/** How each estimator class is fitted; a class missing here fails the coverage test below. */
const KINDS: Record<string, Kind> = {
  DummyClassifier: 'classifier',
  GaussianNB: 'classifier',
  MultinomialNB: 'classifier',
  LogisticRegression: 'classifier',
  SGDClassifier: 'classifier',
  LinearSVC: 'classifier',
  KNeighborsClassifier: 'classifier',
  MLPClassifier: 'classifier',
  GradientBoostingClassifier: 'classifier',
  RandomForestClassifier: 'classifier',
  ExtraTreesClassifier: 'classifier',
  DecisionTreeClassifier: 'classifier',
  SVC: 'classifier',
  NuSVC: 'classifier',
  SVR: 'regressor',
  NuSVR: 'regressor',
  OneClassSVM: 'unsupervised',
  DummyRegressor: 'regressor',
  LinearRegression: 'regressor',
  Ridge: 'regressor',
  Lasso: 'regressor',
  ElasticNet: 'regressor',
  SGDRegressor: 'regressor',
  KNeighborsRegressor: 'regressor',
  MLPRegressor: 'regressor',
  GradientBoostingRegressor: 'regressor',
  GradientBoostingRanker: 'ranker',
  RandomForestRegressor: 'regressor',
  ExtraTreesRegressor: 'regressor',
  DecisionTreeRegressor: 'regressor',
  StandardScaler: 'transformer',
  MinMaxScaler: 'transformer',
  MaxAbsScaler: 'transformer',
  RobustScaler: 'transformer',
  Normalizer: 'transformer',
  PowerTransformer: 'transformer',
  QuantileTransformer: 'transformer',
  KBinsDiscretizer: 'transformer',
  PolynomialFeatures: 'transformer',
  FunctionTransformer: 'transformer',
  SimpleImputer: 'transformer',
  Winsorizer: 'transformer',
  DateFeatures: 'transformer',
  KNNImputer: 'transformer',
  OneHotEncoder: 'categorical',
  OrdinalEncoder: 'categorical',
  FrequencyEncoder: 'categorical',
  HashingEncoder: 'categorical',
  TargetEncoder: 'categorical',
  CountVectorizer: 'text',
  TfidfVectorizer: 'text',
  NearestNeighbors: 'unsupervised',
  PCA: 'transformer',
  IncrementalPCA: 'transformer',
  TruncatedSVD: 'transformer',
  LinearDiscriminantAnalysis: 'classifier',
  TSNE: 'embedding',
  KMeans: 'unsupervised',
  MiniBatchKMeans: 'unsupervised',
  DBSCAN: 'embedding',
  HDBSCAN: 'embedding', // transductive: its output is the fitted labels // transductive: its output is the fitted labels, there is no predict
  LocalOutlierFactor: 'unsupervised',
  IsolationForest: 'unsupervised',
  GaussianMixture: 'unsupervised',
  EllipticEnvelope: 'unsupervised',
  MinCovDet: 'embedding', // a robust estimate of the training data: mahalanobis, no predict or transform
  AgglomerativeClustering: 'embedding', // transductive: its output is the fitted labels
  VarianceThreshold: 'transformer',
  DropCorrelatedFeatures: 'selector',
  SelectKBest: 'selector',
  SelectPercentile: 'selector',
  SelectFpr: 'selector',
  SelectFdr: 'selector',
  SelectFwe: 'selector',
  SelectFromModel: 'selector',
  RFE: 'selector',
  RFECV: 'selector',
  SequentialFeatureSelector: 'selector',
  IsotonicRegression: 'oneFeature',
  CalibratedClassifierCV: 'classifier',
  GridSearchCV: 'classifier',
  RandomizedSearchCV: 'classifier',
  HalvingGridSearchCV: 'classifier',
  HalvingRandomSearchCV: 'classifier',
  VotingClassifier: 'classifier',
  VotingRegressor: 'regressor',
  StackingClassifier: 'classifier',
  StackingRegressor: 'regressor',
  BaggingClassifier: 'classifier',
  BaggingRegressor: 'regressor',
  AdaBoostClassifier: 'classifier',
  MultiOutputClassifier: 'multilabel',
  ClassifierChain: 'multilabel',
  MultiOutputRegressor: 'multiTarget',
  BalancedRandomForestClassifier: 'classifier',
  EasyEnsembleClassifier: 'classifier',
};

type AnyEstimator = {
  fit(...args: unknown[]): Promise<unknown>;
  predict?(...args: unknown[]): Promise<unknown>;
  transform?(...args: unknown[]): Promise<unknown>;
};

function make(name: string): AnyEstimator {
  const Ctor = (kiln as unknown as Record<string, new (p?: object) => AnyEstimator>)[name];
  if (name === 'TSNE') return new Ctor({ perplexity: 5, nIter: 250 });
  if (name.endsWith('KMeans')) return new Ctor({ nClusters: 2, nInit: 1 });
  if (name === 'SelectKBest') return new Ctor({ k: 1 });
  if (name.startsWith('Voting') || name.startsWith('Stacking'))
    return new Ctor({
      estimators: [
        ['a', name.endsWith('Classifier') ? new kiln.LogisticRegression() : new kiln.Ridge()],
        ['b', new kiln.DummyRegressor()],
      ].slice(0, name.endsWith('Classifier') ? 1 : 2),
      ...(name.startsWith('Stacking') ? { cv: 2 } : {}),
    });
  if (name.startsWith('Bagging') || name.startsWith('AdaBoost') || name === 'BalancedRandomForestClassifier' || name === 'EasyEnsembleClassifier')
    return new Ctor({ nEstimators: 3 });
  if (name.startsWith('MultiOutput') || name === 'ClassifierChain')
    return new Ctor({ estimator: name.endsWith('Regressor') ? new kiln.Ridge() : new kiln.LogisticRegression() });
  if (['SelectFromModel', 'RFE', 'RFECV', 'SequentialFeatureSelector'].includes(name))
    return new Ctor({ estimator: new kiln.LogisticRegression(), ...(name === 'SequentialFeatureSelector' ? { nFeaturesToSelect: 1 } : {}) });
  if (name === 'GridSearchCV' || name === 'HalvingGridSearchCV')
    return new Ctor({ estimator: new kiln.LogisticRegression(), paramGrid: { C: [0.1, 1] }, cv: 2 });
  if (name === 'RandomizedSearchCV' || name === 'HalvingRandomSearchCV')
    return new Ctor({
      estimator: new kiln.LogisticRegression(),
      paramDistributions: { C: kiln.loguniform(0.1, 10) },
      cv: 2,
      ...(name === 'RandomizedSearchCV' ? { nIter: 2 } : { nCandidates: 2 }),
    });
  return new Ctor(name.startsWith('MLP') ? { maxIter: 3 } : name.startsWith('RandomForest') || name.startsWith('GradientBoosting') ? { nEstimators: 3 } : {});
}

function fitData(kind: Kind): [unknown, unknown] {
  switch (kind) {
    case 'classifier':
      return [X, labels];
    case 'selector':
      return [withSignal, labels];
    case 'oneFeature':
      return [X.map((r) => r[0]), targets];
    case 'regressor':
      return [X, targets];
    case 'ranker':
      return [X, targets.map((t) => Math.round(t) % 4)];
    case 'multilabel':
      return [X, X.map((r, i) => [labels[i] === 'a' ? 1 : 0, r[0] > 3 ? 1 : 0])];
    case 'multiTarget':
      return [X, targets.map((t) => [t, -t])];
    case 'categorical':
      return [cats, targets];
    case 'text':
      return [docs, undefined];
    default:
      return [X, undefined];
  }
}

const estimatorClasses = Object.entries(kiln)
  .filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Estimator)
  .map(([k]) => k)
  .filter((k) => k !== 'Transformer' && k !== 'Selector'); // the abstract bases users extend

const code = (c: string) => expect.objectContaining({ code: c });

describe('unknown option keys are E_PARAM, for every estimator', () => {
  it('covers every estimator class the package exports', () => {
    expect(estimatorClasses.filter((k) => !(k in KINDS))).toEqual([]);
  });

  it.each(Object.entries(KINDS))('%s.fit refuses a misspelt option and names it; the same call spelt right works', async (name, kind) => {
    const [data, y] = fitData(kind);
    const err = await make(name)
      .fit(data, y, { sampleWieght: [1] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_PARAM' });
    expect((err as Error).message).toContain(`${name}.fit: unknown option 'sampleWieght'`);
    expect((err as Error).message).toMatch(/known options are .*signal/);
    const m = make(name);
    await m.fit(data, y, { signal: new AbortController().signal, ...(kind === 'ranker' ? { group: [n] } : {}) }); // a ranker's rows: one query
    if (kind === 'embedding') return; // t-SNE and DBSCAN describe their training data only: no predict or transform
    // and the same for its prediction or transform
    const use = m.predict ? 'predict' : m.transform ? 'transform' : 'kneighbors';
    const useErr = await (m as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[use].call(m, data, { sigal: 1 }).catch((e: unknown) => e);
    expect(useErr).toMatchObject({ code: 'E_PARAM' });
    expect((useErr as Error).message).toContain(`unknown option 'sigal'`);
  });

  it('estimators without row weights refuse sampleWeight instead of ignoring it', async () => {
    for (const name of ['KNeighborsClassifier', 'KNeighborsRegressor', 'StandardScaler', 'OneHotEncoder']) {
      const [data, y] = fitData(KINDS[name]);
      await expect(make(name).fit(data, y, { sampleWeight: new Array(n).fill(1) })).rejects.toThrowError(code('E_PARAM'));
    }
  });

  it('Pipeline and ColumnTransformer pass the check down and refuse a non-object', async () => {
    const pipe = new kiln.Pipeline([
      ['scale', new kiln.StandardScaler()],
      ['ridge', new kiln.Ridge()],
    ]);
    await expect(pipe.fit(X, targets, { sampleWieght: [] })).rejects.toThrow(/Ridge\.fit: unknown option 'sampleWieght'/);
    await expect(pipe.fit(X, targets, 'fast' as unknown as object)).rejects.toThrowError(code('E_PARAM'));
    const ct = new kiln.ColumnTransformer([['s', new kiln.StandardScaler(), [0, 1]]]);
    await expect(ct.fit(Matrix.from(X), undefined, { singal: 1 } as object)).rejects.toThrow(/unknown option 'singal'/);
  });
});

describe('weights are numbers', () => {
  const weighted = [
    'Ridge',
    'LinearRegression',
    'LogisticRegression',
    'SGDClassifier',
    'GaussianNB',
    'MultinomialNB',
    'DummyClassifier',
    'GradientBoostingClassifier',
    'RandomForestRegressor',
    'MLPClassifier',
    'LinearSVC',
  ];
  it.each(weighted)('%s.fit refuses string and boolean weights with E_DTYPE naming sampleWeight', async (name) => {
    const [data, y] = fitData(KINDS[name]);
    for (const bad of ['1', true]) {
      const w = new Array<unknown>(n).fill(1);
      w[3] = bad;
      const err = await make(name)
        .fit(data, y, { sampleWeight: w })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_DTYPE' });
      expect((err as Error).message).toContain('sampleWeight[3]');
    }
  });
});

describe('LinearSVC honours sampleWeight', () => {
  // three separable-ish clusters with overlap, so the weights move the solution
  const rows: number[][] = [],
    ys: number[] = [];
  for (let i = 0; i < 30; i++) {
    const c = i % 3;
    rows.push([c + Math.sin(i * 1.7) * 0.9, c * 0.5 + Math.cos(i * 2.3) * 0.9]);
    ys.push(c);
  }
  const weights = rows.map((_, i) => (i * 7) % 4); // 0..3, zeros included

  it.each(['squared_hinge', 'hinge'] as const)('%s: integer weights give the model of duplicated rows (and weight 0 drops a row)', async (loss) => {
    const dup: number[][] = [],
      dupY: number[] = [];
    rows.forEach((r, i) => {
      for (let k = 0; k < weights[i]; k++) {
        dup.push(r);
        dupY.push(ys[i]);
      }
    });
    const params = { loss, C: 0.7, tol: 1e-10, maxIter: 200_000 };
    const weighted = await new LinearSVC(params).fit(rows, ys, { sampleWeight: weights });
    const duplicated = await new LinearSVC(params).fit(dup, dupY);
    const plain = await new LinearSVC(params).fit(rows, ys);
    const a = Array.from(weighted.coef.data),
      b = Array.from(duplicated.coef.data),
      c = Array.from(plain.coef.data);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    Array.from(weighted.intercept).forEach((v, i) => expect(v).toBeCloseTo(duplicated.intercept[i], 4));
    // and the weights did change the model: unweighted differs
    expect(Math.max(...a.map((v, i) => Math.abs(v - c[i])))).toBeGreaterThan(1e-2);
  });

  it('the JS reference and the native kernel agree under weights', async () => {
    const params = { C: 0.5, tol: 1e-10, maxIter: 100_000 };
    const js = await new LinearSVC({ ...params, backend: 'js' }).fit(rows, ys, { sampleWeight: weights });
    const native = await new LinearSVC({ ...params, backend: 'native' }).fit(rows, ys, { sampleWeight: weights });
    Array.from(js.coef.data).forEach((v, i) => expect(v).toBeCloseTo(native.coef.data[i], 6));
  });
});
