"""Generates test/fixtures/svm/svm.json: scikit-learn 1.2's SVC, NuSVC, SVR, NuSVR and OneClassSVM
(LIBSVM inside) on fixed data, inputs included: iris and breast_cancer standardised, diabetes with X
and y standardised (all from sklearn.datasets, rounded to 12 decimals before fitting). Run once with
Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_svm.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR, NuSVC, NuSVR, OneClassSVM

warnings.simplefilter('ignore')
out = {'sklearn': sklearn.__version__, 'data': {}, 'cases': []}


def put(name, X, y):
    out['data'][name] = {'X': np.round(X, 12).tolist(), 'y': np.asarray(y).tolist()}
    return np.array(out['data'][name]['X']), np.array(out['data'][name]['y'])


bc = datasets.load_breast_cancer()
iris = datasets.load_iris()
dia = datasets.load_diabetes()
Xb, yb = put('breast_cancer', StandardScaler().fit_transform(bc.data), bc.target)
Xi, yi = put('iris', StandardScaler().fit_transform(iris.data), iris.target)
Xd, yd = put('diabetes', StandardScaler().fit_transform(dia.data), np.round((dia.target - dia.target.mean()) / dia.target.std(), 12))

KERNELS = [
    {'kernel': 'linear'},
    {'kernel': 'rbf'},
    {'kernel': 'rbf', 'gamma': 'auto', 'C': 10.0},
    {'kernel': 'poly', 'degree': 3, 'coef0': 1.0, 'gamma': 'scale'},
    {'kernel': 'sigmoid', 'gamma': 0.01, 'coef0': 0.0},
]


def case(cls, dataset, X, y, params, classifier, sample_weight=None):
    m = cls(**params).fit(X, y, sample_weight=sample_weight)
    c = {'estimator': cls.__name__, 'dataset': dataset, 'params': params,
         'sample_weight': None if sample_weight is None else sample_weight.tolist(),
         'support': m.support_.tolist(), 'dual_coef': m.dual_coef_.tolist(), 'intercept': m.intercept_.tolist(),
         'n_iter': np.atleast_1d(m.n_iter_).tolist()}
    if params.get('kernel') == 'linear':
        c['coef'] = np.atleast_2d(m.coef_).tolist()
    if classifier:
        c['n_support'] = m.n_support_.tolist()
        c['decision_ovr'] = np.atleast_1d(m.decision_function(X)).tolist()
        m.set_params(decision_function_shape='ovo')
        c['decision_ovo'] = np.atleast_1d(m.decision_function(X)).tolist()
        c['predict'] = m.predict(X).tolist()
    else:
        c['decision'] = m.decision_function(X).tolist() if hasattr(m, 'decision_function') else None
        c['predict'] = m.predict(X).tolist()
        if cls is OneClassSVM:
            c['score_samples'] = m.score_samples(X).tolist()
            c['offset'] = float(m.offset_)
    out['cases'].append(c)


for dataset, X, y in [('iris', Xi, yi), ('breast_cancer', Xb, yb)]:
    for k in KERNELS:
        case(SVC, dataset, X, y, dict(k), True)
    case(SVC, dataset, X, y, {'kernel': 'rbf', 'C': 0.5, 'class_weight': 'balanced'}, True)
    case(SVC, dataset, X, y, {'kernel': 'rbf', 'shrinking': False}, True)
    case(NuSVC, dataset, X, y, {'kernel': 'rbf', 'nu': 0.3}, True)
    case(NuSVC, dataset, X, y, {'kernel': 'linear', 'nu': 0.1}, True)
for k in [{'kernel': 'rbf'}, {'kernel': 'linear', 'C': 0.5}, {'kernel': 'poly', 'degree': 2, 'coef0': 1.0, 'epsilon': 0.2}]:
    case(SVR, 'diabetes', Xd, yd, k, False)
case(NuSVR, 'diabetes', Xd, yd, {'kernel': 'rbf', 'nu': 0.4}, False)
for dataset, X in [('iris', Xi), ('breast_cancer', Xb)]:
    case(OneClassSVM, dataset, X, None, {'kernel': 'rbf', 'nu': 0.1}, False)
    case(OneClassSVM, dataset, X, None, {'kernel': 'rbf', 'nu': 0.5, 'gamma': 'auto'}, False)

# sample weights (rows of weight 0 left out, as scikit-learn's LIBSVM does)
wi = np.array([0.0 if i % 10 == 0 else 1.0 + (i % 3) for i in range(len(yi))])
case(SVC, 'iris', Xi, yi, {'kernel': 'rbf', 'C': 2.0}, True, wi)
case(NuSVC, 'iris', Xi, yi, {'kernel': 'rbf', 'nu': 0.2}, True, wi)
wd = np.array([0.5 + (i % 4) / 2 for i in range(len(yd))])
case(SVR, 'diabetes', Xd, yd, {'kernel': 'rbf'}, False, wd)
case(OneClassSVM, 'breast_cancer', Xb, None, {'kernel': 'rbf', 'nu': 0.2}, False, np.array([1.0 + (i % 5) for i in range(len(yb))]))

# probability: LIBSVM's Platt scaling over an internal 5-fold CV (its shuffle is sklearn's own RNG)
for dataset, X, y in [('iris', Xi, yi), ('breast_cancer', Xb, yb)]:
    m = SVC(kernel='rbf', probability=True, random_state=0).fit(X, y)
    out['cases'].append({'estimator': 'SVC', 'dataset': dataset, 'params': {'kernel': 'rbf', 'probability': True}, 'probability': True,
                         'probA': m.probA_.tolist(), 'probB': m.probB_.tolist(), 'proba': m.predict_proba(X).tolist(), 'predict': m.predict(X).tolist()})

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'svm', 'svm.json')
with open(path, 'w') as f:
    json.dump(out, f)
print(len(out['cases']), 'cases', os.path.getsize(path), 'bytes')
