import { describe, expect, it } from 'vitest';
import { ElasticNet, GaussianNB, Lasso, LinearRegression, LogisticRegression, Matrix, Ridge, Rng } from '../../src/index.js';
import { logisticLossGradRef, weightedGramRef } from '../../src/backend/js/linear.js';
import { resolveBackend } from '../../src/backend/select.js';
import { available, hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function regressionData(rng: Rng, n: number, p: number, noise = 0.1) {
  const X = new Float64Array(n * p),
    y = new Float64Array(n);
  const w = Array.from({ length: p }, (_, j) => j - p / 2);
  for (let i = 0; i < n; i++) {
    let s = 3;
    for (let j = 0; j < p; j++) {
      X[i * p + j] = rng.normal();
      s += w[j] * X[i * p + j];
    }
    y[i] = s + noise * rng.normal();
  }
  return { X: new Matrix(X, n, p), y, w };
}

describe.runIf(hasNative)('linear kernels: native agrees with the f64 reference', () => {
  it('weighted Gram over random shapes, f32 and f64 input, with and without weights and centring', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(8);
    for (const [n, p, t] of [
      [1, 1, 1],
      [37, 5, 2],
      [5000, 13, 1],
      [3000, 70, 3],
    ]) {
      for (const f32 of [false, true]) {
        const x = f32 ? new Float32Array(n * p) : new Float64Array(n * p);
        for (let i = 0; i < x.length; i++) x[i] = 100 + rng.normal() * 10; // offset: centring matters
        const y = Float64Array.from({ length: n * t }, () => rng.normal());
        const w = rng.random() < 0.5 ? Float64Array.from({ length: n }, () => rng.random() * 2) : null;
        const center = n > 1;
        const got = await native.linear!.weightedGram(x, n, p, y, t, w, center);
        const want = weightedGramRef(x, n, p, y, t, w, center);
        const scale = Math.max(1, ...want.gram.map(Math.abs));
        for (let i = 0; i < p * p; i++) expect(Math.abs(got.gram[i] - want.gram[i])).toBeLessThan(1e-9 * scale);
        for (let i = 0; i < p * t; i++) expect(got.xty[i]).toBeCloseTo(want.xty[i], 6);
        for (let i = 0; i < p; i++) expect(got.xMean[i]).toBeCloseTo(want.xMean[i], 10);
        expect(got.wSum).toBeCloseTo(want.wSum, 9);
      }
    }
  });

  it('logistic loss and gradient, binary and multinomial, with weights', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(9);
    for (const [n, p, K] of [
      [1, 1, 2],
      [200, 7, 2],
      [3000, 9, 4],
    ]) {
      const x = Float64Array.from({ length: n * p }, () => rng.normal());
      const y = Int32Array.from({ length: n }, () => rng.int(K));
      const coef = Float64Array.from({ length: (K === 2 ? 1 : K) * (p + 1) }, () => rng.normal());
      const w = Float64Array.from({ length: n }, () => rng.random());
      const got = await native.linear!.logisticLossGrad(x, n, p, y, K, coef, true, w);
      const want = logisticLossGradRef(x, n, p, y, K, coef, true, w);
      expect(got.loss).toBeCloseTo(want.loss, 8);
      for (let i = 0; i < coef.length; i++) expect(got.grad[i]).toBeCloseTo(want.grad[i], 8);
    }
  });
});

describe.each(cpu)('linear models on %s', (backend) => {
  it('recover exact coefficients without noise; score is 1', async () => {
    const { X, y, w } = regressionData(new Rng(1), 200, 6, 0);
    const m = await new LinearRegression({ backend }).fit(X, y);
    Array.from(m.coef as Float64Array).forEach((c, j) => expect(c).toBeCloseTo(w[j], 9));
    expect(m.intercept).toBeCloseTo(3, 9);
    expect(await m.score(X, y)).toBeCloseTo(1, 12);
  });

  it('collinear and constant columns: the minimum-norm solution, like lstsq', async () => {
    const rng = new Rng(2);
    const n = 50,
      X = new Float64Array(n * 3),
      y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      X[i * 3] = a;
      X[i * 3 + 1] = 2 * a; // collinear
      X[i * 3 + 2] = 7; // constant
      y[i] = 5 * a + 1;
    }
    const m = await new LinearRegression({ backend }).fit(new Matrix(X, n, 3), y);
    const c = m.coef as Float64Array;
    // 5a = c0·a + c1·2a with minimum ‖c‖: c ∝ (1, 2) → (1, 2)
    expect(c[0]).toBeCloseTo(1, 9);
    expect(c[1]).toBeCloseTo(2, 9);
    expect(c[2]).toBeCloseTo(0, 9);
    expect(m.rank).toBe(1);
    expect(m.intercept).toBeCloseTo(1, 9);
  });

  it('one row and one feature inputs fit without error', async () => {
    const one = await new LinearRegression({ backend }).fit([[2]], [5]);
    expect(Array.from((await one.predict([[2], [3]])) as Float64Array)).toEqual([5, 5]);
    const r = await new Ridge({ alpha: 0.5, backend }).fit([[1], [2], [3]], [2, 4, 6]);
    // closed form: slope = Sxy / (Sxx + alpha) = 4 / 2.5
    expect((r.coef as Float64Array)[0]).toBeCloseTo(1.6, 12);
  });

  it('sample weights act as repeated rows', async () => {
    const Xa = [[0], [1], [2], [3]],
      ya = [0, 1, 1, 5];
    const weighted = await new Ridge({ alpha: 1, backend }).fit(Xa, ya, { sampleWeight: [1, 2, 1, 3] });
    const repeated = await new Ridge({ alpha: 1, backend }).fit([[0], [1], [1], [2], [3], [3], [3]], [0, 1, 1, 1, 5, 5, 5]);
    expect((weighted.coef as Float64Array)[0]).toBeCloseTo((repeated.coef as Float64Array)[0], 10);
    expect(weighted.intercept).toBeCloseTo(repeated.intercept as number, 10);
  });

  it('lasso zeroes weak coefficients; elastic net shrinks less', async () => {
    const { X, y } = regressionData(new Rng(3), 300, 8, 0.5);
    const lasso = await new Lasso({ alpha: 1.5, backend }).fit(X, y);
    const zeros = Array.from(lasso.coef as Float64Array).filter((c) => c === 0).length;
    expect(zeros).toBeGreaterThan(0);
    expect(lasso.nIter![0]).toBeGreaterThan(0);
    const enet = await new ElasticNet({ alpha: 1.5, l1Ratio: 0.5, backend }).fit(X, y);
    expect(Array.from(enet.coef as Float64Array).filter((c) => c === 0).length).toBeLessThanOrEqual(zeros);
  });

  it('logistic regression separates separable data and class weights move the boundary', async () => {
    const X = [[-2], [-1.5], [-1], [-0.5], [0.5], [1], [1.5], [2]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const m = await new LogisticRegression({ backend }).fit(X, y);
    expect(await m.score(X, y)).toBe(1);
    const boundary = async (mm: LogisticRegression) => -mm.intercept[0] / mm.coef.data[0];
    const plain = await boundary(m);
    const heavy1 = await boundary(await new LogisticRegression({ backend, classWeight: { 1: 10 } }).fit(X, y));
    expect(heavy1).toBeLessThan(plain); // favouring class 1 pushes the boundary towards class 0
    const p = await m.predictProba([[0]]);
    expect(p.data[0] + p.data[1]).toBeCloseTo(1, 12);
    const lp = await m.predictLogProba([[0]]);
    expect(Math.exp(lp.data[1])).toBeCloseTo(p.data[1], 12);
    expect(m.nIter).toBeGreaterThan(0);
  });

  it('rejects bad input and parameters with KilnErrors', async () => {
    await expect(new LinearRegression({ backend }).fit([[1, NaN]], [1])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(new LinearRegression({ backend }).fit([[1], [2]], [1])).rejects.toThrowError(code('E_SHAPE'));
    expect(() => new Ridge({ alpha: -1 })).toThrowError(code('E_PARAM'));
    expect(() => new Lasso({ alpha: -0.1 })).toThrowError(code('E_PARAM'));
    expect(() => new LogisticRegression({ C: 0 })).toThrowError(code('E_PARAM'));
    await expect(new LogisticRegression({ backend }).fit([[1], [2]], [1, 1])).rejects.toThrow(/single class/);
    await expect(new LogisticRegression({ backend, classWeight: { 7: 2 } }).fit([[1], [2]], [0, 1])).rejects.toThrowError(code('E_PARAM'));
    await expect(new Ridge({ backend }).fit([[1]], [1], { sampleWeight: [-1] })).rejects.toThrowError(code('E_NONFINITE'));
    const m = await new LogisticRegression({ backend }).fit([[0], [1]], [0, 1]);
    await expect(m.predict([[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new LinearRegression().predict([[1]])).rejects.toThrowError(code('E_NOT_FITTED'));
  });
});

describe('linear models and webgpu', () => {
  it.runIf(available.includes('webgpu'))('need the f64 CPU kernels: a clear error', async () => {
    await expect(new LinearRegression({ backend: 'webgpu' }).fit([[1], [2]], [1, 2])).rejects.toThrowError(code('E_BACKEND_LIMIT'));
  });
});

describe('GaussianNB', () => {
  it('closed-form means, variances and priors', async () => {
    const m = await new GaussianNB({ varSmoothing: 0 }).fit([[1], [3], [10], [14]], ['a', 'a', 'b', 'b']);
    expect(m.theta.toArray()).toEqual([[2], [12]]);
    expect(m.variance.toArray()).toEqual([[1], [4]]);
    expect(Array.from(m.classPrior)).toEqual([0.5, 0.5]);
    expect(await m.predict([[2.5], [11]])).toEqual(['a', 'b']);
    expect(() => new GaussianNB({ priors: [0.2, 0.2] })).toThrowError(code('E_PARAM'));
  });
});
