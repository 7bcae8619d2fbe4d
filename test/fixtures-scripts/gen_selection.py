#!/usr/bin/python3
"""Parity fixtures of kiln's selection room (cross-validation, curves, mutual information, the
univariate selectors), in the schema of test/fixtures/sklearn/README.md.

Run from the repository root with the system Python (scikit-learn 1.2, scipy 1.10, numpy 1.24):
    /usr/bin/python3 test/fixtures-scripts/gen_selection.py
Deterministic: re-running rewrites identical bytes. Folds are unshuffled (KFold /
StratifiedKFold / GroupKFold / TimeSeriesSplit), so kiln's splitters give the same rows; the
estimators are deterministic and (LogisticRegression) converged far below the tolerance.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn import datasets
from sklearn.feature_selection import (
    SelectFdr, SelectFpr, SelectFwe, SelectKBest, SelectPercentile, chi2, f_classif, f_regression,
    mutual_info_classif, mutual_info_regression,
)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import (
    GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit, cross_val_predict, cross_validate,
    learning_curve, validation_curve,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')


def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return clean(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if f != f:
            return None
        if f in (float('inf'), float('-inf')):
            return 'Infinity' if f > 0 else '-Infinity'
        return int(f) if f.is_integer() and abs(f) < 2 ** 53 else f
    return v


def write(dataset, op, callable_, params, inputs, expected, notes, tolerance=None, compare=None, source=''):
    doc = {
        'schema_version': 1, 'dataset': dataset, 'op': op, 'kind': 'parity', 'callable': callable_,
        'sklearn': sklearn.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__,
        'params': params, 'x_format': 'matrix', 'input': inputs, 'expected': expected,
        'tolerance': tolerance or {'rtol': 1e-6, 'atol': 1e-8}, 'compare': compare or {},
        'source': source, 'split': {'method': 'none: all rows; folds as params.cv says (unshuffled)'},
        'notes': notes,
    }
    with open(os.path.join(OUT, f'{dataset}.{op}.json'), 'w') as f:
        json.dump(clean(doc), f, separators=(',', ':'), allow_nan=False)
        f.write('\n')


def load(name):
    if name == 'diabetes':
        d = datasets.load_diabetes(scaled=False)
        return d.data, d.target.astype(float), list(d.feature_names), ['progression']
    d = getattr(datasets, f'load_{name}')()
    return d.data, d.target, list(d.feature_names), list(d.target_names)


def base_inputs(X, y, fn, tn):
    return {'X': X, 'y': y, 'feature_names': fn, 'target_names': tn}


def scores(res, names, train=False):
    out = {f'test_{n}': res[f'test_{n}'] for n in names}
    if train:
        out.update({f'train_{n}': res[f'train_{n}'] for n in names})
    return out


def cross_validation():
    # breast_cancer: standardised features (all rows), a tightly converged LogisticRegression, binary scorers.
    X, y, fn, tn = load('breast_cancer')
    Xs = StandardScaler().fit_transform(X)
    lr = LogisticRegression(C=1.0, solver='newton-cholesky', tol=1e-12, max_iter=10000)
    names = ['accuracy', 'balanced_accuracy', 'f1', 'precision', 'recall', 'roc_auc', 'neg_log_loss', 'average_precision', 'neg_brier_score', 'matthews_corrcoef']
    res = cross_validate(lr, Xs, y, cv=5, scoring=names, return_train_score=True)
    proba = cross_val_predict(lr, Xs, y, cv=5, method='predict_proba')
    dec = cross_val_predict(lr, Xs, y, cv=5, method='decision_function')
    write('breast_cancer', 'cross_validate', 'sklearn.model_selection.cross_validate',
          {'estimator': "LogisticRegression(C=1, solver='newton-cholesky', tol=1e-12, max_iter=10000)", 'cv': 5, 'scoring': names, 'return_train_score': True},
          base_inputs(Xs, y, fn, tn),
          {**scores(res, names, True), 'cross_val_predict_proba': proba, 'cross_val_predict_decision_function': dec},
          'X was standardised over all rows (ddof=0) before being stored; use it as given. cv=5 on a classifier is '
          'StratifiedKFold(5) unshuffled. LogisticRegression is solved exactly (newton-cholesky, tol=1e-12; lbfgs stops early on this data), so the fold scores do not depend '
          'on the solver. test_<name> / train_<name> are the per-fold scores (scikit-learn\'s keys); '
          'cross_val_predict_* are cross_val_predict(method=...) over the same folds (decision values: one per row; '
          'unbounded raw scores, where two exact solvers in float64 still differ by ~1e-6, hence atol 1e-5).',
          tolerance={'rtol': 1e-6, 'atol': 1e-6, 'per_key': {'cross_val_predict_decision_function': {'rtol': 1e-6, 'atol': 1e-5}}}, source='sklearn.datasets.load_breast_cancer()')

    # iris: GaussianNB (closed form), multiclass scorers, cross_val_predict probabilities.
    X, y, fn, tn = load('iris')
    nb = GaussianNB()
    names = ['accuracy', 'balanced_accuracy', 'f1_macro', 'f1_micro', 'f1_weighted', 'precision_macro', 'precision_weighted',
             'recall_macro', 'recall_micro', 'roc_auc_ovr', 'roc_auc_ovo', 'roc_auc_ovr_weighted', 'neg_log_loss']
    res = cross_validate(nb, X, y, cv=5, scoring=names, return_train_score=True)
    proba = cross_val_predict(nb, X, y, cv=5, method='predict_proba')
    pred = cross_val_predict(nb, X, y, cv=5)
    write('iris', 'cross_validate', 'sklearn.model_selection.cross_validate',
          {'estimator': 'GaussianNB()', 'cv': 5, 'scoring': names, 'return_train_score': True},
          base_inputs(X, y, fn, tn),
          {**scores(res, names, True), 'cross_val_predict': pred, 'cross_val_predict_proba': proba},
          'cv=5 on a classifier is StratifiedKFold(5) unshuffled. GaussianNB is closed-form. test_<name> / train_<name> '
          'are per-fold scores; cross_val_predict(_proba) over the same folds.',
          compare={'cross_val_predict': 'exact'}, source='sklearn.datasets.load_iris()')

    # diabetes: Ridge (closed form), regression scorers on KFold(5), learning and validation curves.
    X, y, fn, tn = load('diabetes')
    ridge = Ridge(alpha=1.0)
    names = ['r2', 'explained_variance', 'neg_mean_squared_error', 'neg_root_mean_squared_error', 'neg_mean_absolute_error',
             'neg_median_absolute_error', 'max_error', 'neg_mean_absolute_percentage_error']
    res = cross_validate(ridge, X, y, cv=5, scoring=names, return_train_score=True)
    sizes, lc_train, lc_test = learning_curve(ridge, X, y, cv=5, train_sizes=[0.1, 0.325, 0.55, 0.775, 1.0], scoring='r2')
    sizes_abs, lca_train, lca_test = learning_curve(ridge, X, y, cv=KFold(4), train_sizes=[30, 100, 200], scoring='neg_mean_squared_error')
    pipe = Pipeline([('scale', StandardScaler()), ('ridge', Ridge())])
    alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
    vc_train, vc_test = validation_curve(pipe, X, y, param_name='ridge__alpha', param_range=alphas, cv=5, scoring='r2')
    ts = cross_validate(ridge, X, y, cv=TimeSeriesSplit(4), scoring='r2')
    groups = np.arange(len(y)) % 7
    gk = cross_validate(ridge, X, y, cv=GroupKFold(3), groups=groups, scoring='neg_mean_absolute_error')
    default_score = cross_validate(ridge, X, y, cv=3)
    write('diabetes', 'cross_validate', 'sklearn.model_selection.cross_validate',
          {'estimator': 'Ridge(alpha=1)', 'cv': 5, 'scoring': names, 'return_train_score': True,
           'learning_curve': {'train_sizes': [0.1, 0.325, 0.55, 0.775, 1.0], 'cv': 5, 'scoring': 'r2'},
           'learning_curve_abs': {'train_sizes': [30, 100, 200], 'cv': 'KFold(4)', 'scoring': 'neg_mean_squared_error'},
           'validation_curve': {'estimator': "Pipeline([('scale', StandardScaler()), ('ridge', Ridge())])", 'param_name': 'ridge__alpha', 'param_range': alphas, 'cv': 5, 'scoring': 'r2'},
           'time_series': {'cv': 'TimeSeriesSplit(4)', 'scoring': 'r2'},
           'group_kfold': {'cv': 'GroupKFold(3)', 'groups': 'row index % 7', 'scoring': 'neg_mean_absolute_error'},
           'default_score': {'cv': 3, 'scoring': None}},
          {**base_inputs(X, y, fn, tn), 'groups': groups},
          {**scores(res, names, True),
           'learning_curve_train_sizes': sizes, 'learning_curve_train_scores': lc_train, 'learning_curve_test_scores': lc_test,
           'learning_curve_abs_train_sizes': sizes_abs, 'learning_curve_abs_train_scores': lca_train, 'learning_curve_abs_test_scores': lca_test,
           'validation_curve_train_scores': vc_train, 'validation_curve_test_scores': vc_test,
           'time_series_test_r2': ts['test_score'], 'group_kfold_test_neg_mean_absolute_error': gk['test_score'],
           'default_test_score': default_score['test_score']},
          'Raw (unscaled) diabetes. cv=5 on a regressor is KFold(5) unshuffled. Curves: rows = train sizes / parameter '
          'values, columns = folds. learning_curve fractions are floor(fraction * smallest train set). '
          'default_test_score is scoring=None: Ridge.score, i.e. r2.',
          compare={'learning_curve_train_sizes': 'exact', 'learning_curve_abs_train_sizes': 'exact'},
          tolerance={'rtol': 1e-6, 'atol': 1e-6}, source='sklearn.datasets.load_diabetes(scaled=False)')


def univariate():
    """mutual information (seeded noise: compared as quality, not bit parity) and the selectors' supports."""
    for name in ['iris', 'wine', 'breast_cancer', 'diabetes']:
        X, y, fn, tn = load(name)
        clf = name != 'diabetes'
        score = f_classif if clf else f_regression
        exp = {}
        for sel, kw in [(SelectPercentile, {'percentile': 30}), (SelectFpr, {'alpha': 1e-10}), (SelectFdr, {'alpha': 1e-10}), (SelectFwe, {'alpha': 1e-10})]:
            s = sel(score, **kw).fit(X, y)
            exp[f'{sel.__name__}_support'] = s.get_support()
        if clf:
            s = SelectKBest(chi2, k=3).fit(X, y)
            exp['SelectKBest_chi2_support'] = s.get_support()
        mi_fn = mutual_info_classif if clf else mutual_info_regression
        exp['mutual_info'] = mi_fn(X, y, random_state=0)
        # The same with every value made distinct (a deterministic jitter well above the 1e-10 noise):
        # neighbours no longer depend on the noise, so any seed gives the same estimate.
        jitter = np.random.RandomState(1)
        X_untied = X + 1e-2 * X.std(axis=0) * jitter.uniform(size=X.shape)
        y_untied = y if clf else y + 1e-2 * y.std() * jitter.uniform(size=len(y))
        exp['mutual_info_untied'] = mi_fn(X_untied, y_untied, random_state=0)
        write(name, 'univariate_selection', 'sklearn.feature_selection',
              {'score_func': score.__name__, 'SelectPercentile': {'percentile': 30}, 'SelectFpr': {'alpha': 1e-10},
               'SelectFdr': {'alpha': 1e-10}, 'SelectFwe': {'alpha': 1e-10}, 'SelectKBest_chi2': {'k': 3} if clf else None,
               'mutual_info': {'n_neighbors': 3, 'random_state': 0, 'discrete_features': 'auto'}},
              {**base_inputs(X, y, fn, tn), 'X_untied': X_untied, 'y_untied': y_untied}, exp,
              'All rows. *_support are boolean masks of the selectors with the score function in params. mutual_info is '
              'mutual_info_classif / mutual_info_regression (k-NN estimator, n_neighbors=3) with random_state=0: scikit-learn '
              'adds seeded noise of 1e-10 * max(1, mean |x|) per scaled column, so another generator gives values that '
              'differ by the noise\'s effect on neighbour ties (scikit-learn\'s own spread over seeds is up to 0.04 on iris): '
              'compared with atol 0.06. mutual_info_untied is the same on X_untied / y_untied (every value distinct), where '
              'the noise cannot change a neighbour: compared to 1e-6.',
              compare={k: 'exact' for k in exp if k.endswith('support')},
              tolerance={'rtol': 1e-6, 'atol': 1e-8, 'per_key': {'mutual_info': {'rtol': 0, 'atol': 0.06}}},
              source=f'sklearn.datasets.load_{name}()')


def wrappers():
    """RFE, RFECV, SelectFromModel and SequentialFeatureSelector with deterministic estimators."""
    from sklearn.feature_selection import RFE, RFECV, SelectFromModel, SequentialFeatureSelector
    X, y, fn, tn = load('diabetes')
    Xs = StandardScaler().fit_transform(X)
    ridge = Ridge(alpha=1.0)
    rfe = RFE(ridge, n_features_to_select=4, step=1).fit(Xs, y)
    rfe2 = RFE(ridge, n_features_to_select=0.3, step=0.2).fit(Xs, y)
    rfecv = RFECV(ridge, step=1, cv=5, scoring='r2').fit(Xs, y)
    sfm = SelectFromModel(ridge).fit(Xs, y)
    sfm_med = SelectFromModel(ridge, threshold='1.25*median').fit(Xs, y)
    sfm_max = SelectFromModel(ridge, threshold=-np.inf, max_features=3).fit(Xs, y)
    sfs_f = SequentialFeatureSelector(ridge, n_features_to_select=4, direction='forward', cv=5, scoring='r2').fit(Xs, y)
    sfs_b = SequentialFeatureSelector(ridge, n_features_to_select=4, direction='backward', cv=5).fit(Xs, y)
    sfs_t = SequentialFeatureSelector(ridge, n_features_to_select='auto', tol=0.01, cv=5).fit(Xs, y)
    write('diabetes', 'feature_selection_wrappers', 'sklearn.feature_selection',
          {'estimator': 'Ridge(alpha=1)', 'RFE': {'n_features_to_select': 4, 'step': 1}, 'RFE_fraction': {'n_features_to_select': 0.3, 'step': 0.2},
           'RFECV': {'step': 1, 'cv': 5, 'scoring': 'r2'}, 'SelectFromModel': {'threshold': None},
           'SelectFromModel_median': {'threshold': '1.25*median'}, 'SelectFromModel_max': {'threshold': '-inf', 'max_features': 3},
           'SFS_forward': {'n_features_to_select': 4, 'direction': 'forward', 'cv': 5, 'scoring': 'r2'},
           'SFS_backward': {'n_features_to_select': 4, 'direction': 'backward', 'cv': 5},
           'SFS_tol': {'n_features_to_select': 'auto', 'tol': 0.01, 'cv': 5}},
          base_inputs(Xs, y, fn, tn),
          {'RFE_support': rfe.support_, 'RFE_ranking': rfe.ranking_, 'RFE_fraction_support': rfe2.support_, 'RFE_fraction_ranking': rfe2.ranking_,
           'RFECV_support': rfecv.support_, 'RFECV_ranking': rfecv.ranking_, 'RFECV_mean_test_score': rfecv.cv_results_['mean_test_score'],
           'RFECV_std_test_score': rfecv.cv_results_['std_test_score'],
           'SelectFromModel_support': sfm.get_support(), 'SelectFromModel_threshold': sfm.threshold_,
           'SelectFromModel_median_support': sfm_med.get_support(), 'SelectFromModel_median_threshold': sfm_med.threshold_,
           'SelectFromModel_max_support': sfm_max.get_support(),
           'SFS_forward_support': sfs_f.get_support(), 'SFS_backward_support': sfs_b.get_support(), 'SFS_tol_support': sfs_t.get_support()},
          'X is diabetes standardised over all rows (ddof=0); use it as given. Ridge(alpha=1) is closed-form, so rankings are '
          'deterministic. *_support / *_ranking exact; RFECV scores (r2, mean/std over 5 unshuffled KFold folds, from the fewest '
          'features to all) and SelectFromModel thresholds (mean / 1.25*median of |coef_|) allclose.',
          compare={k: 'exact' for k in ['RFE_support', 'RFE_ranking', 'RFE_fraction_support', 'RFE_fraction_ranking', 'RFECV_support', 'RFECV_ranking',
                                        'SelectFromModel_support', 'SelectFromModel_median_support', 'SelectFromModel_max_support',
                                        'SFS_forward_support', 'SFS_backward_support', 'SFS_tol_support']},
          source='sklearn.datasets.load_diabetes(scaled=False)')


if __name__ == '__main__':
    cross_validation()
    univariate()
    wrappers()
