/**
 * fromLightGBM on text models in LightGBM's documented format, written by
 * test/fixtures-scripts/gen_lightgbm.py with an independent Python walk of LightGBM's rules as
 * the expected output (LightGBM is not packaged here): raw scores and probabilities within 1e-6,
 * with missing-value types, default directions and multi-word categorical bitsets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, fromLightGBM, GradientBoostingClassifier, GradientBoostingRegressor } from '../../src/index.js';

const dir = new URL('../fixtures/lightgbm/', import.meta.url);
const read = (name: string) => ({
  text: readFileSync(new URL(`${name}.txt`, dir), 'utf8'),
  expected: JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as {
    X_test: (number | null)[][];
    raw: number[][];
    output: number[] | number[][];
  },
});
const rows = (x: (number | null)[][]) => x.map((r) => r.map((v) => (v === null ? NaN : v)));

function expectNear(got: ArrayLike<number>, want: number[], tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThan(tol);
}

describe('fromLightGBM', () => {
  it('binary (sigmoid:1) with NaN and None missing types', async () => {
    const { text, expected } = read('breast_cancer.binary');
    const m = fromLightGBM(text) as GradientBoostingClassifier;
    expect(m).toBeInstanceOf(GradientBoostingClassifier);
    const X = rows(expected.X_test);
    expect(X.flat().some(Number.isNaN)).toBe(true);
    expectNear((await m.decisionFunction(X)) as Float64Array, expected.raw.flat());
    const p = await m.predictProba(X);
    expectNear(
      Float64Array.from({ length: p.rows }, (_, i) => p.data[2 * i + 1]),
      expected.output as number[],
    );
  });

  it('multiclass: one tree per class per iteration, softmax', async () => {
    const { text, expected } = read('iris.multiclass');
    const m = fromLightGBM(new TextEncoder().encode(text)) as GradientBoostingClassifier;
    const X = rows(expected.X_test);
    expectNear(((await m.decisionFunction(X)) as { data: Float64Array }).data, expected.raw.flat());
    expectNear((await m.predictProba(X)).data, (expected.output as number[][]).flat());
    expect(m.predictSync(X)).toEqual((expected.output as number[][]).map((r) => r.indexOf(Math.max(...r))));
  });

  it('regression, the initial score in the first tree', async () => {
    const { text, expected } = read('diabetes.regression');
    const m = fromLightGBM(text) as GradientBoostingRegressor;
    expect(m).toBeInstanceOf(GradientBoostingRegressor);
    expectNear(await m.predict(rows(expected.X_test)), expected.output as number[]);
  });

  it('categorical bitsets over several words, NaN and negative codes right, a one-leaf tree', async () => {
    const { text, expected } = read('synthetic.categorical');
    const m = fromLightGBM(text) as GradientBoostingRegressor;
    expect(Array.from(m.ensemble.catWords).some((w) => w >= 3)).toBe(true);
    const model = (await decodeModel<GradientBoostingRegressor>((await encodeModel(m)).bytes)).model;
    expectNear(await model.predict(rows(expected.X_test)), expected.output as number[]);
  });

  it('zero_as_missing splits that send zeros against the threshold are E_UNSUPPORTED', () => {
    const { text } = read('synthetic.categorical');
    // split 1 (numerical, threshold 0.25) with missing type Zero and default right: 0 <= 0.25 would go left
    const zero = text.replace('decision_type=9 10 1', 'decision_type=9 4 1');
    expect(() => fromLightGBM(zero)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
    // with default left, zeros go where the threshold sends them anyway: readable
    expect(() => fromLightGBM(text.replace('decision_type=9 10 1', 'decision_type=9 6 1'))).not.toThrow();
  });
});
