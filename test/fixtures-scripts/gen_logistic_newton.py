"""Generates test/fixtures/sklearn/logistic_newton_cholesky.json: scikit-learn 1.2's
LogisticRegression(solver='newton-cholesky') on fixed binary data, inputs included
(breast_cancer standardised, from sklearn.datasets; a seeded overlapping 2-class sample for
the unpenalised fit). Each case: params, optional sample weights, coef_, intercept_, n_iter_.
Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_logistic_newton.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.simplefilter('error')  # every case must converge
rng = np.random.RandomState(5)
bc = datasets.load_breast_cancer()
Xb = np.round(StandardScaler().fit_transform(bc.data), 12)
yb = bc.target
Xs = np.round(rng.normal(size=(300, 4)), 12)
ys = (Xs @ np.array([1.0, -0.5, 0.25, 0.0]) + 0.3 + rng.logistic(size=300) > 0).astype(int)
wb = np.round(rng.uniform(0.2, 3, size=len(yb)), 6)

data = {'breast_cancer': {'X': Xb.tolist(), 'y': yb.tolist()}, 'overlap': {'X': Xs.tolist(), 'y': ys.tolist()}}
cases = []
for name, params, weighted in [
    ('breast_cancer', {}, False),
    ('breast_cancer', {'C': 0.05, 'class_weight': 'balanced'}, True),
    ('breast_cancer', {'C': 3.0, 'fit_intercept': False, 'tol': 1e-8}, False),
    ('overlap', {'penalty': None}, False),
]:
    X, y = np.array(data[name]['X']), np.array(data[name]['y'])
    sw = wb if weighted else None
    m = LogisticRegression(solver='newton-cholesky', max_iter=100, **params).fit(X, y, sample_weight=sw)
    cases.append({'data': name, 'params': params, 'sample_weight': None if sw is None else sw.tolist(),
                  'coef': m.coef_[0].tolist(), 'intercept': float(m.intercept_[0]), 'n_iter': int(m.n_iter_[0])})

out = {'sklearn': sklearn.__version__, 'data': data, 'cases': cases}
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'logistic_newton_cholesky.json')
with open(path, 'w') as f:
    json.dump(out, f)
print(path, [(c['data'], c['n_iter']) for c in cases])
