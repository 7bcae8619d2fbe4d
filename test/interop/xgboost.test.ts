/**
 * fromXGBoost on models trained once by XGBoost 1.7 (test/fixtures-scripts/gen_xgboost.py):
 * kiln's margins and probabilities equal XGBoost's own (within 1e-6 relative), with missing
 * values and categorical splits; the imported model saves, loads and predicts synchronously.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, fromXGBoost, GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/index.js';
import { xgbThreshold } from '../../src/interop/xgboost.js';

const dir = new URL('../fixtures/xgboost/', import.meta.url);
const read = (name: string) => ({
  model: readFileSync(new URL(`${name}.model.json`, dir), 'utf8'),
  expected: JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as {
    X_test: (number | null)[][];
    margin: number[] | number[][];
    prediction: number[] | number[][];
  },
});
const rows = (x: (number | null)[][]) => x.map((r) => r.map((v) => (v === null ? NaN : v)));

function expectNear(got: ArrayLike<number>, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThan(tol);
}

describe('fromXGBoost', () => {
  it('binary:logistic with missing values: margins and probabilities', async () => {
    const { model, expected } = read('breast_cancer.binary_logistic');
    const m = fromXGBoost(model) as GradientBoostingClassifier;
    expect(m).toBeInstanceOf(GradientBoostingClassifier);
    const X = rows(expected.X_test);
    expectNear((await m.decisionFunction(X)) as Float64Array, expected.margin as number[], 1e-6);
    const p = await m.predictProba(X);
    expectNear(
      Float64Array.from({ length: p.rows }, (_, i) => p.data[2 * i + 1]),
      expected.prediction as number[],
      1e-6,
    );
    expect(m.predictSync(X)).toEqual((expected.prediction as number[]).map((v) => (v > 0.5 ? 1 : 0)));
  });

  for (const name of ['iris.multi_softprob', 'wine.multi_softmax']) {
    it(`${name}: margins per class, and labels`, async () => {
      const { model, expected } = read(name);
      const m = fromXGBoost(new TextEncoder().encode(model)) as GradientBoostingClassifier;
      const X = rows(expected.X_test);
      const margin = (await m.decisionFunction(X)) as { data: Float64Array };
      expectNear(margin.data, (expected.margin as number[][]).flat(), 1e-6);
      const labels = await m.predict(X);
      if (name.includes('softmax')) expect(labels).toEqual(expected.prediction);
      else {
        expectNear((await m.predictProba(X)).data, (expected.prediction as number[][]).flat(), 1e-6);
        expect(labels).toEqual((expected.prediction as number[][]).map((r) => r.indexOf(Math.max(...r))));
      }
    });
  }

  it('reg:squarederror with missing values and a set base_score', async () => {
    const { model, expected } = read('diabetes.reg_squarederror');
    const m = fromXGBoost(JSON.parse(model.replaceAll('NaN', 'null'))) as GradientBoostingRegressor;
    expect(m).toBeInstanceOf(GradientBoostingRegressor);
    expectNear(await m.predict(rows(expected.X_test)), expected.prediction as number[], 1e-6);
  });

  it('categorical splits (XGBoost 1.7 category lists), with NaN categories', async () => {
    const { model, expected } = read('synthetic.categorical');
    const m = fromXGBoost(model) as GradientBoostingClassifier;
    expect(Array.from(m.ensemble.flags).some((f) => f & 2)).toBe(true);
    const X = rows(expected.X_test);
    expectNear((await m.decisionFunction(X)) as Float64Array, expected.margin as number[], 1e-6);
  });

  it('reads base_score written as a one-element vector (later XGBoost versions)', async () => {
    const { model, expected } = read('diabetes.reg_squarederror');
    const doc = JSON.parse(model.replaceAll('NaN', 'null'));
    doc.learner.learner_model_param.base_score = `[${doc.learner.learner_model_param.base_score}]`;
    const m = fromXGBoost(doc) as GradientBoostingRegressor;
    expectNear(await m.predict(rows(expected.X_test)), expected.prediction as number[], 1e-6);
    doc.learner.learner_model_param.base_score = '[1,2]';
    expect(() => fromXGBoost(doc)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
  });

  it('the imported model round-trips through a model file', async () => {
    const { model, expected } = read('iris.multi_softprob');
    const m = fromXGBoost(model) as GradientBoostingClassifier;
    const { bytes } = await encodeModel(m);
    const back = (await decodeModel<GradientBoostingClassifier>(bytes)).model;
    const X = rows(expected.X_test);
    expect(Array.from((await back.predictProba(X)).data)).toEqual(Array.from((await m.predictProba(X)).data));
  });

  it('places thresholds so an f64 value goes where its f32 rounding goes in XGBoost', () => {
    const f = new Float32Array(1);
    for (const c of [1.5, -2.25, 0.1, 3e-39, 1e30, -7.0000005, 0]) {
      const t = xgbThreshold(c),
        c32 = Math.fround(c);
      for (const x of [t, t + Math.abs(t) * 1e-15 + 1e-320, c32, c32 - Math.abs(c32) * 1e-9, -t]) {
        f[0] = x;
        expect(x <= t, `c ${c}, x ${x}`).toBe(f[0] < c32);
      }
    }
  });
});
