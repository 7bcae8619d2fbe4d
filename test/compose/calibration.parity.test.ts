/**
 * IsotonicRegression, calibrationCurve and CalibratedClassifierCV against scikit-learn 1.2
 * (test/fixtures/sklearn/calibration.json, written by test/fixtures-scripts/gen_calibration.py):
 * thresholds and predictions, curves, and calibrated probabilities (sigmoid and isotonic, with and
 * without ensemble, decisionFunction and predictProba scores, two and three classes); plus the
 * invariants and the refusals.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CalibratedClassifierCV, calibrationCurve, GaussianNB, IsotonicRegression, LogisticRegression, type Matrix } from '../../src/index.js';

const F = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sklearn/calibration.json', import.meta.url)), 'utf8'));
const code = (c: string) => expect.objectContaining({ code: c });

function near(actual: ArrayLike<number>, expected: readonly (number | null)[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null) expect(actual[i], `at ${i}`).toBeNaN();
    else expect(Math.abs(actual[i] - e), `at ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

const camel: Record<string, string> = { y_min: 'yMin', y_max: 'yMax', out_of_bounds: 'outOfBounds', increasing: 'increasing' };

describe('IsotonicRegression', () => {
  it.each(F.isotonic.map((c: any) => [JSON.stringify(c.params), c.weighted, c]) as [string, boolean, any][])(
    '%s, weighted %s',
    async (_p: any, weighted: any, c: any) => {
      const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [camel[k], v]));
      const m = await new IsotonicRegression(params).fit(c.x, c.y, weighted ? { sampleWeight: c.w } : {});
      near(m.xThresholds, c.x_thresholds, 1e-12);
      near(m.yThresholds, c.y_thresholds, 1e-10);
      expect(m.increasingFit).toBe(c.increasing);
      near(await m.predict(c.grid), c.predict, 1e-10);
      // the fit is monotone in the fitted direction
      const t = m.yThresholds;
      for (let i = 1; i < t.length; i++) expect(c.increasing ? t[i] >= t[i - 1] : t[i] <= t[i - 1]).toBe(true);
    },
  );

  it('refuses bad input and out-of-range x when asked to', async () => {
    await expect(new IsotonicRegression().fit([1, 2], [1])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new IsotonicRegression().fit([[1, 2]], [1])).rejects.toThrow(/takes one feature/);
    await expect(new IsotonicRegression().fit([1, NaN], [1, 2])).rejects.toThrow(/X\[1\] is NaN/);
    expect(() => new IsotonicRegression({ yMin: 2, yMax: 1 })).toThrowError(code('E_PARAM'));
    const m = await new IsotonicRegression({ outOfBounds: 'raise' }).fit([1, 2, 3], [1, 3, 2]);
    expect(() => m.predictSync([4])).toThrow(/outside the training range \[1, 3\]/);
    expect(Array.from(m.predictSync([[2]] as never))).toEqual([2.5]);
  });
});

describe('calibrationCurve', () => {
  it.each(F.curve.map((c: any) => [c.strategy, c.n_bins, c]) as [any, number, any][])('%s, %i bins', (strategy: any, nBins: any, c: any) => {
    const r = calibrationCurve(c.y_true, c.y_prob, { strategy, nBins });
    near(r.probTrue, c.prob_true, 1e-12);
    near(r.probPred, c.prob_pred, 1e-12);
  });

  it('refuses probabilities outside [0, 1], several classes and string labels without posLabel', () => {
    expect(() => calibrationCurve([0, 1], [0.5, 1.5])).toThrow(/yProb\[1\] = 1.5 is outside \[0, 1\]/);
    expect(() => calibrationCurve([0, 1, 2], [0.5, 0.5, 0.5])).toThrow(/only binary/);
    expect(() => calibrationCurve(['a', 'b'], [0.5, 0.5])).toThrow(/pass posLabel/);
    expect(calibrationCurve(['a', 'b'], [0.2, 0.9], { posLabel: 'b', nBins: 2 }).probTrue).toEqual(Float64Array.of(0, 1));
  });
});

describe('CalibratedClassifierCV matches scikit-learn', () => {
  it.each(F.calibrated.map((c: any) => [c.dataset, c.estimator, c.method, c.ensemble, c]) as [string, string, any, boolean, any][])(
    '%s, %s, %s, ensemble %s',
    async (ds: any, est: any, method: any, ensemble: any, c: any) => {
      const { X, y } = F.data[ds];
      const base = est === 'GaussianNB' ? new GaussianNB() : new LogisticRegression({ maxIter: 5000 });
      const m = await new CalibratedClassifierCV({ estimator: base, method, cv: 3, ensemble }).fit(X, y);
      const p = await m.predictProba(X);
      const want = c.proba.flat() as number[];
      if (method === 'isotonic') {
        // isotonic steps sit on ties of the scores (GaussianNB's are often exactly 0 or 1), which last-bit differences
        // between the two classifiers' scores move: the fitted curves agree on average, not at every row
        let mad = 0;
        for (let i = 0; i < want.length; i++) mad += Math.abs(p.data[i] - want[i]);
        expect(mad / want.length).toBeLessThan(est === 'GaussianNB' ? 0.01 : 1e-4);
      } else {
        // Platt's optimum (scipy's BFGS stops at gradient 1e-5, Newton's method here at 1e-12); GaussianNB's scores
        // are scikit-learn's to rounding, LogisticRegression's to its solver's tolerance
        near(p.data, want, est === 'GaussianNB' ? 1e-5 : 2e-4);
      }
      const pred = await m.predict(X);
      const agree = pred.filter((v, i) => v === c.predict[i]).length / pred.length;
      expect(agree).toBeGreaterThanOrEqual(est === 'GaussianNB' && method === 'sigmoid' ? 1 : 0.99);
      for (let r = 0; r < p.rows; r++) {
        let s = 0;
        for (let k = 0; k < p.cols; k++) s += p.data[r * p.cols + k];
        expect(s).toBeCloseTo(1, 12);
      }
      expect(m.calibratedClassifiers).toHaveLength(ensemble ? 3 : 1);
    },
  );
});

describe('CalibratedClassifierCV', () => {
  const { X, y } = F.data.breast_cancer;

  it("calibrates a fitted classifier with cv: 'prefit' and leaves it as it was", async () => {
    const fitted = await new LogisticRegression().fit(X.slice(0, 300), y.slice(0, 300));
    const before = (await fitted.predictProba(X)) as Matrix;
    const m = await new CalibratedClassifierCV({ estimator: fitted, cv: 'prefit' }).fit(X.slice(300), y.slice(300));
    expect(m.calibratedClassifiers[0].estimator).toBe(fitted);
    expect(((await fitted.predictProba(X)) as Matrix).data).toEqual(before.data);
    const p = await m.predictProba(X);
    expect(p.cols).toBe(2);
  });

  it('refuses too few rows per class for the folds, a missing estimator and unknown options', async () => {
    await expect(new CalibratedClassifierCV({ estimator: new GaussianNB(), cv: 5 }).fit([[0], [1], [2], [3], [4], [5]], [0, 0, 0, 1, 1, 1])).rejects.toThrow(
      /class 0 has 3 rows, fewer than the 5 folds/,
    );
    await expect(new CalibratedClassifierCV({ cv: 'prefit' }).fit(X, y)).rejects.toThrow(/needs the fitted estimator/);
    const byDefault = await new CalibratedClassifierCV({ cv: 3 }).fit(X, y); // a LinearSVC, as scikit-learn
    expect((await byDefault.predictProba(X)).cols).toBe(2);
    expect(() => new CalibratedClassifierCV({ method: 'platt' as never })).toThrowError(code('E_PARAM'));
    await expect(new CalibratedClassifierCV({ estimator: new GaussianNB() }).fit(X, y, { sampleWieght: [] } as never)).rejects.toThrow(
      /unknown option 'sampleWieght'/,
    );
  });
});
