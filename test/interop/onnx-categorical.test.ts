/**
 * Categorical (bitset) tree splits in ONNX: TreeEnsemble (ai.onnx.ml 5) with BRANCH_MEMBER, run
 * in onnxruntime against kiln on data whose labels depend on category sets, with unseen codes
 * and NaN; below operator set 5 the export is refused. (A fractional value in a categorical
 * column is not a category: kiln sends it right, onnxruntime compares its truncation; left out.)
 */
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, toOnnx } from '../../src/index.js';
import { runOnnx } from './onnx-helpers.js';

let s = 4242;
const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
/** Column 0: a category 0..39 (NaN sometimes), column 1: a number. */
function data(n: number, test = false) {
  const X: number[][] = [];
  const yc: number[] = [],
    yr: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = Math.floor(rand() * 40);
    const v = Math.fround(rand() * 2 - 1);
    const inSet = [1, 3, 7, 12, 33, 38].includes(c);
    yc.push(inSet ? (v > 0 ? 2 : 1) : v > 0.5 ? 1 : 0);
    yr.push((inSet ? 3 : 0) + (c % 5) + v);
    if (i % 11 === 0) c = NaN;
    if (test && i % 13 === 1) c = 45 + (i % 3); // codes never seen
    X.push([c, v]);
  }
  return { X, yc, yr, f32: Float32Array.from(X.flat()) };
}

describe('toOnnx categorical splits (targetOpset 5)', () => {
  const train = data(600),
    test = data(150, true);
  const probaCheck = async (model: { predict(X: unknown): Promise<unknown>; predictProba(X: unknown): Promise<{ data: Float64Array }> }) => {
    const r = await runOnnx(toOnnx(model, { targetOpset: 5 }), test.f32, test.X.length, 2);
    expect(r.label.data).toEqual(await model.predict(test.X));
    const want = (await model.predictProba(test.X)).data;
    (r.probabilities.data as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
  };

  it('multiclass and binary boosting', async () => {
    const multi = await new GradientBoostingClassifier({ nEstimators: 15, categoricalFeatures: [0], maxCatToOnehot: 1 }).fit(train.X, train.yc);
    expect(Array.from(multi.ensemble.flags).some((f) => f & 2)).toBe(true);
    await probaCheck(multi);
    const binary = await new GradientBoostingClassifier({ nEstimators: 15, categoricalFeatures: [0] }).fit(
      train.X,
      train.yc.map((c) => (c > 0 ? 1 : 0)),
    );
    await probaCheck(binary);
    expect(() => toOnnx(binary)).toThrow(/targetOpset: 5/);
  });

  it('a forest classifier (one tree copy per class) and a regressor', async () => {
    const forest = await new RandomForestClassifier({ nEstimators: 5, categoricalFeatures: [0], maxDepth: 6 }).fit(train.X, train.yc);
    await probaCheck(forest);
    const reg = await new GradientBoostingRegressor({ nEstimators: 20, categoricalFeatures: [0] }).fit(train.X, train.yr);
    const r = await runOnnx(toOnnx(reg, { targetOpset: 5 }), test.f32, test.X.length, 2);
    const want = await reg.predict(test.X);
    (r.variable.data as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]))));
  });
});

describe('fromOnnx reads TreeEnsemble (operator set 5) back', () => {
  const train = data(400),
    test = data(120, true);
  it('boosting (binary, multiclass), a forest and a regressor with categorical splits', async () => {
    const { fromOnnx } = await import('../../src/index.js');
    const models = [
      await new GradientBoostingClassifier({ nEstimators: 8, categoricalFeatures: [0] }).fit(train.X, train.yc),
      await new GradientBoostingClassifier({ nEstimators: 8, categoricalFeatures: [0] }).fit(
        train.X,
        train.yc.map((c) => (c > 0 ? 'yes' : 'no')),
      ),
      await new RandomForestClassifier({ nEstimators: 4, categoricalFeatures: [0], maxDepth: 5 }).fit(train.X, train.yc),
      await new GradientBoostingRegressor({ nEstimators: 8, categoricalFeatures: [0] }).fit(train.X, train.yr),
    ];
    for (const m of models) {
      const back = fromOnnx(toOnnx(m, { targetOpset: 5 })) as unknown as typeof m;
      expect(back.constructor).toBe(m.constructor);
      const got = await back.predict(test.X),
        want = await m.predict(test.X);
      if (m instanceof GradientBoostingRegressor) (got as Float64Array).forEach((v, i) => expect(Math.abs(v - (want as Float64Array)[i])).toBeLessThan(1e-4));
      else expect(got).toEqual(want);
    }
  });
});
