/**
 * Model-based selection: RFE, RFECV, SelectFromModel, SequentialFeatureSelector against
 * scikit-learn (diabetes.feature_selection_wrappers), permutationImportance's properties, and
 * the selectors as Pipeline steps, saved and loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  crossValidate,
  DropCorrelatedFeatures,
  GradientBoostingRegressor,
  load,
  LogisticRegression,
  Matrix,
  permutationImportance,
  Pipeline,
  RFE,
  RFECV,
  Ridge,
  save,
  SelectFromModel,
  SelectKBest,
  SequentialFeatureSelector,
  StandardScaler,
  VarianceThreshold,
} from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });
const dir = mkdtempSync(join(tmpdir(), 'kiln-selection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scikit-learn parity: RFE, RFECV, SelectFromModel, SequentialFeatureSelector', () => {
  const f = loadFixture('diabetes', 'feature_selection_wrappers');
  const { X, y } = f.input;
  const ridge = () => new Ridge({ alpha: 1 });

  it('RFE (count and fractions)', async () => {
    const r = await new RFE({ estimator: ridge(), nFeaturesToSelect: 4 }).fit(X, y);
    expectParity(f, 'RFE_support', r.getSupport());
    expectParity(f, 'RFE_ranking', r.ranking);
    const r2 = await new RFE({ estimator: ridge(), nFeaturesToSelect: 0.3, step: 0.2 }).fit(X, y);
    expectParity(f, 'RFE_fraction_support', r2.getSupport());
    expectParity(f, 'RFE_fraction_ranking', r2.ranking);
    expect(r.nFeatures).toBe(4);
    expect((await r.transform(X)).cols).toBe(4);
    expect(await r.score(X, y)).toBeGreaterThan(0.4);
  });

  it('RFECV', async () => {
    const r = await new RFECV({ estimator: ridge(), cv: 5, scoring: 'r2' }).fit(X, y);
    expectParity(f, 'RFECV_support', r.getSupport());
    expectParity(f, 'RFECV_ranking', r.ranking);
    expectParity(f, 'RFECV_mean_test_score', r.cvResults.meanTestScore);
    expectParity(f, 'RFECV_std_test_score', r.cvResults.stdTestScore);
    expect(Array.from(r.cvResults.nFeatures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('SelectFromModel: mean, 1.25*median, maxFeatures', async () => {
    const s = await new SelectFromModel({ estimator: ridge() }).fit(X, y);
    expectParity(f, 'SelectFromModel_support', s.getSupport());
    expectParity(f, 'SelectFromModel_threshold', [s.threshold]);
    const m = await new SelectFromModel({ estimator: ridge(), threshold: '1.25*median' }).fit(X, y);
    expectParity(f, 'SelectFromModel_median_support', m.getSupport());
    expectParity(f, 'SelectFromModel_median_threshold', [m.threshold]);
    const c = await new SelectFromModel({ estimator: ridge(), threshold: -Infinity, maxFeatures: 3 }).fit(X, y);
    expectParity(f, 'SelectFromModel_max_support', c.getSupport());
    const fitted = await ridge().fit(X, y);
    const pre = await new SelectFromModel({ estimator: fitted, prefit: true }).fit(X, y);
    expect(pre.estimator).toBe(fitted);
    expect(pre.getSupport()).toEqual(s.getSupport());
  });

  it('SequentialFeatureSelector forward, backward, auto with tol', async () => {
    const fw = await new SequentialFeatureSelector({ estimator: ridge(), nFeaturesToSelect: 4, cv: 5, scoring: 'r2' }).fit(X, y);
    expectParity(f, 'SFS_forward_support', fw.getSupport());
    const bw = await new SequentialFeatureSelector({ estimator: ridge(), nFeaturesToSelect: 4, direction: 'backward', cv: 5 }).fit(X, y);
    expectParity(f, 'SFS_backward_support', bw.getSupport());
    const tol = await new SequentialFeatureSelector({ estimator: ridge(), tol: 0.01, cv: 5 }).fit(X, y);
    expectParity(f, 'SFS_tol_support', tol.getSupport());
  });
});

describe('permutationImportance', () => {
  const n = 80;
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i * 37) % 11) / 11]);
  const y = X.map((r) => 3 * r[0] - r[1]); // the third feature is irrelevant

  it('a feature the model ignores has zero importance; the fields have scikit-learn shapes; reproducible', async () => {
    const model = await new Ridge({ alpha: 0 }).fit(X, y);
    const r = await permutationImportance(model, X, y, { nRepeats: 4, randomState: 3, scoring: 'r2' });
    expect(r.importances).toHaveLength(3);
    expect(r.importances[0]).toHaveLength(4);
    expect(r.importancesMean[0]).toBeGreaterThan(r.importancesMean[1]);
    expect(r.importancesMean[1]).toBeGreaterThan(0.05);
    expect(Math.abs(r.importancesMean[2])).toBeLessThan(1e-9);
    const mean0 = r.importances[0].reduce((a, b) => a + b, 0) / 4;
    expect(r.importancesMean[0]).toBeCloseTo(mean0, 12);
    const again = await permutationImportance(model, X, y, { nRepeats: 4, randomState: 3, scoring: 'r2' });
    expect(again.importances).toEqual(r.importances);
    const multi = await permutationImportance(model, X, y, { scoring: ['r2', 'neg_mean_squared_error'] });
    expect(Object.keys(multi.byScorer!)).toEqual(['r2', 'neg_mean_squared_error']);
    const sub = await permutationImportance(model, X, y, { maxSamples: 0.5 });
    expect(sub.importances[0]).toHaveLength(5);
    await expect(permutationImportance(model, X, y.slice(1))).rejects.toThrow(/one per row/);
    await expect(permutationImportance(model, X, y, { nRepeats: 0 })).rejects.toThrow(code('E_PARAM'));
  });

  it('works on tree importances too (GradientBoosting)', async () => {
    const gb = await new GradientBoostingRegressor({ nEstimators: 20 }).fit(X, y);
    const r = await permutationImportance(gb, X, y, { nRepeats: 2 });
    expect(r.importancesMean[0]).toBeGreaterThan(r.importancesMean[2]);
    const sel = await new SelectFromModel({ estimator: new GradientBoostingRegressor({ nEstimators: 20 }) }).fit(X, y);
    expect(sel.getSupport()[0]).toBe(true);
  });
});

describe('selectors as Pipeline steps', () => {
  const n = 90;
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i), 5, Math.cos(i * 0.3), Math.sin(i) * 2 + 0.001 * (i % 3), (i % 4) / 4]);
  const y = X.map((r, i) => (r[0] + 0.5 * r[2] + 0.1 * ((i * 7) % 5) > 0 ? 'yes' : 'no'));

  it('a Pipeline with VarianceThreshold, DropCorrelatedFeatures and SelectKBest, cross-validated and saved', async () => {
    const pipe = new Pipeline([
      ['var', new VarianceThreshold()],
      ['corr', new DropCorrelatedFeatures({ threshold: 0.95 })],
      ['scale', new StandardScaler()],
      ['kbest', new SelectKBest({ k: 2 })],
      ['model', new LogisticRegression()],
    ]);
    const cv = await crossValidate(pipe, X, y, { cv: 3, scoring: ['accuracy', 'roc_auc'] });
    expect(cv.test.accuracy.every((v) => v > 0.6)).toBe(true);
    await pipe.fit(X, y);
    const v = pipe.namedSteps.var as VarianceThreshold;
    expect(v.getSupport()).toEqual([true, false, true, true, true]);
    const corr = pipe.namedSteps.corr as DropCorrelatedFeatures;
    expect(corr.getSupport()).toEqual([true, true, false, true]); // x0 ~ x3 (after dropping the constant): one goes
    expect(corr.correlatedPairs).toHaveLength(1);
    expect(corr.featureNamesOut(['a', 'c', 'd', 'e'])).toHaveLength(3);
    const file = join(dir, 'pipe.kiln');
    await save(pipe, file);
    const copy = (await load(file)) as Pipeline;
    expect(await copy.predict(X)).toEqual(await pipe.predict(X));
  });

  it('RFE and SelectFromModel are saveable steps', async () => {
    for (const step of [new RFE({ estimator: new LogisticRegression(), nFeaturesToSelect: 2 }), new SelectFromModel({ estimator: new LogisticRegression() })]) {
      const pipe = new Pipeline([
        ['sel', step],
        ['m', new LogisticRegression()],
      ]);
      await pipe.fit(X, y);
      const file = join(dir, `${step.constructor.name}.kiln`);
      await save(pipe, file);
      const copy = (await load(file)) as Pipeline;
      expect(await copy.predictProba(X)).toEqual(await pipe.predictProba(X));
    }
  });

  it('getSupport(indices), inverseTransform, featureNamesOut', async () => {
    const s = await new SelectKBest({ k: 2 }).fit(X, y);
    const idx = s.getSupport(true);
    expect(idx.length).toBe(2);
    const t = await s.transform(X);
    const back = await s.inverseTransform(t);
    expect(back.cols).toBe(5);
    for (let i = 0; i < n; i++) for (let j = 0; j < 5; j++) expect(back.data[i * 5 + j]).toBe(idx.includes(j) ? X[i][j] : 0);
    expect(s.featureNamesOut()).toEqual(Array.from(idx, (j) => `x${j}`));
    expect(() => s.featureNamesOut(['a'])).toThrow(code('E_SHAPE'));
  });
});

describe('bad input', () => {
  const X = [
    [1, 2, 3],
    [2, 1, 3],
    [3, 5, 3],
    [4, 3, 3],
  ];
  const y = [1, 2, 3, 4];

  it('selectors refuse what they cannot do, with the fix', async () => {
    await expect(new VarianceThreshold({ threshold: 100 }).fit(X)).rejects.toThrow(/no feature in X has a variance above the threshold 100/);
    await expect(new SelectKBest({ k: 5, scoreFunc: 'fRegression' }).fit(X, y)).rejects.toThrow(/k=5 is more than the 3 features/);
    await expect(new SelectKBest({ scoreFunc: 'fRegression' }).fit(X)).rejects.toThrow(/y is required/);
    await expect(new SelectKBest({ k: 1, scoreFunc: 'chi2' }).fit([[-1], [2]], [0, 1])).rejects.toThrow(/negative value/);
    await expect(new SelectKBest({ k: 1 }).fit([[NaN], [2]], [0, 1])).rejects.toThrow(code('E_NONFINITE'));
    await expect(new SelectKBest({ k: 1 }).fit([], [])).rejects.toThrow(code('E_EMPTY'));
    await expect(new RFE().fit(X, y)).rejects.toThrow(/estimator is required/);
    await expect(new SelectFromModel({ estimator: new StandardScaler() as never }).fit(X, y)).rejects.toThrow(/neither coef nor featureImportances/);
    expect(() => new SelectFromModel({ threshold: 'average' })).toThrow(code('E_PARAM'));
    expect(() => new SequentialFeatureSelector({ tol: 0.1, nFeaturesToSelect: 2 })).toThrow(/tol is only used/);
    const fitted = await new SelectKBest({ k: 1, scoreFunc: 'fRegression' }).fit(X, y);
    await expect(fitted.transform([[1, 2]])).rejects.toThrow(code('E_SHAPE'));
    expect(() => new SelectKBest().getSupport()).toThrow(code('E_NOT_FITTED'));
  });

  it('a constant feature: fClassif NaN score ranks last (as scikit-learn)', async () => {
    const s = await new SelectKBest({ k: 2 }).fit(
      X.map((r) => [...r]),
      ['a', 'b', 'a', 'b'],
    );
    expect(Number.isNaN(s.scores[2])).toBe(true);
    expect(s.getSupport()).toEqual([true, true, false]);
  });
});

it('Matrix input works for the selectors', async () => {
  const m = Matrix.from([
    [1, 0.5, 3],
    [2, 0.1, 1],
    [3, 0.9, 2],
    [4, 0.2, 5],
  ]);
  const s = await new SelectKBest({ k: 1, scoreFunc: 'fRegression' }).fit(m, [1, 2, 3, 4]);
  expect(s.getSupport()).toEqual([true, false, false]);
});
