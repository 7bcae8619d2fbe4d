/**
 * Model files: every estimator and transformer kiln exports round-trips bit for bit; truncated,
 * tampered, future-version and foreign files are E_MODEL_FORMAT (never a crash or a hang);
 * writes are atomic; model cards render what the manifest holds.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as kiln from '../../src/index.js';
import {
  ColumnTransformer,
  decodeModel,
  encodeModel,
  FunctionTransformer,
  KNeighborsClassifier,
  load,
  loadWithManifest,
  LogisticRegression,
  Matrix,
  modelCard,
  OneHotEncoder,
  Pipeline,
  readManifest,
  save,
  SimpleImputer,
  StandardScaler,
  dataFingerprint,
  MLPClassifier,
  NearestNeighbors,
} from '../../src/index.js';
import { encodeContainer } from '../../src/core/container.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-model-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);
const code = (c: string) => expect.objectContaining({ code: c });

// ---- data -----------------------------------------------------------------------------------
const N = 48;
const X = Array.from({ length: N }, (_, i) => [Math.sin(i) * 3 + 5, (i % 7) + 0.5, Math.exp((i % 9) / 3), ((i * 7) % 11) / 3]);
const Xpos = X.map((r) => r.map((v) => v + 1));
const Xnan = X.map((r, i) => r.map((v, j) => (i % 5 === j ? NaN : v)));
const yClass = X.map((r, i) => ['ant', 'bee', 'cat'][(Math.floor(r[0]) + i) % 3]);
const yReg = X.map((r) => r[0] * 2 - r[1] + 0.5 * r[2]);
const Ymulti = X.map((r, i) => [r[0] > 5 ? 1 : 0, i % 3 === 0 ? 1 : 0, r[1] > 3 ? 1 : 0]);
const yRegMulti = X.map((r) => [r[0] * 2 - r[1], r[2] + r[3]]);
const strings = X.map((_r, i) => [['red', 'green', 'blue'][i % 3], `s${i % 4}`]);
const texts = X.map((_, i) => `${['the cat sat', 'a dog ran far', 'the cat ran', 'birds sing at dawn'][i % 4]} w${i % 5}`);
const dates = X.map((_, i) => [Date.UTC(2020, i % 12, 1 + (i % 28), i % 24)]);

/** Deep equality that is bit-exact for numbers and typed arrays (NaN = NaN, -0 ≠ 0). */
function identical(a: unknown, b: unknown, path = 'value'): void {
  if (typeof a === 'number' || typeof b === 'number') {
    if (!Object.is(a, b)) throw new Error(`${path}: ${String(a)} ≠ ${String(b)}`);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) throw new Error(`${path}: ${String(a)} ≠ ${String(b)}`);
    return;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) throw new Error(`${path}: ${a.constructor?.name} ≠ ${b.constructor?.name}`);
  if (ArrayBuffer.isView(a)) {
    const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      y = Buffer.from((b as ArrayBufferView).buffer, (b as ArrayBufferView).byteOffset, (b as ArrayBufferView).byteLength);
    if (!x.equals(y)) throw new Error(`${path}: typed arrays differ`);
    return;
  }
  if (a instanceof Map || a instanceof Set) {
    identical([...a], [...(b as Map<unknown, unknown>)], path);
    return;
  }
  const ka = Object.keys(a),
    kb = Object.keys(b);
  if (ka.join() !== kb.join()) throw new Error(`${path}: keys ${ka} ≠ ${kb}`);
  for (const k of ka) identical((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
}

type Fitted = Record<string, any>;
interface Recipe {
  fit: () => Promise<Fitted>;
  input: unknown;
}
const methods = [
  'predict',
  'predictProba',
  'decisionFunction',
  'scoreSamples',
  'mahalanobis',
  'transform',
  'inverseTransform',
  'kneighbors',
  'radiusNeighbors',
];

/** How to fit each exported class quickly; a class not listed gets the generic recipe below. */
const recipes: Record<string, Recipe> = {
  GradientBoostingRanker: {
    // relevance 0..3 from the first feature, in queries of 10 rows (the last one 8)
    fit: () =>
      new kiln.GradientBoostingRanker({ nEstimators: 5, minDataInLeaf: 3 }).fit(
        X,
        X.map((r) => Math.floor(r[0]) % 4),
        { group: [10, 10, 10, 10, N - 40] },
      ),
    input: X,
  },
  LocalOutlierFactor: { fit: () => new kiln.LocalOutlierFactor({ novelty: true, nNeighbors: 3 }).fit(X), input: X },
  IsolationForest: { fit: () => new kiln.IsolationForest({ nEstimators: 10, contamination: 0.1, maxFeatures: 0.5 }).fit(X), input: X },
  GaussianMixture: { fit: () => new kiln.GaussianMixture({ nComponents: 2, covarianceType: 'diag' }).fit(X), input: X },
  EllipticEnvelope: { fit: () => new kiln.EllipticEnvelope({ contamination: 0.2 }).fit(X), input: X },
  AgglomerativeClustering: { fit: () => new kiln.AgglomerativeClustering({ nClusters: 3, linkage: 'average', computeDistances: true }).fit(X), input: X },
  MultinomialNB: { fit: () => new kiln.MultinomialNB().fit(X, yClass), input: X },
  SVC: { fit: () => new kiln.SVC({ probability: true, kernel: 'poly', gamma: 'auto', coef0: 1 }).fit(X, yClass), input: X },
  NuSVC: { fit: () => new kiln.NuSVC({ nu: 0.3, decisionFunctionShape: 'ovo' }).fit(X, yClass), input: X },
  IsotonicRegression: {
    fit: () =>
      new kiln.IsotonicRegression().fit(
        X.map((r) => r[0]),
        yReg,
      ),
    input: X.map((r) => r[0] + 0.25),
  },
  CalibratedClassifierCV: {
    fit: () => new kiln.CalibratedClassifierCV({ estimator: new LogisticRegression(), method: 'isotonic', cv: 3 }).fit(X, yClass),
    input: X,
  },
  // ensembles: named members (one of them 'drop'), a final estimator, bagged and boosted trees
  VotingClassifier: {
    fit: () =>
      new kiln.VotingClassifier({
        estimators: [
          ['lr', new LogisticRegression()],
          ['nb', new kiln.GaussianNB()],
          ['off', 'drop'],
        ],
        voting: 'soft',
        weights: [2, 1, 1],
      }).fit(X, yClass),
    input: X,
  },
  VotingRegressor: {
    fit: () =>
      new kiln.VotingRegressor({
        estimators: [
          ['ridge', new kiln.Ridge()],
          ['tree', new kiln.DecisionTreeRegressor({ maxDepth: 3 })],
        ],
      }).fit(X, yReg),
    input: X,
  },
  StackingClassifier: {
    fit: () =>
      new kiln.StackingClassifier({
        estimators: [
          ['lr', new LogisticRegression()],
          ['knn', new KNeighborsClassifier({ nNeighbors: 3 })],
        ],
        cv: 3,
        passthrough: true,
      }).fit(X, yClass),
    input: X,
  },
  StackingRegressor: {
    fit: () =>
      new kiln.StackingRegressor({
        estimators: [
          ['ridge', new kiln.Ridge()],
          ['tree', new kiln.DecisionTreeRegressor({ maxDepth: 3 })],
        ],
        cv: 3,
      }).fit(X, yReg),
    input: X,
  },
  BaggingClassifier: { fit: () => new kiln.BaggingClassifier({ nEstimators: 3, maxFeatures: 0.5, oobScore: true }).fit(X, yClass), input: X },
  BaggingRegressor: { fit: () => new kiln.BaggingRegressor({ nEstimators: 3, maxSamples: 0.5, oobScore: true }).fit(X, yReg), input: X },
  AdaBoostClassifier: { fit: () => new kiln.AdaBoostClassifier({ nEstimators: 5, algorithm: 'SAMME' }).fit(X, yClass), input: X },
  MultiOutputClassifier: { fit: () => new kiln.MultiOutputClassifier({ estimator: new LogisticRegression() }).fit(X, Ymulti), input: X },
  MultiOutputRegressor: { fit: () => new kiln.MultiOutputRegressor({ estimator: new kiln.Ridge() }).fit(X, yRegMulti), input: X },
  ClassifierChain: { fit: () => new kiln.ClassifierChain({ estimator: new LogisticRegression(), order: [2, 0, 1], cv: 3 }).fit(X, Ymulti), input: X },
  BalancedRandomForestClassifier: { fit: () => new kiln.BalancedRandomForestClassifier({ nEstimators: 5 }).fit(X, yClass), input: X },
  EasyEnsembleClassifier: {
    fit: () => new kiln.EasyEnsembleClassifier({ nEstimators: 3, estimator: new kiln.AdaBoostClassifier({ nEstimators: 5 }) }).fit(X, yClass),
    input: X,
  },
  TSNE: { fit: () => new kiln.TSNE({ perplexity: 3, nIter: 250 }).fit(X), input: X },
  KNNImputer: { fit: () => new kiln.KNNImputer({ nNeighbors: 3 }).fit(Xnan), input: Xnan },
  SimpleImputer: { fit: () => new kiln.SimpleImputer({ strategy: 'median', addIndicator: true }).fit(Xnan), input: Xnan },
  OneHotEncoder: { fit: () => new kiln.OneHotEncoder({ handleUnknown: 'ignore' }).fit(strings), input: strings },
  OrdinalEncoder: { fit: () => new kiln.OrdinalEncoder().fit(strings), input: strings },
  TargetEncoder: { fit: () => new kiln.TargetEncoder().fit(strings, yReg), input: strings },
  FrequencyEncoder: { fit: () => new kiln.FrequencyEncoder().fit(strings), input: strings },
  HashingEncoder: { fit: () => new kiln.HashingEncoder({ nFeatures: 8 }).fit(strings), input: strings },
  CountVectorizer: { fit: () => new kiln.CountVectorizer().fit(texts), input: texts },
  TfidfVectorizer: { fit: () => new kiln.TfidfVectorizer({ ngramRange: [1, 2] }).fit(texts), input: texts },
  DateFeatures: { fit: () => new kiln.DateFeatures({ cyclical: true }).fit(dates), input: dates },
  FunctionTransformer: { fit: () => new kiln.FunctionTransformer({ func: 'log1p' }).fit(X), input: X },
  PowerTransformer: { fit: () => new kiln.PowerTransformer({ method: 'box-cox' }).fit(Xpos), input: Xpos },
  QuantileTransformer: { fit: () => new kiln.QuantileTransformer({ nQuantiles: 20, outputDistribution: 'normal' }).fit(X), input: X },
  KBinsDiscretizer: { fit: () => new kiln.KBinsDiscretizer({ nBins: 3, encode: 'onehot' }).fit(X), input: X },
  NearestNeighbors: { fit: () => new kiln.NearestNeighbors({ nNeighbors: 3, radius: 2 }).fit(X), input: X },
  MLPClassifier: { fit: () => new kiln.MLPClassifier({ hiddenLayerSizes: [8], maxIter: 30, randomState: 1 }).fit(X, yClass), input: X },
  MLPRegressor: { fit: () => new kiln.MLPRegressor({ hiddenLayerSizes: [8], maxIter: 30, randomState: 1 }).fit(X, yReg), input: X },
  // feature selection: the selectors need a target, and the wrappers an estimator
  SelectKBest: { fit: () => new kiln.SelectKBest({ k: 2 }).fit(X, yClass), input: X },
  SelectPercentile: { fit: () => new kiln.SelectPercentile({ percentile: 50, scoreFunc: 'mutualInfoClassif' }).fit(X, yClass), input: X },
  SelectFpr: { fit: () => new kiln.SelectFpr({ alpha: 0.5, scoreFunc: 'fRegression' }).fit(X, yReg), input: X },
  SelectFdr: { fit: () => new kiln.SelectFdr({ alpha: 0.9, scoreFunc: 'fRegression' }).fit(Xpos, yReg), input: Xpos },
  SelectFwe: { fit: () => new kiln.SelectFwe({ alpha: 0.5, scoreFunc: 'fRegression' }).fit(X, yReg), input: X },
  DropCorrelatedFeatures: { fit: () => new kiln.DropCorrelatedFeatures({ threshold: 0.3 }).fit(X, yReg), input: X },
  SelectFromModel: { fit: () => new kiln.SelectFromModel({ estimator: new LogisticRegression() }).fit(X, yClass), input: X },
  RFE: { fit: () => new kiln.RFE({ estimator: new kiln.Ridge(), nFeaturesToSelect: 2 }).fit(X, yReg), input: X },
  RFECV: { fit: () => new kiln.RFECV({ estimator: new LogisticRegression(), cv: 3 }).fit(X, yClass), input: X },
  SequentialFeatureSelector: {
    fit: () => new kiln.SequentialFeatureSelector({ estimator: new kiln.Ridge(), nFeaturesToSelect: 2, cv: 3 }).fit(X, yReg),
    input: X,
  },
  // hyperparameter searches: saved with their results and the refitted best model
  GridSearchCV: { fit: () => new kiln.GridSearchCV({ estimator: new kiln.Ridge(), paramGrid: { alpha: [0.1, 10] }, cv: 3 }).fit(X, yReg), input: X },
  RandomizedSearchCV: {
    fit: () =>
      new kiln.RandomizedSearchCV({ estimator: new LogisticRegression(), paramDistributions: { C: kiln.loguniform(0.1, 10) }, nIter: 2, cv: 3 }).fit(X, yClass),
    input: X,
  },
  HalvingGridSearchCV: {
    fit: () => new kiln.HalvingGridSearchCV({ estimator: new kiln.Ridge(), paramGrid: { alpha: [0.1, 1, 10] }, cv: 3 }).fit(X, yReg),
    input: X,
  },
  HalvingRandomSearchCV: {
    fit: () => new kiln.HalvingRandomSearchCV({ estimator: new kiln.Ridge(), paramDistributions: { alpha: kiln.loguniform(0.1, 10) }, cv: 3 }).fit(X, yReg),
    input: X,
  },
  Pipeline: {
    fit: () =>
      new Pipeline([
        ['imp', new SimpleImputer()],
        ['scale', new StandardScaler()],
        ['knn', new KNeighborsClassifier({ nNeighbors: 3 })],
      ]).fit(Xnan, yClass),
    input: Xnan,
  },
  ColumnTransformer: {
    fit: () =>
      new ColumnTransformer([
        [
          'num',
          new Pipeline([
            ['imp', new SimpleImputer()],
            ['scale', new StandardScaler()],
          ]),
          [0, 1],
        ],
        ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), [2]],
        ['target', new kiln.TargetEncoder(), [3]],
      ]).fit(
        X.map((r, i) => [r[0], Xnan[i][1], strings[i][0], strings[i][1]]),
        yReg,
      ),
    input: X.map((r, i) => [r[0], Xnan[i][1], strings[i][0], strings[i][1]]),
  },
};

async function genericFit(C: new () => Fitted): Promise<Fitted | undefined> {
  if (typeof C.prototype.fit !== 'function' && typeof C.prototype.fitResample === 'function') {
    const sampler = new C(); // a resampler keeps no fitted state: saving it saves its parameters
    await sampler.fitResample(X, yClass);
    return sampler;
  }
  for (const args of [[X, yClass], [X, yReg], [X]]) {
    try {
      return await new C().fit(...args);
    } catch {
      /* try the next kind of target */
    }
  }
  return undefined;
}

async function outputs(m: Fitted, input: unknown): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of methods) {
    if (typeof m[f] !== 'function') continue;
    try {
      out[f] = await m[f](input);
    } catch (e) {
      out[f] = `threw ${(e as { code?: string }).code}`; // e.g. inverseTransform of a non-invertible step: must throw the same way
    }
  }
  if (typeof m.fitResample === 'function') out.fitResample = await m.fitResample(X, yClass);
  if (m instanceof kiln.TSNE) out.embedding = m.embedding; // t-SNE has no predict or transform: its output is the fitted embedding
  // transductive clusterers (DBSCAN) have no predict: their fitted labels are the output
  for (const g of ['labels', 'coreSampleIndices']) if (typeof m.predict !== 'function' && g in m) out[g] = (m as Record<string, unknown>)[g];
  return out;
}

const fittable = Object.entries(kiln)
  .filter(
    ([, C]) =>
      typeof C === 'function' &&
      (typeof (C as { prototype?: Fitted }).prototype?.fit === 'function' || typeof (C as { prototype?: Fitted }).prototype?.fitResample === 'function'),
  )
  .map(([name]) => name)
  .sort();

describe('model files: round trips', () => {
  it('covers the exported estimators and transformers', () => {
    for (const name of [
      'LinearRegression',
      'Ridge',
      'Lasso',
      'ElasticNet',
      'LogisticRegression',
      'SGDClassifier',
      'SGDRegressor',
      'LinearSVC',
      'GaussianNB',
      'MultinomialNB',
      'DummyClassifier',
      'DummyRegressor',
      'MLPClassifier',
      'MLPRegressor',
      'KNeighborsClassifier',
      'KNeighborsRegressor',
      'NearestNeighbors',
      'KMeans',
      'MiniBatchKMeans',
      'DBSCAN',
      'LocalOutlierFactor',
      'IsolationForest',
      'GaussianMixture',
      'MinCovDet',
      'EllipticEnvelope',
      'AgglomerativeClustering',
      'KNNImputer',
      'StandardScaler',
      'MinMaxScaler',
      'MaxAbsScaler',
      'RobustScaler',
      'Normalizer',
      'SimpleImputer',
      'OneHotEncoder',
      'OrdinalEncoder',
      'PolynomialFeatures',
      'KBinsDiscretizer',
      'QuantileTransformer',
      'PowerTransformer',
      'Pipeline',
      'ColumnTransformer',
      'GradientBoostingClassifier',
      'GradientBoostingRegressor',
      'GradientBoostingRanker',
      'RandomForestClassifier',
      'RandomForestRegressor',
      'DecisionTreeClassifier',
      'DecisionTreeRegressor',
      'SVC',
      'NuSVC',
      'SVR',
      'NuSVR',
      'OneClassSVM',
    ]) {
      expect(fittable).toContain(name);
    }
  });

  it.each(fittable)('%s: predictions and transforms are bit-identical after save/load', async (name) => {
    const C = (kiln as Record<string, unknown>)[name] as new () => Fitted;
    const recipe = recipes[name];
    const model = recipe ? await recipe.fit() : await genericFit(C);
    if (!model) throw new Error(`model-file round trip: no quick way to fit ${name}; add a recipe`);
    const input = recipe?.input ?? X;
    const path = file(`${name}.kiln`);
    const before = await outputs(model, input);
    const written = await save(model, path, { featureNames: ['a', 'b', 'c', 'd'], metrics: { score: 0.5 } });
    const { model: copy, manifest } = await loadWithManifest(path);
    expect(copy).toBeInstanceOf(C);
    expect(copy).not.toBe(model);
    expect(manifest).toEqual(written);
    expect(manifest.className).toBe(name);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    identical(await outputs(copy, input), before);
    // A second save of the loaded copy writes the same arrays (nothing lost or added on the way).
    const again = await encodeModel(copy, { featureNames: ['a', 'b', 'c', 'd'], metrics: { score: 0.5 } });
    expect(again.manifest.arrays).toEqual(written.arrays);
  });

  // fitted states the structural checks on load must accept (each a shape the default recipes above do not produce)
  const y2 = X.map((_, i) => (i % 2 ? 'yes' : 'no')),
    y2d = X.map((r) => [r[0] * 2, r[1] - 1]),
    withConst = X.map((r) => [1, ...r]);
  const emptyCol = Xnan.map((r) => [NaN, ...r]);
  const stringsMissing = strings.map((r, i) => [i % 5 ? r[0] : null, r[1]]);
  const variants: [string, () => Promise<Fitted>, unknown][] = [
    ['binary LogisticRegression', () => new LogisticRegression().fit(X, y2), X],
    ['binary LinearSVC', () => new kiln.LinearSVC().fit(X, y2), X],
    ['binary SVC', () => new kiln.SVC({ kernel: 'sigmoid', gamma: 0.01 }).fit(X, y2), X],
    ['binary SGDClassifier', () => new kiln.SGDClassifier().fit(X, y2), X],
    ['binary MLPClassifier', () => new MLPClassifier({ hiddenLayerSizes: [3], maxIter: 3 }).fit(X, y2), X],
    ['binary GradientBoostingClassifier', () => new kiln.GradientBoostingClassifier({ nEstimators: 5 }).fit(X, y2), X],
    [
      'categorical GradientBoostingRegressor',
      () =>
        new kiln.GradientBoostingRegressor({ nEstimators: 5, categoricalFeatures: [1], minDataInLeaf: 2 }).fit(
          X.map((r, i) => [r[0], i % 7]),
          yReg,
        ),
      X.map((r, i) => [r[0], i % 7]),
    ],
    ['two-output Ridge', () => new kiln.Ridge().fit(X, y2d), X],
    ['two-output Lasso', () => new kiln.Lasso({ alpha: 0.1 }).fit(X, y2d), X],
    ['two-output KNeighborsRegressor', () => new kiln.KNeighborsRegressor().fit(X, y2d), X],
    ['two-output MLPRegressor', () => new kiln.MLPRegressor({ hiddenLayerSizes: [3], maxIter: 3 }).fit(X, y2d), X],
    [
      'numeric-label MultinomialNB',
      () =>
        new kiln.MultinomialNB().fit(
          X,
          X.map((_, i) => i % 3),
        ),
      X,
    ],
    ['SimpleImputer keeping an empty column', () => new SimpleImputer({ keepEmptyFeatures: true }).fit(emptyCol), emptyCol],
    ['SimpleImputer dropping an empty column', () => new SimpleImputer().fit(emptyCol), emptyCol],
    ['categorical SimpleImputer', () => new SimpleImputer({ strategy: 'most_frequent' }).fit(strings.map((r, i) => [i % 4 ? r[0] : null, r[1]])), strings],
    ['KBinsDiscretizer on a constant column', () => new kiln.KBinsDiscretizer().fit(withConst), withConst],
    ['StandardScaler on a constant column', () => new StandardScaler().fit(withConst), withConst],
    ['PowerTransformer without standardising', () => new kiln.PowerTransformer({ standardize: false }).fit(X), X],
    ['sparse OneHotEncoder', () => new OneHotEncoder({ sparseOutput: true }).fit(strings), strings],
    ['OneHotEncoder with a missing-value category', () => new OneHotEncoder().fit(stringsMissing), stringsMissing],
    [
      'OrdinalEncoder with explicit categories and missing values',
      () =>
        new kiln.OrdinalEncoder({
          categories: [
            ['red', 'green', 'blue'],
            ['s3', 's2', 's1', 's0'],
          ],
          encodedMissingValue: -1,
        }).fit(stringsMissing),
      stringsMissing,
    ],
    [
      'ColumnTransformer with passthrough, drop and remainder',
      () =>
        new ColumnTransformer(
          [
            ['s', new StandardScaler(), [0]],
            ['p', 'passthrough', [1]],
            ['d', 'drop', [2]],
          ],
          { remainder: 'passthrough' },
        ).fit(X),
      X,
    ],
    [
      'unfitted Pipeline',
      async () =>
        new Pipeline([
          ['s', new StandardScaler()],
          ['c', new LogisticRegression()],
        ]),
      undefined,
    ],
  ];
  it.each(variants)('%s loads and gives the same outputs', async (_name, fit, input) => {
    const model = await fit();
    const { model: copy } = await decodeModel((await encodeModel(model)).bytes);
    if (input !== undefined) identical(await outputs(copy, input), await outputs(model, input));
  });

  it('typed arrays go to the binary section, deduplicated, and the manifest stays small', async () => {
    const Xl = Array.from({ length: 2000 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 13) / 13]);
    const knn = await new NearestNeighbors({ nNeighbors: 2 }).fit(Xl);
    const { bytes, manifest } = await encodeModel(knn);
    const dataArray = manifest.arrays.find((a) => a.length === 6000)!;
    expect(dataArray.dtype).toBe('float64');
    expect(bytes.length).toBeLessThan(6000 * 8 + 4096); // no JSON number lists
    const body = JSON.parse(Buffer.from(readBody(bytes)).toString('utf8'));
    expect(JSON.stringify(body)).not.toContain('$typed');
    // the same array referenced twice (one fitted scaler used by two steps) is stored once and shared again after load
    const scaler = await new StandardScaler().fit(X);
    const twice = await new Pipeline([
      ['a', scaler],
      ['b', scaler],
      ['clf', new LogisticRegression()],
    ]).fit(X, yClass);
    const { model: back, manifest: m2 } = await decodeModel((await encodeModel(twice)).bytes);
    expect(m2.arrays.filter((a) => a.name !== 'body').length).toBe((await encodeModel(scaler)).manifest.arrays.length - 1 + 2); // the scaler's arrays once, the classifier's coef and intercept
    expect((back as any).steps[0][1].affine.shift).toBe((back as any).steps[1][1].affine.shift);
    identical((back as any).steps[0][1].affine.shift, (twice.steps[0][1] as any).affine.shift);
  });

  it('k-NN and MLP models keep working after load (index rebuilt, backend chosen again)', async () => {
    const knn = await new KNeighborsClassifier({ nNeighbors: 3, weights: 'distance' }).fit(X, yClass);
    await save(knn, file('knn.kiln'));
    const back = await load<KNeighborsClassifier>(file('knn.kiln'));
    identical(await back.kneighbors(), await knn.kneighbors());
    expect(back.classes).toEqual(knn.classes);
    const calls: number[] = [];
    const mlp = await new MLPClassifier({
      hiddenLayerSizes: [4],
      maxIter: 5,
      callbacks: [{ onEpochEnd: (e: number) => void calls.push(e) } as any],
      randomState: 2,
    }).fit(X, yClass);
    await save(mlp, file('mlp.kiln'));
    const m2 = await load<MLPClassifier>(file('mlp.kiln'));
    expect(m2.getParams().callbacks).toEqual([]); // training callbacks are not written
    identical(await m2.predictProba(X), await mlp.predictProba(X));
    await m2.partialFit(X, yClass); // training continues on the loaded model
    // unfitted estimators save and load as unfitted
    await save(new KNeighborsClassifier(), file('unfitted.kiln'));
    await expect((await load<KNeighborsClassifier>(file('unfitted.kiln'))).predict(X)).rejects.toThrowError(code('E_NOT_FITTED'));
  });

  it('records the manifest: versions, class, params, schema, metrics, lineage, card text, checksums', async () => {
    const Xm = Matrix.from(X);
    const pipe = await new Pipeline([
      ['scale', new StandardScaler()],
      ['clf', new LogisticRegression({ C: 0.5 })],
    ]).fit(Xm, yClass);
    const fp = dataFingerprint(Xm);
    expect(fp).toBe(dataFingerprint(X));
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    await save(pipe, file('pipe.kiln'), {
      featureNames: ['a', 'b', 'c', 'd'],
      metrics: { accuracy: 0.91, logLoss: 0.3 },
      lineage: { dataFingerprint: fp, parentVersion: 3, rows: N, dataSource: 'synthetic' },
      description: 'Synthetic three-class demo.',
      intendedUse: 'Tests only.',
      limitations: ['Tiny data', 'No | pipes'],
      tags: { team: 'ml' },
    });
    const m = await readManifest(file('pipe.kiln'));
    expect(m).toMatchObject({
      format: 'kiln-model',
      formatVersion: 1,
      kilnVersion: JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
      className: 'Pipeline',
      featureNames: ['a', 'b', 'c', 'd'],
      classes: ['ant', 'bee', 'cat'],
      metrics: { accuracy: 0.91, logLoss: 0.3 },
      lineage: { dataFingerprint: fp, parentVersion: 3, rows: N },
      card: { intendedUse: 'Tests only.' },
      tags: { team: 'ml' },
    });
    expect(m.inputSchema).toEqual({
      a: { type: 'number', nullable: true },
      b: { type: 'number', nullable: true },
      c: { type: 'number', nullable: true },
      d: { type: 'number', nullable: true },
    });
    expect((m.params.steps as any[]).map((s) => s.className)).toEqual(['StandardScaler', 'LogisticRegression']);
    expect((m.params.steps as any[])[1].params.C).toBe(0.5);
    expect(Date.parse(m.createdAt)).toBeGreaterThan(0);
    for (const a of m.arrays) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const schema = { x: { type: 'number' as const, nullable: false, min: 0, max: 1 } };
    expect((await readManifest((await save(new StandardScaler(), file('s.kiln'), { inputSchema: schema }), file('s.kiln')))).featureNames).toEqual(['x']);

    const card = await modelCard(file('pipe.kiln'));
    for (const s of [
      '# Model card: Pipeline',
      '## Model details',
      '## Intended use',
      'Tests only.',
      '## Training data',
      `| Rows | ${N} |`,
      fp,
      '| clf | LogisticRegression |',
      '| clf.C | 0.5 |',
      '## Metrics',
      '| accuracy | 0.91 |',
      '## Limitations',
      '- Tiny data',
      '- No | pipes',
      '## Fairness considerations',
      'No fairness notes were supplied',
    ]) {
      expect(card).toContain(s);
    }
    const withFairness = await modelCard(
      { ...m, card: { fairness: 'Checked on age groups: max TPR gap 0.02.' } },
      { registry: { name: 'demo', version: 2, aliases: ['production'] } },
    );
    expect(withFairness).toContain('Checked on age groups');
    expect(withFairness).not.toContain('No fairness notes');
    expect(withFairness).toContain('| Registry version | 2 |');
  });

  it('refuses what cannot be saved, and bad metadata, with E_PARAM', async () => {
    const f = await new FunctionTransformer({ func: (x: number) => x * 2 }).fit(X);
    await expect(save(f, file('f.kiln'))).rejects.toThrowError(/function/);
    await expect(save(f, file('f.kiln'))).rejects.toThrowError(code('E_PARAM'));
    await expect(save(new StandardScaler(), file('m.kiln'), { metrics: { acc: NaN } })).rejects.toThrowError(code('E_PARAM'));
    await expect(save(new StandardScaler(), file('m.kiln'), { bogus: 1 } as any)).rejects.toThrowError(/unknown meta field/);
    await expect(save(42, file('m.kiln'))).rejects.toThrowError(code('E_PARAM'));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

// ---- corrupted files ------------------------------------------------------------------------

function readBody(bytes: Uint8Array): Uint8Array {
  const { mlen, dataStart, manifest } = layout(bytes);
  void mlen;
  const e = manifest.arrays.find((a: any) => a.name === 'body');
  return bytes.subarray(dataStart + e.offset, dataStart + e.offset + e.length);
}

function layout(bytes: Uint8Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mlen = dv.getUint32(8, true);
  const manifest = JSON.parse(Buffer.from(bytes.subarray(56, 56 + mlen)).toString('utf8'));
  const dataStart = Math.ceil((56 + mlen) / 8) * 8;
  return { mlen, manifest, dataStart };
}

/** Rewrites the manifest of a valid file and fixes the header (length, total, SHA-256), so only the change is wrong. */
function withManifest(bytes: Uint8Array, edit: (m: any) => void): Uint8Array {
  const { manifest, dataStart } = layout(bytes);
  edit(manifest);
  const head = Buffer.from(JSON.stringify(manifest));
  const start = Math.ceil((56 + head.length) / 8) * 8;
  const out = new Uint8Array(start + bytes.length - dataStart);
  out.set(bytes.subarray(0, 24));
  const dv = new DataView(out.buffer);
  dv.setUint32(8, head.length, true);
  dv.setBigUint64(16, BigInt(out.length), true);
  out.set(createHash('sha256').update(head).digest(), 24);
  out.set(head, 56);
  out.set(bytes.subarray(dataStart), start);
  return out;
}

/** A file with a valid header around any manifest text (and no arrays). */
function rawFile(manifest: string): Uint8Array {
  const head = Buffer.from(manifest);
  const out = new Uint8Array(Math.ceil((56 + head.length) / 8) * 8);
  out.set(Buffer.from('KILNBIN2'));
  const dv = new DataView(out.buffer);
  dv.setUint32(8, head.length, true);
  dv.setBigUint64(16, BigInt(out.length), true);
  out.set(createHash('sha256').update(head).digest(), 24);
  out.set(head, 56);
  return out;
}

/** A well-formed file with valid checksums around a hand-written body. */
function craft(body: unknown, manifest: Record<string, unknown> = {}, arrays: Record<string, Float64Array> = {}): Uint8Array {
  return encodeContainer(
    {
      format: 'kiln-model',
      formatVersion: 1,
      kilnVersion: '0.1.0',
      className: 'StandardScaler',
      params: {},
      metrics: {},
      lineage: {},
      card: {},
      tags: {},
      createdAt: new Date().toISOString(),
      ...manifest,
    },
    { body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)), ...arrays },
  );
}

async function rejects(bytes: Uint8Array, pattern?: RegExp): Promise<void> {
  let err: any;
  try {
    await decodeModel(bytes, 'm');
  } catch (e) {
    err = e;
  }
  expect(err, 'the damaged file was accepted').toBeDefined();
  expect(err.code, String(err?.stack)).toBe('E_MODEL_FORMAT');
  if (pattern) expect(err.message).toMatch(pattern);
}

describe('model files: damaged, hostile and foreign files are E_MODEL_FORMAT', () => {
  let good: Uint8Array;
  const getGood = async () => {
    good ??= (
      await encodeModel(
        await new Pipeline([
          ['imp', new SimpleImputer()],
          ['scale', new StandardScaler()],
          ['clf', new LogisticRegression()],
        ]).fit(Xnan, yClass),
      )
    ).bytes;
    return good;
  };

  it('truncation at every section boundary and at random offsets', async () => {
    const bytes = await getGood();
    const { mlen, dataStart, manifest } = layout(bytes);
    const cuts = new Set<number>([0, 1, 7, 8, 11, 12, 15, 16, 23, 24, 55, 56, 56 + mlen - 1, 56 + mlen, dataStart - 1, dataStart, bytes.length - 1]);
    for (const a of manifest.arrays) {
      const bpe = a.dtype === 'uint8' ? 1 : 8;
      for (const at of [a.offset, a.offset + 1, a.offset + a.length * bpe - 1, a.offset + a.length * bpe]) cuts.add(dataStart + at);
    }
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) cuts.add(Math.floor(rand() * bytes.length));
    for (const cut of [...cuts].filter((c) => c >= 0 && c < bytes.length)) await rejects(bytes.subarray(0, cut));
    // the same through the file system, and readManifest too
    for (const cut of [5, 40, 56 + (mlen >> 1), dataStart + 3]) {
      writeFileSync(file('cut.kiln'), bytes.subarray(0, cut));
      await expect(load(file('cut.kiln'))).rejects.toThrowError(code('E_MODEL_FORMAT'));
      await expect(readManifest(file('cut.kiln'))).rejects.toThrowError(code('E_MODEL_FORMAT'));
    }
    await rejects(bytes.subarray(0, 30), /truncated/);
    await rejects(bytes.subarray(0, dataStart + 3), /truncated/);
    await rejects(Buffer.concat([bytes, Buffer.from([0])]), /unexpected bytes after/);
  });

  it('a flipped bit anywhere in the file is caught', async () => {
    const bytes = await getGood();
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const b = Uint8Array.from(bytes);
        b[i] ^= bit;
        await rejects(b);
      }
    }
    const { mlen, dataStart } = layout(bytes);
    const inManifest = Uint8Array.from(bytes);
    inManifest[56 + (mlen >> 1)] ^= 0x04;
    await rejects(inManifest, /checksum mismatch in the manifest/);
    const inArray = Uint8Array.from(bytes);
    inArray[dataStart + 1] ^= 0x04;
    await rejects(inArray, /checksum mismatch in array 'body'/);
  });

  it('wrong checksums, huge or inconsistent declared lengths, unknown dtypes', async () => {
    const bytes = await getGood();
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays[1].sha256 = '0'.repeat(64);
      }),
      /checksum mismatch in array 'a0'/,
    );
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays[1].sha256 = 'not-hex';
      }),
      /sha256/,
    );
    for (const length of [2 ** 40, 2 ** 52, Number.MAX_SAFE_INTEGER, 1e300, -1, 1.5, '12', null]) {
      await rejects(
        withManifest(bytes, (m) => {
          m.arrays[m.arrays.length - 1].length = length;
        }),
      );
    }
    for (const offset of [2 ** 53 - 8, 2 ** 31, -8, 4])
      await rejects(
        withManifest(bytes, (m) => {
          m.arrays[1].offset = offset;
        }),
      );
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays[1].dtype = 'float128';
      }),
      /unknown dtype/,
    );
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays[1].name = 'body';
      }),
      /duplicate name/,
    );
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays.pop();
      }),
      /no manifest entry accounts for/,
    );
    await rejects(
      withManifest(bytes, (m) => {
        m.arrays = {};
      }),
      /lists no arrays/,
    );
    // header fields: manifest length and total length far beyond the file
    for (const [at, value] of [
      [8, 0xffffffff],
      [8, 0x7fffffff],
      [8, 0],
    ] as const) {
      const b = Uint8Array.from(bytes);
      new DataView(b.buffer).setUint32(at, value, true);
      await rejects(b);
    }
    for (const total of [2n ** 64n - 1n, 2n ** 62n, 0n]) {
      const b = Uint8Array.from(bytes);
      new DataView(b.buffer).setBigUint64(16, total, true);
      await rejects(b, /declares|unexpected bytes/);
    }
  });

  it('future versions say to upgrade', async () => {
    const bytes = await getGood();
    const v3 = Uint8Array.from(bytes);
    v3[7] = '3'.charCodeAt(0);
    await rejects(v3, /container version 3 is newer.*upgrade kiln/);
    await rejects(
      withManifest(bytes, (m) => {
        m.formatVersion = 2;
      }),
      /model format version 2 is newer than this kiln reads.*upgrade kiln/,
    );
    const flags = Uint8Array.from(bytes);
    flags[12] = 1;
    await rejects(flags, /flags/);
    writeFileSync(file('future.kiln'), v3);
    await expect(readManifest(file('future.kiln'))).rejects.toThrowError(/newer/);
  });

  it('not-a-kiln files, checkpoints and missing files', async () => {
    for (const b of [
      new Uint8Array(0),
      Buffer.from('KILN'),
      Buffer.from('{"format":"kiln-model"}'),
      Buffer.from(`\x89PNG\r\n\x1a\n${'x'.repeat(100)}`),
      new Uint8Array(4096),
    ]) {
      await rejects(b);
    }
    await rejects(Buffer.from('hello world, not a model at all'), /not a kiln file/);
    await rejects(encodeContainer({ format: 'kiln-checkpoint', version: 1 }, {}), /not a kiln model file/);
    const v1 = Buffer.concat([Buffer.from('KILNBIN1'), Buffer.from([2, 0, 0, 0]), Buffer.from('{}')]);
    await rejects(v1);
    await expect(load(file('does-not-exist.kiln'))).rejects.toThrowError(code('E_NOT_FOUND'));
    await expect(readManifest(file('does-not-exist.kiln'))).rejects.toThrowError(code('E_NOT_FOUND'));
    await expect(load(dir)).rejects.toThrowError(code('E_IO')); // a directory
  });

  it('well-formed files with hostile bodies never run code and never crash', async () => {
    const v = (value: unknown) => ({ format: 'kiln-plain', version: 1, value });
    await rejects(craft(v({ $instance: 'Function', fields: {} })), /not a class kiln exports/);
    await rejects(craft(v({ $instance: 'StandardScaler', fields: { ['__proto__']: { $object: {} } } })));
    await rejects(craft('{"format":"kiln-plain","version":1,"value":{"$instance":"StandardScaler","fields":{"constructor":1}}}'));
    await rejects(craft(v({ $object: { m: { $object: { $kilnArray: 'missing' } } } }), { className: 'Object' }), /does not hold/);
    await rejects(craft(v({ $object: { m: { $object: { $kilnArray: 'body' } } } }), { className: 'Object' }), /does not hold/);
    // a file whose model is plain data, not an estimator, transformer or pipeline
    await rejects(
      craft(v({ $object: { m: { $object: { $kilnArray: 'x' } } } }), { className: 'Object' }, { x: new Float64Array([1, 2]) }),
      /not a kiln estimator, transformer or pipeline/,
    );
    await rejects(
      craft(
        v({ $instance: 'Matrix', fields: { data: { $object: { $kilnArray: 'x' } }, rows: 1, cols: 2 } }),
        { className: 'Matrix' },
        { x: new Float64Array([1, 2]) },
      ),
      /not a kiln estimator/,
    );
    await rejects(craft(v({ $instance: 'MinMaxScaler', fields: {} })), /manifest says StandardScaler/);
    await rejects(craft(`{"format":"kiln-plain","version":1,"value":${'['.repeat(200_000)}${']'.repeat(200_000)}}`));
    await rejects(craft('not json'), /malformed/);
    await rejects(craft(v(1), { format: 'kiln-model', formatVersion: 'one' }), /format version/);
    await rejects(craft(v(1), { className: 7 }), /className/);
    await rejects(craft(v(1), { metrics: { a: 'x' } }), /metrics/);
    await rejects(craft(v({ $instance: 'KNeighborsClassifier', fields: { state: { $object: { X: 5 } } } }), { className: 'KNeighborsClassifier' }), /state.X/);
    // getters of the class are not setters: a field shadowing one is refused, not executed
    await rejects(craft(v({ $instance: 'StandardScaler', fields: { params: { $object: {} } } })));
    // a manifest nested too deeply to walk (valid checksums): refused, not a stack overflow
    for (const manifest of [
      `{"format":"kiln-model","formatVersion":1,"arrays":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
      `{"format":${'['.repeat(100_000)}${']'.repeat(100_000)},"arrays":[]}`,
      `{"format":"kiln-model","formatVersion":${'['.repeat(100_000)}${']'.repeat(100_000)},"arrays":[]}`,
    ]) {
      const b = rawFile(manifest);
      await rejects(b);
      writeFileSync(file('deep.kiln'), b);
      await expect(readManifest(file('deep.kiln'))).rejects.toThrowError(code('E_MODEL_FORMAT'));
    }
    // an intact file of the right class loads
    expect((await decodeModel((await encodeModel(new StandardScaler())).bytes)).model).toBeInstanceOf(StandardScaler); // unfitted is a valid state
    await rejects(craft(v({ $instance: 'StandardScaler', fields: {} })), /model.defaults is missing/); // but not an empty shell
  });
});

// ---- atomic writes --------------------------------------------------------------------------

describe('model files: atomic writes', () => {
  afterEach(() => vi.restoreAllMocks());
  const tmpFiles = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

  it('a write that fails at rename or fsync leaves the previous file intact and no temporary file', async () => {
    const first = await new StandardScaler().fit(X);
    const second = await new StandardScaler().fit(X.map((r) => r.map((v) => v * 10)));
    await save(first, file('atomic.kiln'));
    const before = readFileSync(file('atomic.kiln'));

    vi.spyOn(fs.promises, 'rename').mockRejectedValueOnce(Object.assign(new Error('EXDEV: simulated failure'), { code: 'EXDEV' }));
    await expect(save(second, file('atomic.kiln'))).rejects.toThrowError(code('E_IO'));
    expect(readFileSync(file('atomic.kiln')).equals(before)).toBe(true);
    expect(tmpFiles()).toEqual([]);

    const realOpen = fs.promises.open;
    vi.spyOn(fs.promises, 'open').mockImplementationOnce(async (...args: Parameters<typeof realOpen>) => {
      const fh = await realOpen(...args);
      fh.sync = async () => {
        throw Object.assign(new Error('EIO: simulated disk error'), { code: 'EIO' });
      };
      return fh;
    });
    await expect(save(second, file('atomic.kiln'))).rejects.toThrowError(/simulated disk error/);
    expect(readFileSync(file('atomic.kiln')).equals(before)).toBe(true);
    expect(tmpFiles()).toEqual([]);
    vi.restoreAllMocks();

    const loaded = await load<StandardScaler>(file('atomic.kiln'));
    identical(await loaded.transform(X), await first.transform(X));
    await save(second, file('atomic.kiln'));
    identical(await (await load<StandardScaler>(file('atomic.kiln'))).transform(X), await second.transform(X));
    await expect(save(first, join(dir, 'no-such-dir', 'x.kiln'))).rejects.toThrowError(code('E_NOT_FOUND'));
  });

  it('readers during repeated saves always see a whole file', async () => {
    const a = await new StandardScaler().fit(X),
      b = await new StandardScaler().fit(X.map((r) => r.map((v) => -v)));
    await save(a, file('busy.kiln'));
    const writes = (async () => {
      for (let i = 0; i < 20; i++) await save(i % 2 ? a : b, file('busy.kiln'));
    })();
    const reads = (async () => {
      for (let i = 0; i < 40; i++) expect(await load(file('busy.kiln'))).toBeInstanceOf(StandardScaler);
    })();
    await Promise.all([writes, reads]);
  });
});
