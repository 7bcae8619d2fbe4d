/**
 * The searches against scikit-learn 1.2 (fixtures by test/fixtures-scripts/gen_search.py):
 * GridSearchCV's cv_results_ (every split score, means, stds, ranks), best candidate and refit
 * on unshuffled KFold to 1e-6; successive halving's schedule exactly; ParameterGrid's order.
 */
import { describe, expect, it } from 'vitest';
import { GridSearchCV, HalvingGridSearchCV, HalvingRandomSearchCV, KFold, LogisticRegression, loguniform, ParameterGrid, Ridge } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const diabetes = loadFixture('diabetes', 'cross_validate').input;
const cancer = loadFixture('breast_cancer', 'cross_validate').input;

describe('GridSearchCV parity with scikit-learn', () => {
  it('diabetes: Ridge alpha, two scorers with refit by name, train scores, the default scorer', async () => {
    const f = loadFixture('diabetes', 'grid_search_ridge');
    const alphas = (f.params.param_grid as { alpha: number[] }).alpha;
    const gs = await new GridSearchCV({
      estimator: new Ridge(),
      paramGrid: { alpha: alphas },
      cv: new KFold(5),
      scoring: ['r2', 'neg_mean_squared_error'],
      refit: 'r2',
      returnTrainScore: true,
    }).fit(diabetes.X, diabetes.y);
    const r = gs.cvResults;
    let compared = 0;
    for (const key of Object.keys(f.expected).filter((k) => k in r)) compared += expectParity(f, key, r[key]);
    expect(compared).toBeGreaterThanOrEqual(6 * 2 * 14);
    expect(r.params).toEqual(f.expected.params);
    expect(r.param_alpha).toEqual(alphas);
    expect(gs.bestIndex).toBe(f.expected.best_index);
    expect(gs.bestParams).toEqual(f.expected.best_params);
    expectParity(f, 'best_score', [gs.bestScore]);
    expectParity(f, 'best_predict', await gs.predict(diabetes.X.slice(0, 10)));
    const single = await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: alphas }, cv: new KFold(5) }).fit(diabetes.X, diabetes.y);
    expectParity(f, 'single_mean_test_score', single.cvResults.mean_test_score);
    expectParity(f, 'single_rank_test_score', single.cvResults.rank_test_score);
    expectParity(f, 'single_best_score', [single.bestScore]);
  });

  it('breast_cancer: LogisticRegression C, accuracy and neg_log_loss', async () => {
    const f = loadFixture('breast_cancer', 'grid_search_logistic');
    const lr = new LogisticRegression({ tol: 1e-12, maxIter: 10000 });
    const paramGrid = f.params.param_grid as { C: number[] };
    const acc = await new GridSearchCV({ estimator: lr, paramGrid, cv: new KFold(5), scoring: 'accuracy' }).fit(cancer.X, cancer.y);
    const r = acc.cvResults;
    for (const key of [
      'mean_test_score',
      'std_test_score',
      'rank_test_score',
      'split0_test_score',
      'split1_test_score',
      'split2_test_score',
      'split3_test_score',
      'split4_test_score',
    ])
      expectParity(f, key, r[key]);
    expect(acc.bestIndex).toBe(f.expected.best_index);
    expectParity(f, 'best_score', [acc.bestScore]);
    const ll = await new GridSearchCV({ estimator: lr, paramGrid, cv: new KFold(5), scoring: 'neg_log_loss' }).fit(cancer.X, cancer.y);
    expectParity(f, 'log_loss_mean_test_score', ll.cvResults.mean_test_score);
    expectParity(f, 'log_loss_rank_test_score', ll.cvResults.rank_test_score);
    expectParity(f, 'log_loss_split0_test_score', ll.cvResults.split0_test_score);
    expect(ll.bestIndex).toBe(f.expected.log_loss_best_index);
  });
});

describe('successive halving schedule parity with scikit-learn', () => {
  const f = loadFixture('mixed', 'halving_schedule');
  const cases = Object.entries(f.params as Record<string, Record<string, any>>);
  it.each(cases)('%s', async (name, p) => {
    const data = p.dataset === 'diabetes' ? diabetes : cancer;
    const estimator = p.estimator === 'Ridge' ? new Ridge() : new LogisticRegression({ maxIter: 1000 });
    const param = p.estimator === 'Ridge' ? 'alpha' : 'C';
    const values = Array.from({ length: p.n_candidates_first }, (_, i) => 10 ** (-3 + (6 * i) / Math.max(1, p.n_candidates_first - 1)));
    const common = {
      estimator,
      cv: p.cv,
      factor: p.factor,
      minResources: p.min_resources,
      maxResources: p.max_resources,
      aggressiveElimination: p.aggressive_elimination,
      returnTrainScore: false,
    };
    const s = p.random
      ? new HalvingRandomSearchCV({ ...common, paramDistributions: { alpha: loguniform(1e-3, 1e3) } })
      : new HalvingGridSearchCV({ ...common, paramGrid: { [param]: values } });
    await s.fit(data.X, data.y);
    const e = (k: string) => f.expected[`${name}.${k}`];
    expect(s.nResources).toEqual(e('n_resources_'));
    expect(s.nCandidates).toEqual(e('n_candidates_'));
    expect(s.nIterations).toBe(e('n_iterations_'));
    expect(s.nPossibleIterations).toBe(e('n_possible_iterations_'));
    expect(s.nRequiredIterations).toBe(e('n_required_iterations_'));
    expect(s.minResources).toBe(e('min_resources_'));
    expect(s.maxResources).toBe(e('max_resources_'));
    expect(s.nRemainingCandidates).toBe(e('n_remaining_candidates_'));
    const r = s.cvResults;
    expect(Array.from(r.n_resources as Int32Array)).toEqual(e('n_candidates_').flatMap((c: number, i: number) => new Array(c).fill(e('n_resources_')[i])));
    // the best candidate comes from the last round
    expect((r.iter as Int32Array)[s.bestIndex]).toBe(e('n_iterations_') - 1);
  });
});

describe('ParameterGrid parity with scikit-learn', () => {
  it("keeps scikit-learn's order over a list of grids", () => {
    const f = loadFixture('mixed', 'parameter_grid');
    const g = new ParameterGrid(f.params.param_grid as never);
    expect(g.length).toBe(f.expected.length);
    expect(g.toArray()).toEqual(f.expected.combinations);
    expect([...g].map((c) => Object.keys(c))).toEqual((f.expected.combinations as object[]).map((c) => Object.keys(c)));
  });
});
