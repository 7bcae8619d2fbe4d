/**
 * Feature selection against scikit-learn 1.2: the variance_threshold, select_k_best, f_classif,
 * f_regression and chi2 fixtures, the selectors' supports and mutual information
 * (univariate_selection, by test/fixtures-scripts/gen_selection.py).
 */
import { describe, expect, it } from 'vitest';
import {
  chi2,
  fClassif,
  fRegression,
  mutualInfoClassif,
  mutualInfoRegression,
  SelectFdr,
  SelectFpr,
  SelectFwe,
  SelectKBest,
  SelectPercentile,
  VarianceThreshold,
} from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const ALL = ['breast_cancer', 'diabetes', 'iris', 'linnerud', 'wine'];
const CLASSIFICATION = ['breast_cancer', 'iris', 'wine'];
const name = (s: string) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase()) as 'fClassif';

describe('scikit-learn parity: univariate statistics and selectors', () => {
  it.each(ALL)('%s: VarianceThreshold', async (d) => {
    const f = loadFixture(d, 'variance_threshold');
    const vt = await new VarianceThreshold({ threshold: f.params.threshold as number }).fit(f.input.X);
    expectParity(f, 'variances_', vt.variances);
    expectParity(f, 'support', vt.getSupport());
  });

  it.each(ALL)('%s: SelectKBest', async (d) => {
    const f = loadFixture(d, 'select_k_best');
    const y = d === 'linnerud' ? f.input.y.map((r: number[]) => (Array.isArray(r) ? r[0] : r)) : f.input.y;
    const s = await new SelectKBest({ scoreFunc: name(f.params.score_func as string), k: f.params.k as number }).fit(f.input.X, y);
    expectParity(f, 'scores_', s.scores);
    expectParity(f, 'support', s.getSupport());
  });

  it.each(CLASSIFICATION)('%s: fClassif and chi2', (d) => {
    for (const [op, fn] of [
      ['f_classif', fClassif],
      ['chi2', chi2],
    ] as const) {
      const f = loadFixture(d, op);
      const r = fn(f.input.X, f.input.y);
      expectParity(f, 'scores_', r.scores);
      expectParity(f, 'pvalues_', r.pvalues);
    }
  });

  it.each(['diabetes', 'linnerud'])('%s: fRegression', (d) => {
    const f = loadFixture(d, 'f_regression');
    const y = f.input.y.map((r: number[] | number) => (Array.isArray(r) ? r[0] : r));
    const r = fRegression(f.input.X, y);
    expectParity(f, 'scores_', r.scores);
    expectParity(f, 'pvalues_', r.pvalues);
  });

  it.each(['breast_cancer', 'diabetes', 'iris', 'wine'])('%s: SelectPercentile / Fpr / Fdr / Fwe supports, chi2 SelectKBest, mutual information', async (d) => {
    const f = loadFixture(d, 'univariate_selection');
    const { X, y } = f.input;
    const scoreFunc = name(f.params.score_func as string);
    expectParity(f, 'SelectPercentile_support', (await new SelectPercentile({ scoreFunc, percentile: 30 }).fit(X, y)).getSupport());
    for (const [key, C] of [
      ['SelectFpr_support', SelectFpr],
      ['SelectFdr_support', SelectFdr],
      ['SelectFwe_support', SelectFwe],
    ] as const) {
      expectParity(f, key, (await new C({ scoreFunc, alpha: 1e-10 }).fit(X, y)).getSupport());
    }
    const clf = d !== 'diabetes';
    if (clf) expectParity(f, 'SelectKBest_chi2_support', (await new SelectKBest({ scoreFunc: 'chi2', k: 3 }).fit(X, y)).getSupport());
    const mi = clf ? mutualInfoClassif : mutualInfoRegression;
    expectParity(f, 'mutual_info', mi(X, y, { randomState: 0 }));
    expectParity(f, 'mutual_info_untied', mi(f.input.X_untied, f.input.y_untied));
  });
});

it('pvalues stay accurate far in the tail (no 1 − cdf cancellation)', () => {
  const f = loadFixture('breast_cancer', 'f_classif');
  const p = fClassif(f.input.X, f.input.y).pvalues;
  expect(Math.min(...p)).toBeGreaterThan(0);
  expect(Math.min(...p)).toBeLessThan(1e-100);
});
