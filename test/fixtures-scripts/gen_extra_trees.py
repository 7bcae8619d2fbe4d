"""Generates test/fixtures/sklearn/extra_trees.json: scikit-learn 1.2's ExtraTreesClassifier /
ExtraTreesRegressor (default parameters, 100 trees) on the train/test splits of the random-forest
fixtures (breast_cancer, iris, wine, diabetes: their inputs are read from those files), scored
with five seeds: the mean and standard deviation of the test accuracy / R². kiln's ExtraTrees
draw different random thresholds (bins, not uniform values), so the tests compare scores, not
trees. Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_extra_trees.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

here = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')
out = {'sklearn': sklearn.__version__, 'seeds': [0, 1, 2, 3, 4], 'cases': {}}
for ds, op, cls in (('breast_cancer', 'random_forest_classifier', ExtraTreesClassifier),
                    ('iris', 'random_forest_classifier', ExtraTreesClassifier),
                    ('wine', 'random_forest_classifier', ExtraTreesClassifier),
                    ('diabetes', 'random_forest_regressor', ExtraTreesRegressor)):
    f = json.load(open(os.path.join(here, '%s.%s.json' % (ds, op))))
    X, y, Xt, yt = (np.asarray(f['input'][k], dtype=float) for k in ('X', 'y', 'X_test', 'y_test'))
    scores = [cls(n_estimators=100, random_state=s).fit(X, y).score(Xt, yt) for s in out['seeds']]
    out['cases'][ds] = {'fixture': '%s.%s' % (ds, op), 'estimator': cls.__name__,
                        'metric': 'r2' if cls is ExtraTreesRegressor else 'accuracy',
                        'mean': float(np.mean(scores)), 'std': float(np.std(scores)), 'scores': [float(s) for s in scores]}
with open(os.path.join(here, 'extra_trees.json'), 'w') as fh:
    json.dump(out, fh, indent=1)
    fh.write('\n')
print({k: (round(v['mean'], 4), round(v['std'], 4)) for k, v in out['cases'].items()})
