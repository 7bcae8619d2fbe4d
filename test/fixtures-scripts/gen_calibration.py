"""Generates test/fixtures/sklearn/calibration.json: scikit-learn 1.2's IsotonicRegression,
calibration_curve and CalibratedClassifierCV on fixed data, inputs included (breast_cancer
standardised and iris, both from sklearn.datasets; a seeded 1-D regression with ties and weights).
Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_calibration.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler

warnings.simplefilter('ignore')
rng = np.random.RandomState(3)
out = {'sklearn': sklearn.__version__, 'isotonic': [], 'curve': [], 'calibrated': [], 'data': {}}

# isotonic regression: ties in x, weights, both directions, bounds, out of bounds
x = np.round(rng.uniform(0, 10, size=80), 1)
y = np.sin(x / 3) * 2 + rng.normal(0, 0.5, size=80)
w = rng.uniform(0.2, 3, size=80)
grid = np.linspace(-1, 11, 49)
for params, weighted in [({}, False), ({}, True), ({'increasing': False}, False), ({'increasing': 'auto'}, True),
                         ({'y_min': -0.5, 'y_max': 1.2, 'out_of_bounds': 'clip'}, True)]:
    m = IsotonicRegression(**params).fit(x, y, sample_weight=w if weighted else None)
    out['isotonic'].append({'params': params, 'weighted': weighted, 'x': x.tolist(), 'y': y.tolist(), 'w': w.tolist(), 'grid': grid.tolist(),
                            'x_thresholds': m.X_thresholds_.tolist(), 'y_thresholds': m.y_thresholds_.tolist(),
                            'predict': [None if np.isnan(v) else float(v) for v in m.predict(grid)], 'increasing': bool(m.increasing_)})

# calibration curve
yt = rng.randint(0, 2, size=200)
yp = np.clip(yt * 0.3 + rng.uniform(0, 0.7, size=200), 0, 1)
for strategy, n_bins in [('uniform', 5), ('uniform', 10), ('quantile', 4)]:
    pt, pp = calibration_curve(yt, yp, n_bins=n_bins, strategy=strategy)
    out['curve'].append({'strategy': strategy, 'n_bins': n_bins, 'y_true': yt.tolist(), 'y_prob': yp.tolist(), 'prob_true': pt.tolist(), 'prob_pred': pp.tolist()})

bc = datasets.load_breast_cancer()
Xb = StandardScaler().fit_transform(bc.data)
iris = datasets.load_iris()
for name, X, Y in [('breast_cancer', Xb, bc.target), ('iris', iris.data, iris.target)]:
    out['data'][name] = {'X': np.round(X, 12).tolist(), 'y': Y.tolist()}
    X = np.array(out['data'][name]['X'])
    for est_name, est in [('GaussianNB', GaussianNB()), ('LogisticRegression', LogisticRegression(max_iter=5000))]:
        for method in ['sigmoid', 'isotonic']:
            for ensemble in [True, False]:
                c = CalibratedClassifierCV(est, method=method, cv=3, ensemble=ensemble).fit(X, Y)
                out['calibrated'].append({'dataset': name, 'estimator': est_name, 'method': method, 'ensemble': ensemble,
                                          'proba': np.round(c.predict_proba(X), 15).tolist(),
                                          'predict': c.predict(X).tolist()})

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'calibration.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path)
