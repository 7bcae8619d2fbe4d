/**
 * SVC, NuSVC, SVR, NuSVR and OneClassSVM against scikit-learn 1.2 (LIBSVM inside;
 * test/fixtures/svm/svm.json, written by test/fixtures-scripts/gen_svm.py) on iris and
 * breast_cancer standardised and diabetes standardised, every kernel, with and without sample weights: support indices equal,
 * nSupport equal, dual coefficients, intercepts and decision values within 1e-4, predictions
 * equal, on the native solver and on the js oracle; with probability: true, LIBSVM's Platt sigmoids (its CV shuffle differs, so values agree
 * loosely and labels closely).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Matrix, NuSVC, NuSVR, OneClassSVM, SVC, SVR } from '../../src/index.js';
import { hasNative } from '../helpers/backends.js';

const F = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/svm/svm.json', import.meta.url)), 'utf8'));

function near(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0,
    at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (d > worst) [worst, at] = [d, i];
  }
  expect(worst, `${what}: worst at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

const CAMEL: Record<string, string> = { class_weight: 'classWeight' };
function params(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [CAMEL[k] ?? k, v]));
}
function data(name: string): { X: Matrix<Float64Array>; y: number[] } {
  const d = F.data[name];
  return { X: new Matrix(Float64Array.from(d.X.flat()), d.X.length, d.X[0].length), y: d.y };
}
/**
 * scikit-learn's support indices as rows of X: with rows of weight 0, scikit-learn 1.2 numbers its
 * support_ in the data with those rows removed (its support_vectors_ are the right rows); kiln
 * keeps indices into X, so the expected values are mapped through the kept rows.
 */
function rowsOfX(c: any): number[] {
  if (!c.sample_weight?.includes(0)) return c.support;
  const kept = c.sample_weight.flatMap((w: number, i: number) => (w > 0 ? [i] : []));
  return c.support.map((s: number) => kept[s]);
}
const weights = (c: any) => (c.sample_weight ? { sampleWeight: c.sample_weight } : {});
const CLASSES: Record<string, any> = { SVC, NuSVC, SVR, NuSVR, OneClassSVM };
const label = (c: any) => `${c.estimator} ${c.dataset} ${JSON.stringify(c.params)}${c.sample_weight ? ' weighted' : ''}`;
const classifiers = F.cases.filter((c: any) => !c.probability && (c.estimator === 'SVC' || c.estimator === 'NuSVC'));
const others = F.cases.filter((c: any) => !c.probability && !(c.estimator === 'SVC' || c.estimator === 'NuSVC'));

// every case on each CPU backend: the native solver and the js oracle
const BACKENDS = hasNative ? (['native', 'js'] as const) : (['js'] as const);

describe.each(BACKENDS)('classifiers against scikit-learn (%s)', (backend) => {
  it.each(classifiers.map((c: any) => [label(c), c]) as [string, any][])('%s', async (_l, c: any) => {
    const { X, y } = data(c.dataset);
    const m = await new CLASSES[c.estimator]({ ...params(c.params), backend }).fit(X, y, weights(c));
    expect(Array.from(m.support)).toEqual(rowsOfX(c));
    expect(Array.from(m.nSupport)).toEqual(c.n_support);
    // the same SMO path: LIBSVM's iteration counts, pair by pair
    expect(Array.from(m.nIter)).toEqual(c.n_iter);
    near(m.dualCoef.data, c.dual_coef.flat(), 1e-4, 'dualCoef');
    near(m.intercept, c.intercept, 1e-4, 'intercept');
    if (c.coef) near(m.coef.data, c.coef.flat(), 1e-4, 'coef');
    else expect(() => m.coef).toThrowError(/kernel 'linear'/);
    const ovr = await m.decisionFunction(X);
    near(ovr instanceof Matrix ? ovr.data : ovr, c.decision_ovr.flat(), 1e-4, 'decision ovr');
    m.setParams({ decisionFunctionShape: 'ovo' });
    const ovo = await m.decisionFunction(X);
    near(ovo instanceof Matrix ? ovo.data : ovo, c.decision_ovo.flat(), 1e-4, 'decision ovo');
    expect(await m.predict(X)).toEqual(c.predict);
  });
});

describe.each(BACKENDS)('regression and one-class against scikit-learn (%s)', (backend) => {
  it.each(others.map((c: any) => [label(c), c]) as [string, any][])('%s', async (_l, c: any) => {
    const { X, y } = data(c.dataset);
    const m = await new CLASSES[c.estimator]({ ...params(c.params), backend }).fit(X, c.estimator === 'OneClassSVM' ? undefined : y, weights(c));
    expect(Array.from(m.support)).toEqual(c.support);
    expect(Array.from(m.nIter)).toEqual(c.n_iter);
    near(m.dualCoef.data, c.dual_coef.flat(), 1e-4, 'dualCoef');
    near(m.intercept, c.intercept, 1e-4, 'intercept');
    if (c.coef) near(m.coef.data, c.coef.flat(), 1e-4, 'coef');
    if (c.estimator === 'OneClassSVM') {
      near(await m.decisionFunction(X), c.decision, 1e-4, 'decision');
      near(await m.scoreSamples(X), c.score_samples, 1e-4, 'scoreSamples');
      expect(m.offset).toBeCloseTo(c.offset, 4);
      expect(Array.from(await m.predict(X))).toEqual(c.predict);
    } else near(await m.predict(X), c.predict, 1e-4, 'predict');
  });
});

describe('probability (LIBSVM Platt scaling, seeded 5-fold CV)', () => {
  it.each(F.cases.filter((c: any) => c.probability).map((c: any) => [c.dataset, c]) as [string, any][])('%s', async (_d, c: any) => {
    const { X, y } = data(c.dataset);
    const m = await new SVC({ probability: true, randomState: 0 }).fit(X, y);
    const p = await m.predictProba(X);
    const K = p.cols;
    for (let r = 0; r < p.rows; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += p.data[r * K + k];
      expect(s).toBeCloseTo(1, 6);
    }
    // the sigmoids come from other folds: close, not equal
    near(p.data, c.proba.flat(), 0.1, 'proba');
    near(m.probA, c.probA, 0.5, 'probA');
    expect(await m.predict(X)).toEqual(c.predict);
  });
});
