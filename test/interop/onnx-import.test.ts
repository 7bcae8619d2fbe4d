/**
 * fromOnnx reads back what toOnnx writes for the tree-ensemble and linear operators: the
 * predictions of kiln → ONNX → kiln agree with the original model's (leaf weights and
 * coefficients pass through f32: within 1e-5), and hostile bytes end in E_MODEL_FORMAT.
 */
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeRegressor,
  fromOnnx,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  KilnError,
  LinearRegression,
  LogisticRegression,
  Pipeline,
  RandomForestClassifier,
  StandardScaler,
  toOnnx,
} from '../../src/index.js';
import { parityData } from './onnx-helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

function near(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `at ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

type Model = {
  fit(X: unknown, y: unknown): Promise<unknown>;
  predict(X: unknown): Promise<unknown>;
  predictProba?(X: unknown): Promise<{ data: Float64Array }>;
};

describe('fromOnnx (kiln → ONNX → kiln)', () => {
  const cases: [string, string, () => Model, boolean][] = [
    ['GradientBoostingClassifier binary', 'breast_cancer', () => new GradientBoostingClassifier({ nEstimators: 15 }), true],
    ['GradientBoostingClassifier multiclass', 'iris', () => new GradientBoostingClassifier({ nEstimators: 10 }), true],
    ['RandomForestClassifier', 'wine', () => new RandomForestClassifier({ nEstimators: 6 }), true],
    ['LogisticRegression binary', 'breast_cancer', () => new LogisticRegression({ maxIter: 500 }), true],
    ['LogisticRegression multiclass', 'wine', () => new LogisticRegression({ maxIter: 500 }), true],
  ];
  for (const [name, dataset, make, proba] of cases) {
    it(name, async () => {
      const d = parityData(dataset, 'logistic_regression');
      const m = make();
      await m.fit(d.X, d.y);
      const back = fromOnnx(toOnnx(m)) as unknown as Model;
      expect(back.constructor).toBe(m.constructor);
      expect(await back.predict(d.test)).toEqual(await m.predict(d.test));
      if (proba) near((await back.predictProba!(d.test)).data, (await m.predictProba!(d.test)).data);
    });
  }

  for (const [name, make] of [
    ['GradientBoostingRegressor', () => new GradientBoostingRegressor({ nEstimators: 20 })],
    ['DecisionTreeRegressor (read back as a one-tree boosting regressor)', () => new DecisionTreeRegressor({ maxDepth: 5 })],
    ['LinearRegression', () => new LinearRegression()],
  ] as [string, () => Model][]) {
    it(name, async () => {
      const d = parityData('diabetes', 'linear_regression');
      const m = make();
      await m.fit(d.X, d.y);
      const back = fromOnnx(toOnnx(m)) as unknown as Model;
      near((await back.predict(d.test)) as Float64Array, (await m.predict(d.test)) as Float64Array);
    });
  }

  it('graphs with preprocessing or decision-only classifiers are E_UNSUPPORTED', async () => {
    const d = parityData('iris', 'logistic_regression');
    const pipe = new Pipeline([
      ['s', new StandardScaler()],
      ['lr', new LogisticRegression() as never],
    ]);
    await pipe.fit(d.X, d.y);
    expect(() => fromOnnx(toOnnx(pipe))).toThrow(code('E_UNSUPPORTED'));
  });

  it('truncated, mutated and foreign bytes are E_MODEL_FORMAT or E_UNSUPPORTED, never a crash', async () => {
    const d = parityData('iris', 'logistic_regression');
    const X = d.X.toArray().map((r, i) => [i % 6, ...r.slice(1)]);
    const categorical = await new GradientBoostingClassifier({ nEstimators: 3, categoricalFeatures: [0], maxCatToOnehot: 1 }).fit(X, d.y);
    for (const bytes of [toOnnx(await new GradientBoostingClassifier({ nEstimators: 3 }).fit(d.X, d.y)), toOnnx(categorical, { targetOpset: 5 })])
      await hostile(bytes);
  });
});

/** Truncations and byte mutations of a valid model: only E_MODEL_FORMAT, E_UNSUPPORTED or E_SHAPE (a width changed) may come out. */
async function hostile(bytes: Uint8Array): Promise<void> {
  expect(() => fromOnnx(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(code('E_MODEL_FORMAT'));
  expect(() => fromOnnx('model.onnx' as never)).toThrow(code('E_MODEL_FORMAT'));
  let seed = 7;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  for (let k = 0; k < 400; k++) {
    const b = k < 100 ? bytes.slice(0, rand(bytes.length)) : Uint8Array.from(bytes);
    if (k >= 100) for (let j = 0; j < 4; j++) b[rand(b.length)] = rand(256);
    try {
      const m = fromOnnx(b) as unknown as { predictSync(X: number[][]): unknown };
      m.predictSync([
        [1, 2, 3, 4],
        [NaN, NaN, NaN, NaN],
      ]);
    } catch (e) {
      expect(e).toBeInstanceOf(KilnError);
      expect(['E_MODEL_FORMAT', 'E_UNSUPPORTED', 'E_SHAPE']).toContain((e as KilnError).code);
    }
  }
}
