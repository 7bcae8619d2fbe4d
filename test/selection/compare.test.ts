/**
 * Model comparison against statsmodels 0.13 (McNemar) and hand-written numpy after mlxtend and
 * Nadeau & Bengio (fixture by test/fixtures-scripts/gen_compare.py), and the fitting helpers'
 * behaviour: 5×2 cv, bootstrap bias–variance and error analysis on kiln estimators.
 */
import { describe, expect, it } from 'vitest';
import {
  biasVarianceDecomp,
  biasVarianceFromPredictions,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  errorAnalysis,
  GaussianNB,
  LogisticRegression,
  mcnemar,
  mcnemarTable,
  pairedTTest,
  pairedTTest5x2cv,
  Ridge,
  ttest5x2cvFromDifferences,
} from '../../src/index.js';
import { loadFixture } from '../helpers/fixtures.js';

const f = loadFixture('mixed', 'model_comparison');
const num = (v: unknown) => (v === null ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number));
function close(got: number, want: unknown, what: string): void {
  const w = num(want);
  if (Number.isNaN(w) || !Number.isFinite(w)) expect(got, what).toBe(w);
  else expect(Math.abs(got - w), `${what}: got ${got}, expected ${w}`).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(w));
}
const code = (c: string) => expect.objectContaining({ code: c });

describe('model comparison parity', () => {
  it("mcnemar: statsmodels' exact binomial and chi² (corrected and not)", () => {
    const tables = f.params.tables as number[][][];
    tables.forEach((t, i) => {
      for (const [key, opts] of [
        ['mcnemar_exact', {}],
        ['mcnemar_chi2', { exact: false }],
        ['mcnemar_chi2_uncorrected', { exact: false, correction: false }],
      ] as const) {
        const r = mcnemar(t, opts);
        close(r.statistic, f.expected[key][i][0], `${key}[${i}] statistic`);
        close(r.pvalue, f.expected[key][i][1], `${key}[${i}] pvalue`);
      }
    });
  });

  it('pairedTTest: the corrected resampled t-test, and the plain one as scipy ttest_rel', () => {
    const { scores_a: a, scores_b: b } = f.input;
    const r = pairedTTest(a, b, { nTrain: 90, nTest: 10 });
    close(r.statistic, f.expected.corrected_t[0], 'corrected t');
    close(r.pvalue, f.expected.corrected_t[1], 'corrected p');
    expect(r.df).toBe(9);
    close(pairedTTest(a, b, { nTrain: 90, nTest: 10, alternative: 'greater' }).pvalue, f.expected.corrected_t_greater_p, 'greater p');
    const plain = pairedTTest(a, b, { nTrain: 90, nTest: 10, corrected: false });
    close(plain.statistic, f.expected.plain_t[0], 'plain t');
    close(plain.pvalue, f.expected.plain_t[1], 'plain p');
  });

  it("5×2 cv t statistic and p-value (mlxtend's formula)", () => {
    const r = ttest5x2cvFromDifferences(f.input.differences_5x2);
    close(r.statistic, f.expected.t_5x2cv[0], 't');
    close(r.pvalue, f.expected.t_5x2cv[1], 'p');
  });

  it("bias–variance from bootstrap predictions (mlxtend's 0-1 and mse)", () => {
    const r01 = biasVarianceFromPredictions(f.input.predictions_01, f.input.y_01, '0-1_loss');
    const rm = biasVarianceFromPredictions(f.input.predictions_mse, f.input.y_mse, 'mse');
    ['expectedLoss', 'bias', 'variance'].forEach((k, i) => {
      close(r01[k as keyof typeof r01], f.expected.bias_variance_01[i], `0-1 ${k}`);
      close(rm[k as keyof typeof rm], f.expected.bias_variance_mse[i], `mse ${k}`);
    });
    // 0-1: the main prediction's ties go to the smallest label, as numpy's argmax of bincount
    expect(biasVarianceFromPredictions([[2], [1]], [1], '0-1_loss').bias).toBe(0);
    expect(biasVarianceFromPredictions([['b'], ['a']], ['b'], '0-1_loss').bias).toBe(1);
  });
});

const n = 80;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i * 7) % 11) / 11]);
const y = X.map((r, i) => (r[0] + r[1] + (i % 9 === 0 ? 1 : 0) > 0.2 ? 1 : 0));
const yReg = X.map((r, i) => r[0] * 3 - r[2] + (i % 4) * 0.1);

describe('comparison helpers on kiln estimators', () => {
  it('pairedTTest5x2cv: ten differences from five seeded halvings, reproducible', async () => {
    const a = await pairedTTest5x2cv(new LogisticRegression(), new GaussianNB(), X, y, { randomState: 3 });
    expect(a.differences.length).toBe(10);
    expect(await pairedTTest5x2cv(new LogisticRegression(), new GaussianNB(), X, y, { randomState: 3 })).toEqual(a);
    expect(a).toMatchObject(ttest5x2cvFromDifferences(a.differences));
    expect(a.pvalue).toBeGreaterThanOrEqual(0);
    expect(a.pvalue).toBeLessThanOrEqual(1);
    const same = await pairedTTest5x2cv(new Ridge(), new Ridge(), X, yReg, { scoring: 'r2' });
    expect(Array.from(same.differences)).toEqual(new Array(10).fill(0));
  });

  it('biasVarianceDecomp: mse splits exactly into bias and variance; a stump is more biased; reproducible by seed', async () => {
    const tr = X.slice(0, 60),
      te = X.slice(60);
    const deep = await biasVarianceDecomp(new DecisionTreeRegressor(), tr, yReg.slice(0, 60), te, yReg.slice(60), {
      loss: 'mse',
      numRounds: 20,
      randomState: 1,
    });
    const stump = await biasVarianceDecomp(new DecisionTreeRegressor({ maxDepth: 1 }), tr, yReg.slice(0, 60), te, yReg.slice(60), {
      loss: 'mse',
      numRounds: 20,
      randomState: 1,
    });
    expect(deep.variance).toBeGreaterThan(0);
    expect(stump.bias).toBeGreaterThan(deep.bias);
    expect(deep.expectedLoss).toBeCloseTo(deep.bias + deep.variance, 10); // mse decomposes exactly
    const c = await biasVarianceDecomp(new DecisionTreeClassifier(), tr, y.slice(0, 60), te, y.slice(60), { numRounds: 10, randomState: 1 });
    expect(c).toEqual(await biasVarianceDecomp(new DecisionTreeClassifier(), tr, y.slice(0, 60), te, y.slice(60), { numRounds: 10, randomState: 1 }));
    await expect(biasVarianceDecomp(new Ridge(), tr, yReg.slice(0, 60), te, yReg.slice(60), { loss: 'mae' as never })).rejects.toThrowError(code('E_PARAM'));
  });

  it('errorAnalysis: the misclassified rows, most confident first, with their features', async () => {
    const model = await new LogisticRegression({ C: 0.1 }).fit(X, y);
    const r = await errorAnalysis(model, X, y, { featureNames: ['a', 'b', 'c'] });
    const pred = (await model.predict(X)) as number[];
    const wrong = pred.map((p, i) => (p !== y[i] ? i : -1)).filter((i) => i >= 0);
    expect(r.nErrors).toBe(wrong.length);
    expect(r.errorRate).toBeCloseTo(wrong.length / n, 12);
    expect(r.rows.map((e) => e.index).sort((a, b) => a - b)).toEqual(wrong);
    for (let i = 1; i < r.rows.length; i++) expect(r.rows[i - 1].confidence).toBeGreaterThanOrEqual(r.rows[i].confidence);
    expect(r.rows[0].features).toEqual({ a: X[r.rows[0].index][0], b: X[r.rows[0].index][1], c: X[r.rows[0].index][2] });
    expect(r.rows[0].confidence).toBeGreaterThanOrEqual(0.5);
    expect((await errorAnalysis(model, X, y, { limit: 2 })).rows.length).toBe(Math.min(2, wrong.length));
    await expect(errorAnalysis(model, X, y.slice(1))).rejects.toThrowError(code('E_PARAM'));
  });

  it('mcnemarTable counts the discordant rows; bad input is E_PARAM', () => {
    expect(mcnemarTable([1, 1, 0, 0, 1], [1, 0, 0, 1, 1], [1, 1, 1, 1, 0])).toEqual([
      [1, 2],
      [1, 1],
    ]);
    expect(() => mcnemar([[1, 2]])).toThrowError(code('E_PARAM'));
    expect(() => pairedTTest([1, 2], [1], { nTrain: 1, nTest: 1 })).toThrowError(code('E_PARAM'));
    expect(() => pairedTTest([1, 2], [1, 3], {} as never)).toThrow(/nTrain and nTest/);
  });
});
