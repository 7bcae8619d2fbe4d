/**
 * Multi-output tree regressors (DecisionTreeRegressor, RandomForestRegressor, ExtraTreesRegressor
 * with a 2-D y): one tree for every output, as scikit-learn's. Parity with scikit-learn 1.2 to
 * 1e-9 on integer features where bins are the values (test/fixtures/sklearn/multioutput_trees.json,
 * written by test/fixtures-scripts/gen_multioutput_trees.py: predictions, importances, R²), test
 * scores of the randomised forests within a margin of scikit-learn's, the same trees as 1-D fits
 * when every output is the same column, the CPU backends against each other, prediction on webgpu,
 * model files, ONNX-free plumbing (predictSync, apply, SHAP) and bad input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeRegressor,
  decodeModel,
  encodeModel,
  ExtraTreesRegressor,
  fromPlain,
  Matrix,
  RandomForestRegressor,
  Rng,
  toPlain,
} from '../../src/index.js';
import { forestGpuStats } from '../../src/backend/webgpu/forest.js';
import { available, hasNative, hasWebgpu } from '../helpers/backends.js';

interface ExactCase {
  name: string;
  estimator: 'DecisionTreeRegressor' | 'RandomForestRegressor';
  params: Record<string, number | boolean | null>;
  weighted: boolean;
  X_test: number[][];
  predict: number[][];
  predict_test: number[][];
  feature_importances: number[];
  score_train: number;
  leaves: number;
}
interface QualityCase {
  estimator: 'RandomForestRegressor' | 'ExtraTreesRegressor';
  params: Record<string, number>;
  mean: number;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/multioutput_trees.json', import.meta.url), 'utf8')) as {
  X: number[][];
  Y: number[][];
  sample_weight: number[];
  cases: ExactCase[];
  quality: { X: number[][]; Y: number[][]; X_test: number[][]; Y_test: number[][]; seeds: number[]; cases: QualityCase[] };
};

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');
const CLASSES = { DecisionTreeRegressor, RandomForestRegressor, ExtraTreesRegressor };
const CAMEL: Record<string, string> = {
  max_depth: 'maxDepth',
  min_samples_leaf: 'minSamplesLeaf',
  min_samples_split: 'minSamplesSplit',
  min_impurity_decrease: 'minImpurityDecrease',
  max_leaf_nodes: 'maxLeafNodes',
  max_features: 'maxFeatures',
  n_estimators: 'nEstimators',
  bootstrap: 'bootstrap',
};
const kilnParams = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [CAMEL[k] ?? k, v]));
type Regressor = RandomForestRegressor | DecisionTreeRegressor | ExtraTreesRegressor;
const make = (name: keyof typeof CLASSES, params: Record<string, unknown>): Regressor => new CLASSES[name](params as never);

/** |got − want| ≤ 1e-9 · max(1, |want|) everywhere. */
function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-9): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThanOrEqual(tol);
}

async function predictMatrix(m: Regressor, X: number[][] | Matrix): Promise<Matrix<Float64Array>> {
  const p = await m.predict(X);
  if (!(p instanceof Matrix)) throw new Error('expected a Matrix of predictions');
  return p;
}

const leaves = (m: Regressor) => Array.from(m.ensemble.feature.subarray(0, m.ensemble.nodes)).filter((f) => f < 0).length;

describe.runIf(cpu.length > 0)('multi-output trees against scikit-learn 1.2 (exact: bins are the values)', () => {
  for (const c of fx.cases) {
    for (const backend of cpu) {
      it(`${c.name} (${c.estimator}, ${backend})`, async () => {
        const m = make(c.estimator, { ...kilnParams(c.params), backend });
        await m.fit(fx.X, fx.Y, c.weighted ? { sampleWeight: fx.sample_weight } : {});
        expect(m.nOutputs).toBe(3);
        expect(leaves(m)).toBe(c.leaves);
        const train = await predictMatrix(m, fx.X);
        expect([train.rows, train.cols]).toEqual([fx.X.length, 3]);
        expectNear(train.data, c.predict.flat());
        expectNear((await predictMatrix(m, c.X_test)).data, c.predict_test.flat());
        expectNear(m.featureImportances, c.feature_importances);
        expect(Math.abs((await m.score(fx.X, fx.Y)) - c.score_train)).toBeLessThanOrEqual(1e-9);
        // the synchronous path: the same values bit for bit, and one row as a 1 × 3 matrix
        expect(Array.from((m.predictSync(c.X_test) as Matrix).data)).toEqual(Array.from((await predictMatrix(m, c.X_test)).data));
        const row = m.predictSync(c.X_test[0]) as Matrix;
        expect([row.rows, row.cols]).toEqual([1, 3]);
        expectNear(row.data, c.predict_test[0]);
      });
    }
  }
});

describe.runIf(hasNative)('randomised multi-output forests reach scikit-learn test R² (mean over five seeds)', () => {
  const q = fx.quality;
  for (const c of q.cases) {
    it(`${c.estimator} ${JSON.stringify(c.params)}`, async () => {
      let sum = 0;
      for (const randomState of q.seeds) {
        const m = make(c.estimator, { ...kilnParams(c.params), randomState });
        sum += await (await m.fit(q.X, q.Y)).score(q.X_test, q.Y_test);
      }
      // kiln draws its own bootstrap, features and (extra trees) bins: a margin, as for 1-D ExtraTrees
      expect(sum / q.seeds.length).toBeGreaterThanOrEqual(c.mean - 0.03);
    });
  }
});

function data(n: number, seed: number) {
  const rng = new Rng(seed),
    X: number[][] = [],
    y: number[] = [],
    Y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = [rng.normal(), rng.normal(), rng.int(6), rng.random() < 0.1 ? NaN : rng.normal()];
    X.push(r);
    y.push(r[0] - r[1] * r[1] + (r[2] % 2) + 0.2 * rng.normal());
    Y.push([y[i], 3 * r[1] + 0.1 * rng.normal(), Number.isNaN(r[3]) ? 1 : r[3] * r[0]]);
  }
  return { X, y, Y };
}

describe.runIf(cpu.length > 0)('multi-output trees: invariants and plumbing', () => {
  const { X, y, Y } = data(300, 7);
  const randomised: [keyof typeof CLASSES, Record<string, unknown>][] = [
    ['DecisionTreeRegressor', { maxFeatures: 2, minImpurityDecrease: 0.002, minSamplesLeaf: 2 }],
    ['RandomForestRegressor', { nEstimators: 6, maxFeatures: 0.5, maxSamples: 0.7, minImpurityDecrease: 0.001 }],
    ['ExtraTreesRegressor', { nEstimators: 6, maxFeatures: 2, minSamplesLeaf: 3 }],
  ];

  it('two outputs the same column: the 1-D trees exactly, on each output (min_impurity_decrease scales with outputs)', async () => {
    // gains double exactly, so every comparison (the impurity-decrease limit included) goes as in 1-D
    for (const backend of cpu) {
      for (const [name, params] of randomised) {
        const one = await make(name, { ...params, backend }).fit(X, y);
        const two = await make(name, { ...params, backend }).fit(
          X,
          y.map((v) => [v, v]),
        );
        const p1 = (await one.predict(X)) as Float64Array,
          p2 = await predictMatrix(two, X);
        expect(Array.from(two.ensemble.feature)).toEqual(Array.from(one.ensemble.feature));
        for (let c = 0; c < 2; c++) expect(Array.from({ length: p1.length }, (_, i) => p2.data[i * 2 + c])).toEqual(Array.from(p1));
        expect(Array.from(two.featureImportances)).toEqual(Array.from(one.featureImportances));
      }
    }
  });

  it('a one-column y predicts 1-D, as a 1-D y does (and as scikit-learn trees do)', async () => {
    const a = await new RandomForestRegressor({ nEstimators: 4 }).fit(X, y);
    const b = await new RandomForestRegressor({ nEstimators: 4 }).fit(
      X,
      y.map((v) => [v]),
    );
    const pb = await b.predict(X);
    expect(pb).toBeInstanceOf(Float64Array);
    expect(Array.from(pb as Float64Array)).toEqual(Array.from((await a.predict(X)) as Float64Array));
    expect(b.nOutputs).toBe(1);
  });

  it.runIf(cpu.length >= 2)('the CPU backends grow the same trees (native and the js reference)', async () => {
    for (const [name, params] of randomised) {
      const fits = await Promise.all(cpu.map((backend) => make(name, { ...params, backend }).fit(X, Y)));
      const preds = await Promise.all(fits.map((m) => predictMatrix(m, X)));
      const sortedValues = (m: Regressor) => Float64Array.from(m.ensemble.value).sort();
      for (let k = 1; k < fits.length; k++) {
        expect(fits[k].ensemble.nodes).toBe(fits[0].ensemble.nodes);
        // every node's outputs (the mean of its in-bag rows) agree, in whatever order
        expectNear(sortedValues(fits[k]), sortedValues(fits[0]), 1e-12);
        // Bootstrap nodes of 2-3 rows where two features part the rows alike tie up to rounding, which
        // each backend's sum order breaks its own way (1-D forests too): the in-bag partition agrees,
        // the split feature there (so out-of-bag rows' leaves) may not.
        if (name === 'RandomForestRegressor') continue;
        expectNear(preds[k].data, preds[0].data, 1e-12);
        expect(Array.from(fits[k].ensemble.feature)).toEqual(Array.from(fits[0].ensemble.feature));
        expectNear(fits[k].featureImportances, fits[0].featureImportances, 1e-12);
      }
    }
  });

  it('score is the uniform average of the per-output R²; each output is the mean of its leaf rows', async () => {
    const m = await new DecisionTreeRegressor({ maxDepth: 3 }).fit(X, Y);
    const pred = await predictMatrix(m, X);
    let r2 = 0;
    for (let c = 0; c < 3; c++) {
      const t = Y.map((r) => r[c]),
        mean = t.reduce((a, b) => a + b, 0) / t.length;
      let num = 0,
        den = 0;
      t.forEach((v, i) => {
        num += (v - pred.data[i * 3 + c]) ** 2;
        den += (v - mean) ** 2;
      });
      r2 += (1 - num / den) / 3;
    }
    expect(Math.abs((await m.score(X, Y)) - r2)).toBeLessThan(1e-12);
    // leaf values: the outputs' means over the rows sharing the leaf
    const leafOf = (await m.apply(X)).data;
    const groups = new Map<number, number[]>();
    leafOf.forEach((leaf, i) => groups.set(leaf, [...(groups.get(leaf) ?? []), i]));
    expect(groups.size).toBe(8);
    for (const rows of groups.values())
      for (let c = 0; c < 3; c++) {
        const mean = rows.reduce((a, i) => a + Y[i][c], 0) / rows.length;
        for (const i of rows) expect(Math.abs(pred.data[i * 3 + c] - mean)).toBeLessThan(1e-12);
      }
  });

  it('SHAP: one matrix per output, each row summing to that output', async () => {
    const m = await new RandomForestRegressor({ nEstimators: 3, maxDepth: 4 }).fit(X, Y);
    const pred = await predictMatrix(m, X.slice(0, 20));
    const shap = m.shapValues(X.slice(0, 20));
    expect(shap.length).toBe(3);
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < 20; i++) {
        const row = shap[c].data.subarray(i * 5, i * 5 + 5);
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - pred.data[i * 3 + c])).toBeLessThan(1e-9);
      }
  });

  it('model files and plain data round-trip bit for bit; clone keeps the parameters, not the trees', async () => {
    for (const [name, params] of randomised) {
      const m = await make(name, params).fit(X, Y);
      const want = Array.from((await predictMatrix(m, X)).data);
      const { model: loaded } = await decodeModel<Regressor>((await encodeModel(m)).bytes);
      expect(Array.from((await predictMatrix(loaded, X)).data)).toEqual(want);
      expect(Array.from(loaded.featureImportances)).toEqual(Array.from(m.featureImportances));
      const back = (await fromPlain(JSON.parse(JSON.stringify(await toPlain(m))))) as Regressor;
      expect(Array.from((await predictMatrix(back, X)).data)).toEqual(want);
      const twin = m.clone();
      expect(twin.getParams()).toEqual(m.getParams());
      expect(() => twin.nOutputs).toThrow(code('E_NOT_FITTED'));
      await twin.fit(X, Y);
      expect(Array.from((await predictMatrix(twin, X)).data)).toEqual(want);
    }
  });

  it('a model file whose trees hold fewer channels than outputs is refused (E_MODEL_FORMAT)', async () => {
    const m = await new DecisionTreeRegressor({ maxDepth: 2 }).fit(
      X,
      Y.map((r) => r.slice(0, 2)),
    );
    await expect(decodeModel((await encodeModel(m)).bytes)).resolves.toBeDefined();
    // a third output no tree writes: the trees' own checks pass (column 0 + 2 channels <= 3 outputs)
    const state = (m as unknown as { state: { ensemble: { outputs: number }; baseScore: Float64Array } }).state;
    state.ensemble.outputs = 3;
    state.baseScore = new Float64Array(3);
    await expect(decodeModel((await encodeModel(m)).bytes)).rejects.toThrow(code('E_MODEL_FORMAT'));
  });

  it.runIf(hasWebgpu && hasNative)('webgpu predicts a multi-output forest (f32 batches) as native does; growing there is E_BACKEND_LIMIT', async () => {
    await expect(new RandomForestRegressor({ nEstimators: 2, backend: 'webgpu' }).fit(X, Y)).rejects.toThrow(code('E_BACKEND_LIMIT'));
    const m = await new RandomForestRegressor({ nEstimators: 20, maxDepth: 6, backend: 'native' }).fit(X, Y); // >= 16 trees: the device's share
    const X32 = new Matrix(Float32Array.from(X.flat()), X.length, 4);
    const nat = await predictMatrix(m, X32);
    const saved = process.env.KILN_WEBGPU_FOREST_MIN_WORK;
    process.env.KILN_WEBGPU_FOREST_MIN_WORK = '1';
    try {
      const before = forestGpuStats.dispatches;
      const dev = await predictMatrix(m.setParams({ backend: 'webgpu' }), X32);
      expect(forestGpuStats.dispatches).toBeGreaterThan(before); // the device walked the trees
      expect([dev.rows, dev.cols]).toEqual([X.length, 3]);
      expectNear(dev.data, nat.data, 1e-5);
    } finally {
      if (saved === undefined) delete process.env.KILN_WEBGPU_FOREST_MIN_WORK;
      else process.env.KILN_WEBGPU_FOREST_MIN_WORK = saved;
    }
  });

  it('refuses bad targets with codes', async () => {
    const m = () => new DecisionTreeRegressor();
    await expect(m().fit(X, Y.slice(1))).rejects.toThrow(code('E_SHAPE'));
    await expect(m().fit(X, new Matrix(new Float64Array(0), 0, 2))).rejects.toThrow(code('E_EMPTY'));
    await expect(
      m().fit(
        X,
        X.map(() => []),
      ),
    ).rejects.toThrow(code('E_EMPTY'));
    const nan = Y.map((r) => [...r]);
    nan[5][1] = NaN;
    await expect(m().fit(X, nan)).rejects.toThrow(code('E_NONFINITE'));
    const ragged = Y.map((r) => [...r]);
    ragged[3] = [1, 2];
    await expect(m().fit(X, ragged)).rejects.toThrow(expect.objectContaining({ code: expect.stringMatching(/^E_/) }));
    await expect(m().fit(X, Y, { sampleWeight: [1, 2] })).rejects.toThrow(code('E_SHAPE'));
    const fitted = await m().fit(X, Y);
    await expect(fitted.score(X, y)).rejects.toThrow(code('E_SHAPE'));
    await expect(fitted.predict([[1, 2]])).rejects.toThrow(code('E_SHAPE'));
  });
});
