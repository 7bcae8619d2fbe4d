/**
 * LocalOutlierFactor against scikit-learn 1.2 (<dataset>.local_outlier_factor.json: training
 * factors, fitPredict with contamination 0.1, novelty scores on held-out rows), and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, LocalOutlierFactor } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });

describe('LocalOutlierFactor parity with scikit-learn', () => {
  for (const ds of ['wine', 'breast_cancer']) {
    it(ds, async () => {
      const f = loadFixture(ds, 'local_outlier_factor');
      const { X, X_test } = f.input;
      const lof = await new LocalOutlierFactor({ nNeighbors: 20 }).fit(X);
      expectParity(f, 'negative_outlier_factor_', lof.negativeOutlierFactor);
      expectParity(f, 'offset_', [lof.offset]);
      expectParity(f, 'fit_predict_contamination_0_1', await new LocalOutlierFactor({ nNeighbors: 20, contamination: 0.1 }).fitPredict(X));
      const nov = await new LocalOutlierFactor({ nNeighbors: 20, novelty: true }).fit(X);
      expectParity(f, 'score_samples_test', await nov.scoreSamples(X_test));
      expectParity(f, 'decision_function_test', await nov.decisionFunction(X_test));
      expectParity(f, 'predict_test', await nov.predict(X_test));
    });
  }
});

describe('LocalOutlierFactor', () => {
  it('a far point has the lowest factor and is the only outlier at the auto offset (−1.5)', async () => {
    const X = [[0], [1], [2], [3], [4], [5], [40]];
    const lof = await new LocalOutlierFactor({ nNeighbors: 2 }).fit(X);
    const nof = lof.negativeOutlierFactor;
    expect(nof.indexOf(Math.min(...nof))).toBe(6);
    expect(Array.from(await new LocalOutlierFactor({ nNeighbors: 2 }).fitPredict(X))).toEqual([1, 1, 1, 1, 1, 1, -1]);
  });

  it('refuses misuse and bad input', async () => {
    expect(() => new LocalOutlierFactor({ contamination: 0.6 })).toThrow(/contamination/);
    expect(() => new LocalOutlierFactor({ contamination: 0 })).toThrow(code('E_PARAM'));
    await expect(new LocalOutlierFactor({ novelty: true }).fitPredict([[1], [2]])).rejects.toThrow(code('E_PARAM'));
    const lof = await new LocalOutlierFactor({ nNeighbors: 1 }).fit([[1], [2], [4]]);
    await expect(lof.predict([[1]])).rejects.toThrow(/novelty true/);
    await expect(new LocalOutlierFactor().fit([[NaN], [1]])).rejects.toThrow(code('E_NONFINITE'));
    await expect(new LocalOutlierFactor().fit([[1]])).rejects.toThrow(code('E_PARAM'));
  });
});
