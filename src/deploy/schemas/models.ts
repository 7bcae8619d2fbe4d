/** Fitted-state schemas: the estimators of models/ (linear, naive Bayes, dummies, trees and boosting, kernel SVMs, neighbours, neural networks) (the vocabulary in ../fitted-schema.ts; the list in ../fitted-schemas.ts). */
import { mlpParamCount } from '../../backend/contract/mlp.js';
import { Matrix } from '../../core/matrix.js';
import { DummyClassifier, DummyRegressor } from '../../models/dummy/index.js';
import {
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  GradientBoostingClassifier,
  GradientBoostingRanker,
  GradientBoostingRegressor,
  RandomForestClassifier,
  RandomForestRegressor,
} from '../../models/ensemble/index.js';
import { ElasticNet, Lasso, LinearRegression, LinearSVC, LogisticRegression, Ridge, SGDClassifier, SGDRegressor } from '../../models/linear/index.js';
import { GaussianNB, MultinomialNB } from '../../models/naive-bayes/index.js';
import { KNeighborsClassifier, KNeighborsRegressor, KNNImputer, NearestNeighbors } from '../../models/neighbors/index.js';
import { MLPClassifier, MLPRegressor } from '../../models/neural/index.js';
import { NuSVC, NuSVR, OneClassSVM, SVC, SVR } from '../../models/svm/index.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../models/tree/index.js';
import {
  absent,
  anything,
  bool,
  dim,
  type Dims,
  f32,
  f64,
  fail,
  i32,
  instance,
  int,
  labels,
  list,
  MAX_MAGNITUDE,
  nullable,
  num,
  oneOf,
  optional,
  record,
  rule,
  type Spec,
} from '../fitted-schema.js';
import { below, forestClassifier, rng, type ModelSchema, type SchemaEntry, treeState } from './shared.js';

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

const linearFit: ModelSchema = {
  fitted: { state: record({ outputs: dim('o'), nFeatures: dim('p'), coef: f64({ len: 'o*p' }), intercept: f64({ len: 'o' }), oneD: bool }) },
  inputs: 'p',
};

const elasticNet: ModelSchema = { ...linearFit, fitted: { ...linearFit.fitted, nIter: list(int(0), 'o') } };

const boostingState = {
  ...treeState,
  trainLoss: list(num({ allow: 'infinite' })),
  validLoss: nullable(list(num({ allow: 'infinite' }))),
  bestIteration: int(0),
};

/** A classifier's score columns: one for two classes (a logit), one per class otherwise. */
const scoreColumns = (k: number) => (k === 2 ? 1 : k);

/** A forest regressor's trees hold one channel per output (multi-output trees), each tree all of them. */
const forestRegressor: ModelSchema = {
  fitted: { state: record(treeState) },
  check(o, at, d) {
    if (d.get('channels') !== d.get('o')) fail(`${at}.state.ensemble.channels`, `one channel per output (${d.get('o')})`, o.state.ensemble.channels);
  },
  inputs: 'p',
};

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
  const total = mlpParamCount(sizes);
  if (total !== d.get('weights')) fail(`${at}.state.net.params`, `${total} weights (the layer sizes ${sizes.join(', ')})`, o.state.net.params);
  d.set('p', sizes[0]);
}

/** The fitted state of the estimators of models/ (linear, naive Bayes, dummies, trees and boosting, kernel SVMs, neighbours, neural networks). */
export const MODELS_SCHEMAS: SchemaEntry[] = [
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
  [GradientBoostingRanker, { fitted: { state: record(boostingState) }, inputs: 'p' }],
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
];
