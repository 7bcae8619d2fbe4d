/**
 * kiln → ONNX → onnxruntime: every exported model runs in onnxruntime-node and agrees with
 * kiln on the parity data sets (f32 inputs on both sides): equal labels, probabilities and
 * predictions within 1e-5 (regression values: relative 1e-5).
 */
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  ElasticNet,
  ExtraTreesClassifier,
  ExtraTreesRegressor,
  GaussianNB,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  Lasso,
  LinearRegression,
  LinearSVC,
  LogisticRegression,
  MLPClassifier,
  MLPRegressor,
  type Matrix,
  MaxAbsScaler,
  MinMaxScaler,
  MultinomialNB,
  Pipeline,
  RandomForestClassifier,
  RandomForestRegressor,
  Ridge,
  RobustScaler,
  SGDClassifier,
  SGDRegressor,
  SimpleImputer,
  StandardScaler,
  toOnnx,
  type Label,
} from '../../src/index.js';
import { CLASSIFICATION, parityData, runOnnx, type Data } from './onnx-helpers.js';

type Classifier = {
  fit(X: unknown, y: unknown): Promise<unknown>;
  predict(X: unknown): Promise<Label[]>;
  predictProba?(X: unknown): Promise<{ data: Float64Array }>;
};

const scaled = (m: object) =>
  new Pipeline([
    ['scale', new StandardScaler()],
    ['model', m as never],
  ]);

const CLASSIFIERS: [string, () => object, boolean][] = [
  ['GradientBoostingClassifier', () => new GradientBoostingClassifier({ nEstimators: 25, maxLeaves: 8 }), true],
  ['RandomForestClassifier', () => new RandomForestClassifier({ nEstimators: 8, randomState: 1 }), true],
  ['ExtraTreesClassifier', () => new ExtraTreesClassifier({ nEstimators: 8, randomState: 1 }), true],
  ['DecisionTreeClassifier', () => new DecisionTreeClassifier({ maxDepth: 5 }), true],
  ['Pipeline(StandardScaler, LogisticRegression)', () => scaled(new LogisticRegression()), true],
  ['Pipeline(StandardScaler, SGDClassifier log_loss)', () => scaled(new SGDClassifier({ loss: 'log_loss', randomState: 0 })), true],
  ['Pipeline(StandardScaler, SGDClassifier modified_huber)', () => scaled(new SGDClassifier({ loss: 'modified_huber', randomState: 0 })), true],
  ['Pipeline(StandardScaler, LinearSVC)', () => scaled(new LinearSVC()), false],
  ['GaussianNB', () => new GaussianNB(), true],
  [
    'Pipeline(MinMaxScaler, MLPClassifier)',
    () =>
      new Pipeline([
        ['scale', new MinMaxScaler()],
        ['mlp', new MLPClassifier({ hiddenLayerSizes: [16], maxIter: 30, randomState: 0 }) as never],
      ]),
    true,
  ],
];

async function expectClassifierParity(model: Classifier, d: Data, proba: boolean): Promise<void> {
  const r = await runOnnx(toOnnx(model), d.f32, d.test.rows, d.test.cols);
  expect(r.label.dims).toEqual([d.test.rows]);
  expect(r.label.data).toEqual(await model.predict(d.test));
  const K = r.probabilities.dims[1];
  expect(r.probabilities.dims).toEqual([d.test.rows, K]);
  if (!proba) return;
  const want = (await model.predictProba!(d.test)).data;
  const got = r.probabilities.data as number[];
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(1e-5);
}

describe('toOnnx classifiers in onnxruntime', () => {
  for (const [name, make, proba] of CLASSIFIERS) {
    for (const [dataset, op] of CLASSIFICATION) {
      it(`${name} on ${dataset}`, async () => {
        const d = parityData(dataset, op);
        const model = make() as Classifier;
        await model.fit(d.X, d.y);
        await expectClassifierParity(model, d, proba);
      });
    }
  }

  for (const [dataset, op] of CLASSIFICATION) {
    it(`MultinomialNB on ${dataset} (values shifted to be non-negative)`, async () => {
      const d = parityData(dataset, op);
      const low = Math.min(...d.X.data, ...d.test.data);
      for (const m of [d.X, d.test]) for (let i = 0; i < m.data.length; i++) m.data[i] = Math.fround(m.data[i] - low);
      const model = await new MultinomialNB().fit(d.X, d.y);
      await expectClassifierParity(model as unknown as Classifier, { ...d, f32: Float32Array.from(d.test.data) }, true);
    });
  }

  it('string class labels come out as a string tensor', async () => {
    const d = parityData('iris', 'logistic_regression');
    const names = ['setosa', 'versicolor', 'virginica'];
    const model = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(
      d.X,
      d.y.map((c) => names[c]),
    );
    await expectClassifierParity(model as unknown as Classifier, d, true);
  });

  it('binary LinearSVC writes its decision values [−z, z] under probabilities', async () => {
    const d = parityData('breast_cancer', 'logistic_regression');
    const model = scaled(new LinearSVC());
    await model.fit(d.X, d.y);
    const r = await runOnnx(toOnnx(model), d.f32, d.test.rows, d.test.cols);
    const z = (await model.decisionFunction(d.test)) as Float64Array;
    const got = r.probabilities.data as number[];
    for (let i = 0; i < z.length; i++) {
      expect(got[2 * i + 1]).toBeCloseTo(z[i], 4);
      expect(got[2 * i]).toBeCloseTo(-z[i], 4);
    }
  });
});

describe('toOnnx trees with missing values', () => {
  it('sends NaN the way each kiln node does (nodes_missing_value_tracks_true)', async () => {
    const d = parityData('breast_cancer', 'logistic_regression');
    // a third of the values of the first four columns missing, in training and at prediction
    const holes = (m: Data['X'], seed: number) => {
      for (let r = 0; r < m.rows; r++) for (let c = 0; c < 4; c++) if ((r * 7 + c * 3 + seed) % 3 === 0) m.data[r * m.cols + c] = NaN;
    };
    holes(d.X, 0);
    holes(d.test, 1);
    const f32 = Float32Array.from(d.test.data);
    const model = await new GradientBoostingClassifier({ nEstimators: 30, maxLeaves: 8 }).fit(d.X, d.y);
    const e = model.ensemble;
    let left = 0,
      right = 0;
    for (let j = 0; j < e.nodes; j++) if (e.feature[j] >= 0 && e.feature[j] < 4) e.flags[j] & 1 ? left++ : right++;
    expect(left).toBeGreaterThan(0); // both directions occur, so the test tells them apart
    expect(right).toBeGreaterThan(0);
    await expectClassifierParity(model as unknown as Classifier, { ...d, f32 }, true);
    for (const M of [RandomForestRegressor, DecisionTreeRegressor]) {
      const reg = await new M({ nEstimators: 1, randomState: 0 } as never).fit(d.X, d.y.map(Number));
      const r = await runOnnx(toOnnx(reg), f32, d.test.rows, d.test.cols);
      expectClose(r.variable.data as number[], (await reg.predict(d.test)) as Float64Array);
    }
    // multi-output trees: n_targets outputs, each leaf writing every one
    const Y = d.y.map((v, i) => [Number(v), d.X.data[i * d.X.cols + 5], -2 * d.X.data[i * d.X.cols + 7]]);
    const multi = await new RandomForestRegressor({ nEstimators: 3, maxDepth: 6, randomState: 0 }).fit(d.X, Y);
    const r = await runOnnx(toOnnx(multi), f32, d.test.rows, d.test.cols);
    expect(r.variable.dims).toEqual([d.test.rows, 3]);
    expectClose(r.variable.data as number[], ((await multi.predict(d.test)) as Matrix).data);
  });
});

function expectClose(got: number[], want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
}

const REGRESSORS: [string, () => object][] = [
  ['GradientBoostingRegressor', () => new GradientBoostingRegressor({ nEstimators: 40 })],
  ['GradientBoostingRegressor huber', () => new GradientBoostingRegressor({ nEstimators: 20, loss: 'huber', huberDelta: 20 })],
  // the log-link losses export an Exp node after the trees; quantile is on the identity link
  ['GradientBoostingRegressor poisson', () => new GradientBoostingRegressor({ nEstimators: 20, loss: 'poisson' })],
  ['GradientBoostingRegressor gamma', () => new GradientBoostingRegressor({ nEstimators: 20, loss: 'gamma' })],
  ['GradientBoostingRegressor tweedie', () => new GradientBoostingRegressor({ nEstimators: 20, loss: 'tweedie', tweediePower: 1.3 })],
  ['GradientBoostingRegressor quantile', () => new GradientBoostingRegressor({ nEstimators: 20, loss: 'quantile', alpha: 0.2 })],
  ['RandomForestRegressor', () => new RandomForestRegressor({ nEstimators: 8 })],
  ['ExtraTreesRegressor', () => new ExtraTreesRegressor({ nEstimators: 8 })],
  ['DecisionTreeRegressor', () => new DecisionTreeRegressor({ maxDepth: 6 })],
  ['LinearRegression', () => new LinearRegression()],
  ['Ridge', () => new Ridge({ alpha: 0.5 })],
  ['Lasso', () => new Lasso({ alpha: 0.1 })],
  ['ElasticNet', () => new ElasticNet({ alpha: 0.01 })],
  ['Pipeline(StandardScaler, SGDRegressor)', () => scaled(new SGDRegressor({ randomState: 0 }))],
  [
    'Pipeline(SimpleImputer, RobustScaler, MLPRegressor)',
    () =>
      new Pipeline([
        ['impute', new SimpleImputer({ strategy: 'median' })],
        ['scale', new RobustScaler()],
        ['mlp', new MLPRegressor({ hiddenLayerSizes: [8], maxIter: 20, randomState: 0 }) as never],
      ]),
  ],
];

describe('toOnnx regressors in onnxruntime (diabetes)', () => {
  for (const [name, make] of REGRESSORS) {
    it(name, async () => {
      const d = parityData('diabetes', 'linear_regression');
      const model = make() as { fit(X: unknown, y: unknown): Promise<unknown>; predict(X: unknown): Promise<Float64Array> };
      await model.fit(d.X, d.y);
      const r = await runOnnx(toOnnx(model), d.f32, d.test.rows, d.test.cols);
      expect(r.variable.dims).toEqual([d.test.rows, 1]);
      expectClose(r.variable.data as number[], await model.predict(d.test));
    });
  }
});

describe('toOnnx transformers in onnxruntime (diabetes, with holes for the imputer)', () => {
  const TRANSFORMERS: [string, () => object][] = [
    ['StandardScaler', () => new StandardScaler()],
    ['MinMaxScaler', () => new MinMaxScaler()],
    ['MaxAbsScaler', () => new MaxAbsScaler()],
    ['RobustScaler', () => new RobustScaler()],
    ['SimpleImputer mean', () => new SimpleImputer()],
    ['SimpleImputer constant with indicator', () => new SimpleImputer({ strategy: 'constant', fillValue: -1, addIndicator: true })],
    [
      'Pipeline(SimpleImputer most_frequent, MaxAbsScaler)',
      () =>
        new Pipeline([
          ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
          ['scale', new MaxAbsScaler()],
        ]),
    ],
  ];
  for (const [name, make] of TRANSFORMERS) {
    it(name, async () => {
      const d = parityData('diabetes', 'linear_regression');
      for (let r = 0; r < d.test.rows; r += 3) d.test.data[r * d.test.cols + (r % d.test.cols)] = NaN;
      for (let r = 1; r < d.X.rows; r += 4) d.X.data[r * d.X.cols + (r % d.X.cols)] = NaN;
      const model = make() as { fit(X: unknown): Promise<unknown>; transform(X: unknown): Promise<{ data: Float64Array; cols: number }> };
      await model.fit(d.X);
      const want = await model.transform(d.test);
      const r = await runOnnx(toOnnx(model), Float32Array.from(d.test.data), d.test.rows, d.test.cols);
      expect(r.variable.dims).toEqual([d.test.rows, want.cols]);
      const got = r.variable.data as number[];
      for (let i = 0; i < got.length; i++) {
        if (Number.isNaN(want.data[i])) expect(got[i]).toBeNaN();
        else expect(Math.abs(got[i] - want.data[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want.data[i])));
      }
    });
  }
});
