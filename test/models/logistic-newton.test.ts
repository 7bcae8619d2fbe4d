/**
 * LogisticRegression's newton-cholesky solver: its kernel (native against the js oracle),
 * parity with scikit-learn 1.2's newton-cholesky (fixtures from
 * test/fixtures-scripts/gen_logistic_newton.py) and with kiln's own lbfgs, and its errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, Matrix, Rng } from '../../src/index.js';
import { logisticLossGradHessRef } from '../../src/backend/js/linear.js';
import { resolveBackend } from '../../src/backend/select.js';
import { available, hasNative } from '../helpers/backends.js';
import { fixtureDir } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

interface NewtonCase {
  data: string;
  params: { C?: number; class_weight?: 'balanced'; fit_intercept?: boolean; tol?: number; penalty?: null };
  sample_weight: number[] | null;
  coef: number[];
  intercept: number;
  n_iter: number;
}
const fx: { data: Record<string, { X: number[][]; y: number[] }>; cases: NewtonCase[] } = JSON.parse(
  readFileSync(`${fixtureDir}logistic_newton_cholesky.json`, 'utf8'),
);

const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return d;
};

describe.runIf(hasNative)('logistic loss-gradient-Hessian kernel: native agrees with the f64 reference', () => {
  it('random shapes (tile remainders, one row), f32 and f64 rows, weights, no intercept, no Hessian', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(21);
    for (const [n, p] of [
      [1, 1],
      [7, 3],
      [1300, 5],
      [2049, 8],
      [600, 13],
    ]) {
      for (const f32 of [false, true]) {
        const x = f32 ? new Float32Array(n * p) : new Float64Array(n * p);
        for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 2;
        const y = Int32Array.from({ length: n }, () => rng.int(2));
        const coef = Float64Array.from({ length: p + 1 }, () => rng.normal());
        const w = rng.random() < 0.5 ? Float64Array.from({ length: n }, () => rng.random() * 2) : null;
        const fitIntercept = rng.random() < 0.7;
        const want = logisticLossGradHessRef(x, n, p, y, coef, fitIntercept, w, true);
        const got = await native.linear!.logisticLossGradHess(x, n, p, y, coef, fitIntercept, w, true);
        const light = await native.linear!.logisticLossGradHess(x, n, p, y, coef, fitIntercept, w, false);
        expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-10 * Math.max(1, want.loss));
        expect(maxRelDiff(got.grad, want.grad)).toBeLessThan(1e-10 * Math.max(1, n));
        expect(maxRelDiff(got.hess!, want.hess!)).toBeLessThan(1e-10 * Math.max(1, n));
        expect(light.hess).toBeNull();
        expect(light.loss).toBe(got.loss); // the same arithmetic with and without the Hessian
        expect(Array.from(light.grad)).toEqual(Array.from(got.grad));
        if (!fitIntercept) expect(got.grad[p]).toBe(0);
        // symmetric, and its intercept corner is Σ w·p(1 − p)
        for (let i = 0; i <= p; i++) for (let j = 0; j <= p; j++) expect(got.hess![i * (p + 1) + j]).toBe(got.hess![j * (p + 1) + i]);
      }
    }
  });

  it('the loss and gradient match the lbfgs kernel', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(4);
    const n = 3001,
      p = 6;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const y = Int32Array.from({ length: n }, () => rng.int(2));
    const coef = Float64Array.from({ length: p + 1 }, () => rng.normal());
    const a = await native.linear!.logisticLossGradHess(x, n, p, y, coef, true, null, true);
    const b = await native.linear!.logisticLossGrad(x, n, p, y, 2, coef, true, null);
    expect(a.loss).toBeCloseTo(b.loss, 8);
    expect(maxRelDiff(a.grad, b.grad)).toBeLessThan(1e-11 * n);
  });
});

describe.each(cpu)('LogisticRegression newton-cholesky on %s', (backend) => {
  it.each(fx.cases.map((c, i) => [i, c] as const))('matches scikit-learn 1.2 newton-cholesky, case %i', async (_i, c) => {
    const d = fx.data[c.data];
    const m = await new LogisticRegression({
      solver: 'newton-cholesky',
      C: c.params.C ?? 1,
      penalty: c.params.penalty === null ? 'none' : 'l2',
      fitIntercept: c.params.fit_intercept ?? true,
      tol: c.params.tol ?? 1e-4,
      classWeight: c.params.class_weight,
      backend,
    }).fit(d.X, d.y, c.sample_weight ? { sampleWeight: c.sample_weight } : {});
    // the same iterations from the same start: agreement to rounding, far inside tol
    expect(m.nIter).toBe(c.n_iter);
    expect(maxRelDiff(m.coef.data, c.coef)).toBeLessThan(1e-8);
    expect(Math.abs(m.intercept[0] - c.intercept)).toBeLessThan(1e-8);
  });

  it('finds lbfgs’s minimiser (tight tol) on noisy synthetic rows, with weights', async () => {
    const rng = new Rng(12);
    const n = 4000,
      p = 9;
    const X = new Float64Array(n * p),
      y: number[] = [];
    const beta = Array.from({ length: p }, () => rng.normal());
    for (let i = 0; i < n; i++) {
      let s = 0.4;
      for (let j = 0; j < p; j++) s += beta[j] * (X[i * p + j] = rng.normal());
      y.push(s + 2 * rng.normal() > 0 ? 1 : 0);
    }
    const sampleWeight = Array.from({ length: n }, () => 0.5 + rng.random());
    const fit = (solver: 'lbfgs' | 'newton-cholesky', tol: number) =>
      new LogisticRegression({ solver, tol, C: 0.3, maxIter: 500, backend }).fit(new Matrix(X, n, p), y, { sampleWeight });
    const newton = await fit('newton-cholesky', 1e-10);
    const lb = await fit('lbfgs', 1e-6);
    expect(maxRelDiff(newton.coef.data, lb.coef.data)).toBeLessThan(1e-6);
    expect(Math.abs(newton.intercept[0] - lb.intercept[0])).toBeLessThan(1e-6);
    expect(newton.nIter).toBeLessThan(lb.nIter);
  });

  it('rejects multiclass targets and unknown solvers with E_PARAM', async () => {
    await expect(new LogisticRegression({ solver: 'newton-cholesky', backend }).fit([[0], [1], [2]], [0, 1, 2])).rejects.toThrowError(
      expect.objectContaining({ code: 'E_PARAM', message: expect.stringMatching(/binary targets only.*solver 'lbfgs'/) }),
    );
    expect(() => new LogisticRegression({ solver: 'newton-cg' as 'lbfgs' })).toThrowError(code('E_PARAM'));
  });

  it('a singular Hessian (a duplicated column, no penalty) still fits: the identified part matches lbfgs', async () => {
    const X = [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [1.5, 1.5],
      [2.5, 2.5],
    ];
    const y = [0, 0, 1, 0, 1, 1];
    const m = await new LogisticRegression({ solver: 'newton-cholesky', penalty: 'none', backend }).fit(X, y);
    const ref = await new LogisticRegression({ penalty: 'none', backend }).fit(X, y);
    // only the two weights' sum is identified: it, the intercept and the probabilities agree
    expect(m.coef.data[0] + m.coef.data[1]).toBeCloseTo(ref.coef.data[0] + ref.coef.data[1], 3);
    expect(m.intercept[0]).toBeCloseTo(ref.intercept[0], 3);
    const [pm, pr] = [await m.predictProba(X), await ref.predictProba(X)];
    for (let i = 0; i < pm.data.length; i++) expect(pm.data[i]).toBeCloseTo(pr.data[i], 4);
  });
});

describe.runIf(hasNative && available.includes('js'))('newton-cholesky: native and js backends agree', () => {
  it('same coefficients and iterations', async () => {
    const d = fx.data.breast_cancer;
    const fit = (backend: 'native' | 'js') => new LogisticRegression({ solver: 'newton-cholesky', C: 0.5, backend }).fit(d.X, d.y);
    const [a, b] = await Promise.all([fit('native'), fit('js')]);
    expect(a.nIter).toBe(b.nIter);
    expect(maxRelDiff(a.coef.data, b.coef.data)).toBeLessThan(1e-10);
  });
});
