/** pearsonr / spearmanr and the corr matrix against scipy 1.10 (test/fixtures/sklearn/*.correlation.json). */
import { describe, expect, it } from 'vitest';
import { corr, corrSync, Matrix, pearsonr, spearmanr } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const columns = (X: number[][]) => X[0].map((_, j) => X.map((r) => r[j]));

describe.each(['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'])('correlation on %s', (dataset) => {
  const f = loadFixture(dataset, 'correlation');
  const cols = columns(f.input.X);
  const pairs = (fn: typeof pearsonr, key: 'statistic' | 'pvalue') => cols.map((a, i) => cols.map((b, j) => (i === j && key === 'pvalue' ? 0 : fn(a, b)[key])));

  it('pearsonr and spearmanr of every pair (statistics and p-values)', () => {
    expectParity(f, 'pearson', pairs(pearsonr, 'statistic'));
    expectParity(f, 'pearson_pvalue', pairs(pearsonr, 'pvalue'));
    expectParity(f, 'spearman', pairs(spearmanr, 'statistic'));
    expectParity(f, 'spearman_pvalue', pairs(spearmanr, 'pvalue'));
  });

  it('a column with itself: r = 1 up to rounding and a vanishing p-value', () => {
    const r = pearsonr(cols[0], cols[0]);
    expect(r.statistic).toBeCloseTo(1, 14);
    expect(r.pvalue).toBeLessThan(1e-30);
  });

  it('corrSync (f64) matches the fixture matrices; corr through the f32 GEMM within 1e-5', async () => {
    const X = Matrix.from(f.input.X);
    for (const method of ['pearson', 'spearman'] as const) {
      const exact = corrSync(X, { method });
      expectParity(f, method, Array.from(exact.matrix.data), cols.length);
      const viaGemm = await corr(X, { method, gemm: true });
      exact.matrix.data.forEach((v, k) => expect(Math.abs(viaGemm.matrix.data[k] - v)).toBeLessThan(1e-5));
    }
  });
});
