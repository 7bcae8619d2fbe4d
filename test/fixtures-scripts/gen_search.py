#!/usr/bin/python3
"""Parity fixtures of kiln's hyperparameter searches (GridSearchCV cv_results_, successive
halving's schedule, ParameterGrid's order), in the schema of test/fixtures/sklearn/README.md.

Run from the repository root with the system Python (scikit-learn 1.2, scipy 1.10, numpy 1.24):
    /usr/bin/python3 test/fixtures-scripts/gen_search.py
Deterministic: re-running rewrites identical bytes (no timings are stored). Folds are unshuffled
KFold, the estimators deterministic (LogisticRegression converged far below the tolerance).
"""
import json
import os
import sys

import numpy as np
from scipy.stats import loguniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, HalvingRandomSearchCV, KFold, ParameterGrid
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(__file__))
from gen_selection import load, write  # noqa: E402

COLS = ['params', 'mean_test', 'std_test', 'rank_test', 'split0_test', 'split1_test', 'split2_test', 'split3_test', 'split4_test']


def results(cv, metrics, train):
    out = {'params': cv['params']}
    for m in metrics:
        for k in ('mean_test', 'std_test', 'rank_test') + (('mean_train',) if train else ()):
            out[f'{k}_{m}'] = cv[f'{k}_{m}']
        for s in range(5):
            out[f'split{s}_test_{m}'] = cv[f'split{s}_test_{m}']
            if train:
                out[f'split{s}_train_{m}'] = cv[f'split{s}_train_{m}']
    return out


def grid_search():
    X, y, fn, tn = load('diabetes')
    alphas = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]
    gs = GridSearchCV(Ridge(), {'alpha': alphas}, cv=KFold(5), scoring=['r2', 'neg_mean_squared_error'], refit='r2', return_train_score=True).fit(X, y)
    single = GridSearchCV(Ridge(), {'alpha': alphas}, cv=KFold(5)).fit(X, y)
    expected = {**results(gs.cv_results_, ['r2', 'neg_mean_squared_error'], True), 'best_index': gs.best_index_, 'best_score': gs.best_score_,
                'best_params': gs.best_params_, 'single_mean_test_score': single.cv_results_['mean_test_score'],
                'single_rank_test_score': single.cv_results_['rank_test_score'], 'single_best_score': single.best_score_,
                'best_predict': gs.predict(X[:10])}
    write('diabetes', 'grid_search_ridge', 'sklearn.model_selection.GridSearchCV',
          {'estimator': 'Ridge()', 'param_grid': {'alpha': alphas}, 'cv': 'KFold(5)', 'scoring': ['r2', 'neg_mean_squared_error'], 'refit': 'r2', 'return_train_score': True},
          {'from': 'diabetes.cross_validate.json (X, y)'}, expected, 'GridSearchCV over Ridge alpha, unshuffled KFold(5); single = the same search with the default scorer (score, R^2).',
          compare={'params': 'exact', 'best_params': 'exact', 'best_index': 'exact', 'rank_test_r2': 'exact', 'rank_test_neg_mean_squared_error': 'exact', 'single_rank_test_score': 'exact'})

    X, y, fn, tn = load('breast_cancer')
    Xs = StandardScaler().fit_transform(X)
    Cs = [0.01, 0.1, 1.0]
    lr = LogisticRegression(solver='newton-cholesky', tol=1e-12, max_iter=10000)
    gs = GridSearchCV(lr, {'C': Cs}, cv=KFold(5), scoring='accuracy').fit(Xs, y)
    ll = GridSearchCV(lr, {'C': Cs}, cv=KFold(5), scoring='neg_log_loss').fit(Xs, y)
    expected = {**results(gs.cv_results_, ['score'], False), 'best_index': gs.best_index_, 'best_score': gs.best_score_,
                'log_loss_mean_test_score': ll.cv_results_['mean_test_score'], 'log_loss_rank_test_score': ll.cv_results_['rank_test_score'],
                'log_loss_split0_test_score': ll.cv_results_['split0_test_score'], 'log_loss_best_index': ll.best_index_}
    write('breast_cancer', 'grid_search_logistic', 'sklearn.model_selection.GridSearchCV',
          {'estimator': "LogisticRegression(solver='newton-cholesky', tol=1e-12, max_iter=10000)", 'param_grid': {'C': Cs}, 'cv': 'KFold(5)', 'scoring': ['accuracy', 'neg_log_loss']},
          {'from': 'breast_cancer.cross_validate.json (X standardised, y)'}, expected, 'GridSearchCV over LogisticRegression C on standardised breast_cancer, unshuffled KFold(5); accuracy, then neg_log_loss.',
          compare={'params': 'exact', 'best_index': 'exact', 'rank_test_score': 'exact', 'log_loss_rank_test_score': 'exact', 'log_loss_best_index': 'exact'})


def halving():
    Xb, yb, _, _ = load('breast_cancer')
    Xs = StandardScaler().fit_transform(Xb)
    Xd, yd, _, _ = load('diabetes')
    lr = LogisticRegression(solver='newton-cholesky', max_iter=1000)
    keys = ['n_resources_', 'n_candidates_', 'n_iterations_', 'n_possible_iterations_', 'n_required_iterations_', 'min_resources_', 'max_resources_', 'n_remaining_candidates_']
    cases = {
        'grid_exhaust': (HalvingGridSearchCV(lr, {'C': list(np.logspace(-3, 3, 10))}, cv=5, factor=3), Xs, yb),
        'grid_smallest': (HalvingGridSearchCV(lr, {'C': list(np.logspace(-3, 3, 10))}, cv=5, factor=3, min_resources='smallest'), Xs, yb),
        'grid_aggressive': (HalvingGridSearchCV(Ridge(), {'alpha': list(np.logspace(-3, 3, 40))}, cv=5, factor=2, min_resources='smallest', max_resources=100, aggressive_elimination=True), Xd, yd),
        'grid_not_aggressive': (HalvingGridSearchCV(Ridge(), {'alpha': list(np.logspace(-3, 3, 40))}, cv=5, factor=2, min_resources='smallest', max_resources=100), Xd, yd),
        'random_exhaust': (HalvingRandomSearchCV(Ridge(), {'alpha': loguniform(1e-3, 1e3)}, cv=4, factor=3, random_state=0), Xd, yd),
        'grid_min_int': (HalvingGridSearchCV(Ridge(), {'alpha': list(np.logspace(-3, 3, 7))}, cv=3, factor=2.5, min_resources=30), Xd, yd),
    }
    expected, params = {}, {}
    for name, (search, X, y) in cases.items():
        search.fit(X, y)
        for k in keys:
            expected[f'{name}.{k}'] = getattr(search, k)
        p = search.get_params(deep=False)
        params[name] = {'dataset': 'breast_cancer' if X is Xs else 'diabetes', 'estimator': type(p['estimator']).__name__, 'n_candidates_first': search.n_candidates_[0],
                        'cv': p['cv'], 'factor': p['factor'], 'min_resources': p['min_resources'], 'max_resources': p['max_resources'],
                        'aggressive_elimination': p['aggressive_elimination'], 'random': isinstance(search, HalvingRandomSearchCV)}
    write('mixed', 'halving_schedule', 'sklearn.model_selection.HalvingGridSearchCV / HalvingRandomSearchCV',
          params, {'n_samples': {'breast_cancer': len(yb), 'diabetes': len(yd)}}, expected,
          'Successive halving schedules (resource n_samples): n_resources_, n_candidates_ and the iteration counts; they depend only on the counts in params.',
          compare={k: 'exact' for k in expected})


def parameter_grid():
    grids = [{'b': [1, 2], 'a': ['x', 'y', 'z']}, {'c': [3, 4]}, {}]
    write('mixed', 'parameter_grid', 'sklearn.model_selection.ParameterGrid', {'param_grid': grids}, {}, {'combinations': list(ParameterGrid(grids)), 'length': len(ParameterGrid(grids))},
          "ParameterGrid's order: grids in turn, keys sorted, the last key fastest; {} is one empty candidate.", compare={'combinations': 'exact', 'length': 'exact'})


if __name__ == '__main__':
    grid_search()
    halving()
    parameter_grid()
