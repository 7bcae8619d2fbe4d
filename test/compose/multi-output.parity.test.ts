/**
 * MultiOutputClassifier, MultiOutputRegressor and ClassifierChain against scikit-learn 1.2
 * (test/fixtures/sklearn/multilabel.json, written by test/fixtures-scripts/gen_multilabel.py).
 * The wrappers' own arithmetic is exact; Ridge members agree to 1e-9, LogisticRegression members
 * (L-BFGS on both sides; scikit-learn's stops after 11–19 iterations on these links, its
 * coefficients 1e-4 from kiln's converged ones) to 1e-4 in probability and 5e-4 in decision
 * value, as in ensembles.parity.test.ts. Labels are equal.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClassifierChain, crossValScore, KFold, LogisticRegression, Matrix, MultiOutputClassifier, MultiOutputRegressor, Ridge } from '../../src/index.js';

const F = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/multilabel.json', import.meta.url)), 'utf8'));
const TIGHT = { tol: 1e-10, maxIter: 5000 };

function near(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i]), `${what} at ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
}

describe('MultiOutputClassifier matches scikit-learn', () => {
  it('LogisticRegression members: labels, probabilities, subset accuracy', async () => {
    const { X, Y, multioutput: c } = F.clf;
    const m = await new MultiOutputClassifier({ estimator: new LogisticRegression(TIGHT) }).fit(X, Y);
    const pred = (await m.predict(X)) as Matrix;
    expect(pred).toBeInstanceOf(Matrix);
    expect(Array.from(pred.data)).toEqual(c.predict.flat());
    const proba = await m.predictProba(X);
    expect(proba).toHaveLength(Y[0].length);
    proba.forEach((p, j) => near(p.data, c.predict_proba[j].flat(), 5e-5, `output ${j}`));
    expect(await m.score(X, Y)).toBe(c.score);
    expect(m.classes).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });
});

describe('MultiOutputRegressor matches scikit-learn', () => {
  it('Ridge members', async () => {
    const { X, Y, predict, score } = F.reg;
    const m = await new MultiOutputRegressor({ estimator: new Ridge({ alpha: 1 }) }).fit(X, new Matrix(Float64Array.from(Y.flat()), Y.length, Y[0].length));
    near((await m.predict(X)).data, predict.flat(), 1e-9, 'predict');
    expect(Math.abs((await m.score(X, Y)) - score)).toBeLessThan(1e-12);
  });
});

describe('ClassifierChain matches scikit-learn', () => {
  it.each(F.clf.chains.map((c: any) => [JSON.stringify(c.order), String(c.cv), c]) as any[])('order %s, cv %s', async (_o, _cv, c) => {
    const { X, Y } = F.clf;
    const m = await new ClassifierChain({ estimator: new LogisticRegression(TIGHT), order: c.order, cv: c.cv }).fit(X, Y);
    expect(Array.from(m.order)).toEqual(c.order ?? [0, 1, 2, 3]);
    expect(Array.from((await m.predict(X)).data)).toEqual(c.predict.flat());
    near((await m.predictProba(X)).data, c.predict_proba.flat(), 1e-4, 'predictProba');
    near((await m.decisionFunction(X)).data, c.decision_function.flat(), 5e-4, 'decisionFunction');
  });
});

describe('multilabel scorers through cross-validation match scikit-learn', () => {
  it.each([
    ['multioutput_f1_samples', () => new MultiOutputClassifier({ estimator: new LogisticRegression(TIGHT) }), 'f1_samples'],
    ['chain_jaccard_samples', () => new ClassifierChain({ estimator: new LogisticRegression(TIGHT) }), 'jaccard_samples'],
    ['multioutput_precision_micro', () => new MultiOutputClassifier({ estimator: new LogisticRegression(TIGHT) }), 'precision_micro'],
  ] as const)('%s', async (key, make, scoring) => {
    const { X, Y } = F.clf;
    near(await crossValScore(make(), X, Y, { cv: new KFold(3), scoring }), F.clf.cv[key], 1e-12, key);
  });
});
