import { describe, expect, it } from 'vitest';
import { Matrix, Rng, SGDClassifier, SGDRegressor } from '../../src/index.js';
import { sgdEpochRef } from '../../src/backend/js/linear.js';
import { resolveBackend } from '../../src/backend/select.js';
import { available, hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function blobs(rng: Rng, n: number, centers: number[][]): { X: Matrix<Float64Array>; y: number[] } {
  const p = centers[0].length,
    X = new Float64Array(n * p),
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % centers.length;
    for (let j = 0; j < p; j++) X[i * p + j] = centers[k][j] + 0.3 * rng.normal();
    y.push(k);
  }
  return { X: new Matrix(X, n, p), y };
}

describe.runIf(hasNative)('sgd epoch kernel', () => {
  it('native equals the f64 reference for every loss and penalty', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(4);
    const n = 300,
      p = 6,
      models = 3;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const y = Float64Array.from({ length: models * n }, () => (rng.random() < 0.5 ? -1 : 1));
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    const w = Float64Array.from({ length: n }, () => rng.random() + 0.5);
    for (const loss of ['hinge', 'log_loss', 'squared_error', 'huber', 'squared_hinge', 'modified_huber'] as const) {
      for (const l1Ratio of [0, 0.5, 1]) {
        const make = () => ({
          x,
          n,
          p,
          y,
          models,
          order,
          w,
          loss,
          epsilon: 0.1,
          alpha: 1e-3,
          l1Ratio,
          rate: 'invscaling' as const,
          eta0: 0.05,
          powerT: 0.25,
          optimalInit: 1,
          fitIntercept: true,
          coef: new Float64Array(models * (p + 1)),
          t: new Float64Array(models).fill(1),
          lossSum: new Float64Array(models),
        });
        const a = make(),
          b = make();
        await native.linear!.sgdEpoch(a);
        sgdEpochRef(b);
        for (let i = 0; i < a.coef.length; i++) expect(a.coef[i]).toBeCloseTo(b.coef[i], 10);
        for (let i = 0; i < models; i++) expect(a.lossSum[i]).toBeCloseTo(b.lossSum[i], 8);
        expect(Array.from(a.t)).toEqual(Array.from(b.t));
      }
    }
  });
});

describe.each(cpu)('SGD estimators on %s', (backend) => {
  it('classifies separable blobs, binary and one-vs-all, deterministically', async () => {
    const { X, y } = blobs(new Rng(1), 600, [
      [-2, 0],
      [2, 0],
      [0, 3],
    ]);
    const m = await new SGDClassifier({ backend, randomState: 7 }).fit(X, y);
    expect(await m.score(X, y)).toBeGreaterThan(0.97);
    expect(m.coef.rows).toBe(3);
    const again = await new SGDClassifier({ backend, randomState: 7 }).fit(X, y);
    expect(Array.from(again.coef.data)).toEqual(Array.from(m.coef.data));
    const bin = blobs(new Rng(2), 400, [
      [-2, -2],
      [2, 2],
    ]);
    const lg = await new SGDClassifier({ backend, loss: 'log_loss' }).fit(bin.X, bin.y);
    expect(await lg.score(bin.X, bin.y)).toBeGreaterThan(0.97);
    const proba = await lg.predictProba([[3, 3]]);
    expect(proba.data[1]).toBeGreaterThan(0.9);
    await expect(m.predictProba([[0, 0]])).rejects.toThrowError(code('E_PARAM'));
  });

  it('learns online with partialFit and rejects labels it was not told about', async () => {
    const rng = new Rng(3);
    const m = new SGDClassifier({ backend, loss: 'log_loss' });
    await expect(m.partialFit([[0, 0]], [0])).rejects.toThrow(/needs \{ classes/);
    for (let batch = 0; batch < 20; batch++) {
      const { X, y } = blobs(rng, 50, [
        [-2, 0],
        [2, 0],
      ]);
      await m.partialFit(X, y, { classes: [0, 1] });
    }
    expect(m.nIter).toBe(20);
    expect(
      await m.predict([
        [-2, 0],
        [2, 0],
      ]),
    ).toEqual([0, 1]);
    await expect(m.partialFit([[0, 0]], [5])).rejects.toThrow(/not one of the classes/);
  });

  it('regression recovers a linear function; l1 zeroes an irrelevant feature', async () => {
    const rng = new Rng(5);
    const n = 2000,
      X = new Float64Array(n * 3),
      y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) X[i * 3 + j] = rng.normal();
      y[i] = 2 * X[i * 3] - X[i * 3 + 1] + 0.5 + 0.01 * rng.normal();
    }
    const m = await new SGDRegressor({ backend }).fit(new Matrix(X, n, 3), y);
    expect(m.coef[0]).toBeCloseTo(2, 1);
    expect(m.coef[1]).toBeCloseTo(-1, 1);
    expect(m.intercept).toBeCloseTo(0.5, 1);
    expect(await m.score(new Matrix(X, n, 3), y)).toBeGreaterThan(0.99);
    const l1 = await new SGDRegressor({ backend, penalty: 'l1', alpha: 0.01 }).fit(new Matrix(X, n, 3), y);
    expect(Math.abs(l1.coef[2])).toBeLessThan(0.02);
  });

  it('rejects bad parameters', () => {
    expect(() => new SGDClassifier({ loss: 'squared_error' as any })).toThrowError(code('E_PARAM'));
    expect(() => new SGDRegressor({ learningRate: 'constant', eta0: 0 })).toThrowError(code('E_PARAM'));
    expect(() => new SGDClassifier({ alpha: -1 })).toThrowError(code('E_PARAM'));
  });
});
