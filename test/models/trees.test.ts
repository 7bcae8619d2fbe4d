/**
 * Tree models on the hist engine: closed-form small cases, invariants (training loss goes
 * down, SHAP sums to the raw score, determinism under a seed and across thread counts),
 * missing values and categorical splits, quality on the scikit-learn fixtures, the hist
 * kernels across backends, and bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  fromPlain,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  Matrix,
  RandomForestClassifier,
  RandomForestRegressor,
  rocAucScore,
  Rng,
  setThreads,
  toPlain,
  TreeEnsemble,
} from '../../src/index.js';
import { resolveKernels } from '../../src/backend/select.js';
import type { HistForest } from '../../src/backend/backend.js';
import { fitBinMapper, binSpec } from '../../src/models/tree/binning.js';
import { available, hasNative } from '../helpers/backends.js';
import { loadFixture } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function dataset(n: number, seed: number, opts: { missing?: boolean; cat?: boolean } = {}) {
  const rng = new Rng(seed),
    X: number[][] = [],
    y: number[] = [],
    v: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal(),
      b = rng.normal(),
      c = rng.int(12);
    const logit = 1.5 * a - b * b + (c % 3 === 0 ? 1 : -0.5);
    X.push([opts.missing && rng.random() < 0.15 ? NaN : a, b, c]);
    y.push(rng.random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
    v.push(logit + 0.3 * rng.normal());
  }
  return { X, y, v };
}

describe.runIf(hasNative)('tree models (native hist engine)', () => {
  it('a boosting stump on a hand-solved case: squared error, one round, learning rate 1', async () => {
    const X = [[1], [2], [3], [4]],
      y = [1, 1, 5, 5];
    const m = await new GradientBoostingRegressor({ nEstimators: 1, learningRate: 1, maxLeaves: 2, minDataInLeaf: 1, minSumHessianInLeaf: 0 }).fit(X, y);
    const e = m.ensemble;
    // init = mean 3; gradients 3 - y = [2, 2, -2, -2], hessians 1: leaves -G/H = -2 and +2; the split sits midway between 2 and 3.
    expect([e.feature[0], e.threshold[0], e.value[e.left[0]], e.value[e.right[0]]]).toEqual([0, 2.5, -2, 2]);
    expect(Array.from(await m.predict([[0], [2.4], [2.6], [9]]))).toEqual([1, 1, 5, 5]);
    expect(e.gain[0]).toBeCloseTo(16 / 2 + 16 / 2 - 0, 12); // G_L²/H_L + G_R²/H_R − G²/H
  });

  it('a decision tree separates a hand-made case with one split per feature it needs', async () => {
    const X = [
        [0, 5],
        [1, 5],
        [2, 9],
        [3, 9],
        [4, 5],
        [5, 5],
      ],
      y = ['a', 'a', 'b', 'b', 'a', 'a'];
    const t = await new DecisionTreeClassifier().fit(X, y);
    expect(await t.predict(X)).toEqual(y);
    expect(t.ensemble.feature[0]).toBe(1); // x1 alone separates: one split at 7
    expect(t.ensemble.threshold[0]).toBe(7);
    expect(t.ensemble.nodes).toBe(3);
    expect(Array.from((await t.predictProba([[9, 9]])).data)).toEqual([0, 1]);
  });

  it('training loss decreases every round (logistic, softmax, squared, huber, absolute)', async () => {
    const { X, y, v } = dataset(600, 1);
    const multi = y.map((c, i) => (c + (v[i] > 1 ? 1 : 0)) % 3);
    const models = [
      await new GradientBoostingClassifier({ nEstimators: 30 }).fit(X, y),
      await new GradientBoostingClassifier({ nEstimators: 30 }).fit(X, multi),
      await new GradientBoostingRegressor({ nEstimators: 30 }).fit(X, v),
      await new GradientBoostingRegressor({ nEstimators: 30, loss: 'huber', huberDelta: 0.5 }).fit(X, v),
      await new GradientBoostingRegressor({ nEstimators: 30, loss: 'absolute_error' }).fit(X, v),
    ];
    for (const m of models) {
      const h = m.evalHistory.train;
      expect(h).toHaveLength(30);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] + 1e-12);
      expect(h[29]).toBeLessThan(h[0]);
    }
  });

  it('missing values go to the side learned in training; unseen missingness to the larger child', async () => {
    const rng = new Rng(5),
      X: number[][] = [],
      y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const positive = i % 2 === 0;
      X.push([positive ? NaN : rng.normal(), rng.normal()]);
      y.push(positive ? 1 : 0);
    }
    const m = await new GradientBoostingClassifier({ nEstimators: 20, maxLeaves: 4, learningRate: 0.5 }).fit(X, y);
    const p = (
      await m.predictProba([
        [NaN, 0],
        [0.1, 0],
        [-0.5, 0],
      ])
    ).data;
    expect(p[1]).toBeGreaterThan(0.95);
    expect(p[3]).toBeLessThan(0.05);
    expect(p[5]).toBeLessThan(0.05);
    // Feature 1 never had missing values: NaN there follows the child with more training rows.
    const t = await new DecisionTreeRegressor({ maxDepth: 1 }).fit([[0], [1], [2], [3], [10]], [0, 0, 0, 0, 9]);
    expect(Array.from((await t.predict([[NaN]])) as Float64Array)).toEqual([0]);
  });

  it('categorical features split natively: non-contiguous codes in one split, unseen codes go right', async () => {
    const X: number[][] = [],
      y: number[] = [];
    for (let i = 0; i < 500; i++) {
      const c = i % 10;
      X.push([c]);
      y.push([1, 4, 7].includes(c) ? 1 : 0);
    }
    const cat = await new GradientBoostingClassifier({ nEstimators: 5, maxLeaves: 2, categoricalFeatures: [0] }).fit(X, y);
    expect(await cat.score(X, y)).toBe(1);
    expect(cat.ensemble.flags[0] & 2).toBe(2);
    const num = await new GradientBoostingClassifier({ nEstimators: 5, maxLeaves: 2 }).fit(X, y);
    expect(await num.score(X, y)).toBeLessThan(1); // a threshold cannot isolate {1, 4, 7}
    const unseen = (await cat.decisionFunction([[42]])) as Float64Array,
      zero = (await cat.decisionFunction([[0]])) as Float64Array;
    expect(unseen[0]).toBe(zero[0]); // {1,4,7} went left: an unseen code takes the right side with 0
    // A boolean mask works too, and missing categories are their own bin.
    const masked = await new RandomForestClassifier({ nEstimators: 5, categoricalFeatures: [true] }).fit(
      X.map((r, i) => (i % 50 === 0 ? [NaN] : r)),
      y,
    );
    expect(await masked.score(X, y)).toBeGreaterThan(0.95);
  });

  it('is deterministic under a seed, across thread counts, and seeds change bagged models', async () => {
    const { X, y } = dataset(3000, 2, { missing: true });
    const params = { nEstimators: 15, subsample: 0.7, featureFraction: 0.67, featureFractionByNode: 0.8, randomState: 7 };
    const a = await new GradientBoostingClassifier(params).fit(X, y);
    setThreads(1);
    const b = await new GradientBoostingClassifier(params).fit(X, y);
    setThreads(2);
    expect(Array.from(b.ensemble.threshold)).toEqual(Array.from(a.ensemble.threshold));
    expect(Array.from(b.ensemble.value)).toEqual(Array.from(a.ensemble.value));
    const c = await new GradientBoostingClassifier({ ...params, randomState: 8 }).fit(X, y);
    expect(Array.from(c.ensemble.value)).not.toEqual(Array.from(a.ensemble.value));
    const r1 = await new RandomForestRegressor({ nEstimators: 5, randomState: 3 }).fit(X, y),
      r2 = await new RandomForestRegressor({ nEstimators: 5, randomState: 3 }).fit(X, y);
    expect(Array.from(r1.ensemble.value)).toEqual(Array.from(r2.ensemble.value));
  });

  it('SHAP contributions sum to the raw prediction (boosting binary / multiclass / regression, forests)', async () => {
    const { X, y, v } = dataset(300, 3, { missing: true, cat: true });
    const Xt = X.slice(0, 25);
    const check = (shap: Matrix<Float64Array>[], raw: Float64Array, k: number) => {
      shap.forEach((m, c) => {
        for (let r = 0; r < m.rows; r++) {
          let s = 0;
          for (let j = 0; j < m.cols; j++) s += m.data[r * m.cols + j];
          expect(s).toBeCloseTo(raw[r * k + c], 9);
        }
      });
    };
    const bin = await new GradientBoostingClassifier({ nEstimators: 10, categoricalFeatures: [2] }).fit(X, y);
    check(bin.shapValues(Xt), (await bin.decisionFunction(Xt)) as Float64Array, 1);
    const multi = await new GradientBoostingClassifier({ nEstimators: 5 }).fit(
      X,
      y.map((c, i) => (c + i) % 3),
    );
    check(multi.shapValues(Xt), ((await multi.decisionFunction(Xt)) as Matrix<Float64Array>).data, 3);
    const reg = await new GradientBoostingRegressor({ nEstimators: 10 }).fit(X, v);
    check(reg.shapValues(Xt), await reg.predict(Xt), 1);
    const rf = await new RandomForestClassifier({ nEstimators: 5, maxDepth: 4 }).fit(X, y);
    check(rf.shapValues(Xt), (await rf.predictProba(Xt)).data, 2);
    // A feature the model never splits on gets zero everywhere.
    const unused = await new GradientBoostingRegressor({ nEstimators: 5 }).fit(
      X.map((r) => [r[0], 0]),
      v,
    );
    expect(
      unused
        .shapValues(Xt.map((r) => [r[0], 0]))[0]
        .toArray()
        .every((row) => row[1] === 0),
    ).toBe(true);
  });

  it('early stopping keeps the best round; staged predictions end at predict; predictSync equals predict', async () => {
    const { X, y } = dataset(1500, 4);
    const m = await new GradientBoostingClassifier({ nEstimators: 400, learningRate: 0.5, earlyStoppingRounds: 10, maxLeaves: 63, minDataInLeaf: 2 }).fit(X, y);
    const h = m.evalHistory;
    expect(h.valid).not.toBeNull();
    expect(m.nIter).toBeLessThan(400);
    expect(h.valid!.length).toBe(m.nIter + 10);
    expect(Math.min(...h.valid!)).toBe(h.valid![m.nIter - 1]);
    let last: Matrix<Float64Array> | undefined,
      count = 0;
    for await (const p of m.stagedPredictProba(X.slice(0, 50))) {
      last = p;
      count++;
    }
    expect(count).toBe(m.nIter);
    const full = await m.predictProba(X.slice(0, 50));
    last!.data.forEach((p, i) => expect(p).toBeCloseTo(full.data[i], 12));
    expect(m.predictProbaSync(X.slice(0, 50)).data).toEqual(full.data);
    const withEval = await new GradientBoostingClassifier({ nEstimators: 20 }).fit(X.slice(0, 1000), y.slice(0, 1000), {
      evalSet: [X.slice(1000), y.slice(1000)],
    });
    expect(withEval.evalHistory.valid).toHaveLength(20);
    expect(withEval.nIter).toBe(20);
  });

  it('sample weights act as row multiplicities; classWeight shifts the classifier', async () => {
    const { X, v, y } = dataset(200, 6);
    const params = { nEstimators: 5, minDataInLeaf: 1, minSumHessianInLeaf: 0 };
    const w = X.map((_, i) => (i % 3 === 0 ? 2 : 1));
    const weighted = await new GradientBoostingRegressor(params).fit(X, v, { sampleWeight: w });
    const Xd = X.flatMap((r, i) => (w[i] === 2 ? [r, r] : [r])),
      vd = v.flatMap((t, i) => (w[i] === 2 ? [t, t] : [t]));
    const dup = await new GradientBoostingRegressor(params).fit(Xd, vd);
    const fromDuplicates = dup.predictSync(X);
    (await weighted.predict(X)).forEach((p, i) => expect(p).toBeCloseTo(fromDuplicates[i], 9));
    const plain = await new RandomForestClassifier({ nEstimators: 10, maxDepth: 2 }).fit(X, y);
    const skewed = await new RandomForestClassifier({ nEstimators: 10, maxDepth: 2, classWeight: { 1: 20 } }).fit(X, y);
    const ones = (p: unknown[]) => p.filter((c) => c === 1).length;
    expect(ones(await skewed.predict(X))).toBeGreaterThan(ones(await plain.predict(X)));
  });

  it('quantised gradients train an equally good model, deterministically', async () => {
    const { X, y } = dataset(4000, 8, { missing: true });
    const test = dataset(2000, 9, { missing: true });
    const f = await new GradientBoostingClassifier({ nEstimators: 40 }).fit(X, y);
    const q = await new GradientBoostingClassifier({ nEstimators: 40, quantizedGradients: true }).fit(X, y);
    const q2 = await new GradientBoostingClassifier({ nEstimators: 40, quantizedGradients: true }).fit(X, y);
    const auc = async (m: GradientBoostingClassifier) => rocAucScore(test.y, (await m.decisionFunction(test.X)) as Float64Array);
    expect(Math.abs((await auc(q)) - (await auc(f)))).toBeLessThan(0.01);
    expect(Array.from(q2.ensemble.value)).toEqual(Array.from(q.ensemble.value));
  });

  it('GOSS: every row for the first 1 / learningRate rounds, then an equally good model from a third of the rows, the same on any thread count', async () => {
    const { X, y } = dataset(6000, 21, { missing: true });
    const test = dataset(3000, 22, { missing: true });
    // LightGBM's rule: no sampling in the first ⌊1 / 0.1⌋ = 10 rounds, so 10 rounds equal the plain model exactly.
    const plain10 = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(X, y);
    const goss10 = await new GradientBoostingClassifier({ nEstimators: 10, dataSampleStrategy: 'goss' }).fit(X, y);
    expect(Array.from(goss10.ensemble.value)).toEqual(Array.from(plain10.ensemble.value));
    const plain = await new GradientBoostingClassifier({ nEstimators: 60 }).fit(X, y);
    const goss = await new GradientBoostingClassifier({ nEstimators: 60, dataSampleStrategy: 'goss', randomState: 4 }).fit(X, y);
    expect(Array.from(goss.ensemble.value)).not.toEqual(Array.from(plain.ensemble.value));
    // Trees after round 10 grow from topRate + otherRate ≈ 30% of the rows: the root's count says so.
    const rootCount = (t: number) => goss.ensemble.count[goss.ensemble.roots[t]];
    expect(rootCount(5)).toBe(6000);
    expect(Math.abs(rootCount(30) - 1800)).toBeLessThan(5 * Math.sqrt(4800 * 0.125 * 0.875));
    const auc = async (m: GradientBoostingClassifier) => rocAucScore(test.y, (await m.decisionFunction(test.X)) as Float64Array);
    expect(Math.abs((await auc(goss)) - (await auc(plain)))).toBeLessThan(0.01);
    // The draws hash (seed, row): the same model on one thread. (The js backend draws the same rows
    // from the same gradients, test/backend/hist-sample.test.ts, but its gradients differ from
    // native's in the last bits, which is enough to move a row across the |g · h| threshold.)
    setThreads(1);
    const one = await new GradientBoostingClassifier({ nEstimators: 60, dataSampleStrategy: 'goss', randomState: 4 }).fit(X, y);
    setThreads(2);
    expect(Array.from(one.ensemble.value)).toEqual(Array.from(goss.ensemble.value));
    // Multiclass: the rows of a round are drawn once, by Σ over the classes of |g · h|, for every class's tree.
    const y3 = X.map(([a, b], i) => (Number.isNaN(a) ? i % 3 : a > 0.5 ? 2 : b > 0 ? 1 : 0));
    const test3 = test.X.map(([a, b], i) => (Number.isNaN(a) ? i % 3 : a > 0.5 ? 2 : b > 0 ? 1 : 0));
    const m3 = { nEstimators: 30, learningRate: 0.2, randomState: 2 };
    const plain3 = await new GradientBoostingClassifier(m3).fit(X, y3);
    const goss3 = await new GradientBoostingClassifier({ ...m3, dataSampleStrategy: 'goss' }).fit(X, y3);
    const roots = goss3.ensemble.roots;
    expect(goss3.ensemble.count[roots[3 * 20]]).toBe(goss3.ensemble.count[roots[3 * 20 + 2]]); // one sample per round
    expect(goss3.ensemble.count[roots[3 * 20]]).toBeLessThan(6000 * 0.4);
    expect(Math.abs((await goss3.score(test.X, test3)) - (await plain3.score(test.X, test3)))).toBeLessThan(0.02);
  });

  it('importances, apply and plain-data round trips', async () => {
    const { X, y } = dataset(500, 10);
    const m = await new GradientBoostingClassifier({ nEstimators: 10 }).fit(
      X.map((r) => [...r, 0]),
      y,
    );
    const imp = m.featureImportances;
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(imp[3]).toBe(0);
    expect(m.featureImportance('split').reduce((a, b) => a + b, 0)).toBe(Array.from(m.ensemble.feature).filter((f) => f >= 0).length);
    const leaves = await m.apply(X.slice(0, 3).map((r) => [...r, 0]));
    expect(leaves.cols).toBe(10);
    for (const j of leaves.data) expect(m.ensemble.feature[j]).toBe(-1);
    const trees = TreeEnsemble.fromJSON(JSON.parse(JSON.stringify(m.ensemble)));
    expect(Array.from(trees.forest().nodes)).toEqual(Array.from(m.ensemble.forest().nodes));
    const tampered = JSON.parse(JSON.stringify(m.ensemble));
    tampered.left[0] = 0;
    expect(() => TreeEnsemble.fromJSON(tampered)).toThrow(code('E_MODEL_FORMAT'));
    expect(() => TreeEnsemble.fromJSON({ ...JSON.parse(JSON.stringify(m.ensemble)), value: ['x'] })).toThrow(code('E_MODEL_FORMAT'));
    const copy = (await fromPlain(JSON.parse(JSON.stringify(await toPlain(m))))) as GradientBoostingClassifier;
    const Xq = X.map((r) => [...r, 0]);
    expect((await copy.predictProba(Xq)).data).toEqual((await m.predictProba(Xq)).data);
  });

  it('refuses bad input with clear codes', async () => {
    const { X, y } = dataset(50, 11);
    await expect(
      new GradientBoostingClassifier().fit(
        X,
        y.map((c, i) => (i === 3 ? NaN : c)),
      ),
    ).rejects.toThrow(code('E_NONFINITE'));
    await expect(
      new GradientBoostingClassifier().fit(
        X,
        y.map(() => 1),
      ),
    ).rejects.toThrow(code('E_PARAM'));
    await expect(
      new RandomForestClassifier().fit(
        X,
        y.map(() => 'a'),
      ),
    ).rejects.toThrow(/one class only/);
    await expect(new GradientBoostingRegressor().fit([], [])).rejects.toThrow(code('E_EMPTY'));
    await expect(new GradientBoostingRegressor().fit(X, y, { sampleWeight: [1, 2] })).rejects.toThrow(code('E_SHAPE'));
    await expect(new GradientBoostingRegressor().fit(X, y.slice(1))).rejects.toThrow(code('E_SHAPE'));
    const many = Array.from({ length: 300 }, (_, i) => [i]);
    await expect(
      new GradientBoostingRegressor({ categoricalFeatures: [0] }).fit(
        many,
        many.map((r) => r[0]),
      ),
    ).rejects.toThrow(/more than maxBins/);
    await expect(new GradientBoostingRegressor({ categoricalFeatures: [0] }).fit([[0.5], [1]], [1, 2])).rejects.toThrow(/integer codes/);
    await expect(new GradientBoostingRegressor({ categoricalFeatures: [3] }).fit(X, y)).rejects.toThrow(code('E_PARAM'));
    expect(() => new GradientBoostingClassifier({ learningRate: 0 })).toThrow(code('E_PARAM'));
    expect(() => new GradientBoostingClassifier({ maxBins: 256 })).toThrow(code('E_PARAM'));
    expect(() => new GradientBoostingClassifier({ dataSampleStrategy: 'random' as never })).toThrow(code('E_PARAM'));
    expect(() => new GradientBoostingClassifier({ topRate: 1 })).toThrow(code('E_PARAM'));
    await expect(new GradientBoostingClassifier({ dataSampleStrategy: 'goss', subsample: 0.5 }).fit(X, y)).rejects.toThrow(/leave subsample at 1/);
    await expect(new GradientBoostingClassifier({ dataSampleStrategy: 'goss', topRate: 0.6, otherRate: 0.5 }).fit(X, y)).rejects.toThrow(
      /topRate \+ otherRate is 1\.1/,
    );
    await expect(new GradientBoostingRegressor({ dataSampleStrategy: 'goss', loss: 'quantile' }).fit(X, y)).rejects.toThrow(/refitted/);
    expect(() => new DecisionTreeClassifier({ nEstimators: 3 } as never)).toThrow(code('E_PARAM'));
    const m = await new GradientBoostingRegressor({ nEstimators: 2 }).fit(X, y);
    await expect(m.predict([[1, 2]])).rejects.toThrow(code('E_SHAPE'));
    // The js backend trains too, on the reference grower (test/hist-grow.test.ts compares its trees to native's).
    expect((await new GradientBoostingRegressor({ nEstimators: 2, backend: 'js' }).fit(X, y)).ensemble.trees).toBe(2);
    await expect(new GradientBoostingRegressor().predict(X)).rejects.toThrow(code('E_NOT_FITTED'));
    // A tampered forest (a cycle) is refused before any row walks it, on both prediction paths.
    const bad = (await fromPlain(JSON.parse(JSON.stringify(await toPlain(m))))) as GradientBoostingRegressor;
    bad.ensemble.left[0] = 0;
    await expect(bad.predict(X)).rejects.toThrow(code('E_MODEL_FORMAT'));
    expect(() => bad.predictSync(X)).toThrow(code('E_MODEL_FORMAT'));
  });
});

describe.runIf(hasNative)('tree models reach scikit-learn quality on the fixtures', () => {
  const cases: [
    string,
    string,
    (p: Record<string, unknown>) => { fit: (...a: any[]) => any; predictProba?: (...a: any[]) => any; score: (...a: any[]) => any },
  ][] = [
    ['breast_cancer', 'decision_tree_classifier', () => new DecisionTreeClassifier()],
    ['iris', 'decision_tree_classifier', () => new DecisionTreeClassifier()],
    ['wine', 'decision_tree_classifier', () => new DecisionTreeClassifier()],
    ['breast_cancer', 'random_forest_classifier', () => new RandomForestClassifier()],
    ['iris', 'random_forest_classifier', () => new RandomForestClassifier()],
    ['wine', 'random_forest_classifier', () => new RandomForestClassifier()],
    ['diabetes', 'random_forest_regressor', () => new RandomForestRegressor()],
    ['breast_cancer', 'hist_gradient_boosting_classifier', () => new GradientBoostingClassifier()],
    ['iris', 'hist_gradient_boosting_classifier', () => new GradientBoostingClassifier()],
    ['wine', 'hist_gradient_boosting_classifier', () => new GradientBoostingClassifier()],
    ['diabetes', 'hist_gradient_boosting_regressor', () => new GradientBoostingRegressor()],
  ];
  for (const [ds, op, make] of cases) {
    it(`${ds} ${op}`, async () => {
      const f = loadFixture(ds, op) as any;
      const m = make(f.params);
      await m.fit(f.input.X, f.input.y);
      const margin = f.tolerance.margin;
      if ('accuracy_test' in f.expected) {
        expect(await m.score(f.input.X_test, f.input.y_test)).toBeGreaterThanOrEqual(f.expected.accuracy_test - margin.accuracy_test);
        return;
      }
      const sk = f.expected.sklearn_score;
      if ('r2' in sk) {
        expect(await m.score(f.input.X_test, f.input.y_test)).toBeGreaterThanOrEqual(sk.r2 - margin.r2);
        return;
      }
      expect(await m.score(f.input.X_test, f.input.y_test)).toBeGreaterThanOrEqual(sk.accuracy - margin.accuracy);
      const proba = await m.predictProba!(f.input.X_test);
      const auc =
        proba.cols === 2
          ? rocAucScore(
              f.input.y_test,
              Array.from({ length: proba.rows }, (_, i) => proba.data[2 * i + 1]),
            )
          : rocAucScore(f.input.y_test, proba, { multiClass: 'ovr' });
      expect(auc).toBeGreaterThanOrEqual(sk.roc_auc - margin.roc_auc);
    });
  }
});

describe.runIf(cpu.length >= 2)('hist kernels agree across CPU backends', () => {
  const rng = new Rng(12);
  const n = 700,
    p = 4;
  const X = new Float64Array(n * p).map((_, i) => (i % 17 === 0 ? NaN : i % p === 3 ? rng.int(9) : rng.normal()));
  const mapper = fitBinMapper(new Matrix(X, n, p), Uint8Array.of(0, 0, 0, 1), 32, 0, 'test');
  const spec = binSpec(mapper);
  const backendsOf = async () => Promise.all(cpu.map(async (b) => (await resolveKernels('hist', b, 0, 'test')).kernels));

  it('binning', async () => {
    const outs = await Promise.all((await backendsOf()).map(async (b) => (await b.bin(X, n, p, spec)).bins));
    for (const o of outs) expect(Array.from(o)).toEqual(Array.from(outs[0]));
    for (let i = 0; i < n * p; i++) if (Number.isNaN(X[i])) expect(outs[0][i]).toBe(0);
    for (let f = 0; f < p; f++) for (let r = 0; r < n; r++) expect(outs[0][r * p + f]).toBeLessThan(mapper.binCount[f]);
    // A feature-major copy, where a backend makes one (the native grower's partitions read it), holds the same bins.
    for (const b of await backendsOf()) {
      const { bins, columns } = await b.bin(X, n, p, spec);
      if (!columns) continue;
      const transposed = new Uint8Array(n * p);
      for (let r = 0; r < n; r++) for (let f = 0; f < p; f++) transposed[f * n + r] = bins[r * p + f];
      expect(Array.from(columns)).toEqual(Array.from(transposed));
    }
  });

  it("binning's sample: the rows Rng.sampleIndices draws, the same values on every backend", async () => {
    // Column 0 holds the row number, so the values it yields are the rows drawn.
    for (const [rows, k, seed] of [
      [700, 700, 3],
      [700, 300, 4],
      [50_000, 20_000, 5],
      [50_000, 1, 6],
    ] as const) {
      const data = Float64Array.from({ length: rows * 3 }, (_, i) => (i % 3 === 0 ? i / 3 : i % 7 === 0 ? NaN : Math.sin(i)));
      const state = Uint32Array.from(new Rng(seed).getState().slice(0, 4));
      const want = new Rng(seed).sampleIndices(rows, k);
      for (const x of [data, Float32Array.from(data)]) {
        const outs = (await backendsOf()).map((b) => b.binSample(x, rows, 3, Int32Array.of(0, 2), state, k));
        for (const o of outs) {
          expect(Array.from(o.counts)).toEqual(Array.from(outs[0].counts));
          expect(Array.from(o.values)).toEqual(Array.from(outs[0].values));
        }
        if (x === data) expect(Array.from(outs[0].values.subarray(0, k))).toEqual(Array.from(want));
        const nonNaN = Array.from(want, (r) => data[r * 3 + 2]).filter((v) => !Number.isNaN(v));
        expect(outs[0].counts[1]).toBe(nonNaN.length);
        if (x === data) expect(Array.from(outs[0].values.subarray(k, k + nonNaN.length))).toEqual(nonNaN);
      }
    }
    // The native kernel refuses a feature outside the columns, or more rows than there are, before
    // it reads anything (the js reference trusts its one caller, fitBinMapper).
    const native = (await resolveKernels('hist', 'native', 0, 'test')).kernels,
      state = Uint32Array.of(1, 2, 3, 4),
      x = new Float64Array(30);
    expect(() => native.binSample(x, 10, 3, Int32Array.of(3), state, 5)).toThrow(code('E_PARAM'));
    expect(() => native.binSample(x, 10, 3, Int32Array.of(0), state, 11)).toThrow(code('E_PARAM'));
  });

  it('gradients of every loss', async () => {
    const y = Float64Array.from({ length: n }, (_, i) => i % 3),
      scores = Float64Array.from({ length: 3 * n }, () => rng.normal() * 3);
    const w = Float64Array.from({ length: n }, () => rng.random());
    for (const [loss, k] of [
      ['logistic', 1],
      ['softmax', 3],
      ['squared_error', 1],
      ['absolute_error', 1],
      ['huber', 1],
    ] as const) {
      const yy = loss === 'logistic' ? y.map((v) => v % 2) : y;
      const results = await Promise.all(
        (await backendsOf()).map(async (b) => {
          const gh = new Float64Array(2 * n * k);
          return { sum: await b.gradients(loss, n, k, yy, scores.subarray(0, n * k), w, 0.7, gh), gh };
        }),
      );
      for (const r of results) {
        expect(r.sum).toBeCloseTo(results[0].sum, 8);
        r.gh.forEach((g, i) => expect(g).toBeCloseTo(results[0].gh[i], 12));
      }
    }
  });

  it.runIf(hasNative)('forest prediction and leaf indices (bit-identical)', async () => {
    const m = await new GradientBoostingClassifier({ nEstimators: 8, categoricalFeatures: [3], maxBins: 32 }).fit(
      new Matrix(X, n, p),
      Array.from({ length: n }, (_, i) => (i * 7) % 3),
    );
    const forest: HistForest = m.ensemble.forest();
    const outs = await Promise.all(
      (await backendsOf()).map(async (b) => {
        const out = new Float64Array(n * 3),
          leafIndex = new Int32Array(n * m.ensemble.trees);
        await b.predict({ x: X, n, p, forest, treeBegin: 0, treeEnd: m.ensemble.trees, out, outCols: 3, leafIndex });
        return { out, leafIndex };
      }),
    );
    for (const o of outs) {
      expect(Array.from(o.out)).toEqual(Array.from(outs[0].out));
      expect(Array.from(o.leafIndex)).toEqual(Array.from(outs[0].leafIndex));
    }
  });
});
