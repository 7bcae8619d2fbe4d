"""Generates test/fixtures/sklearn/multioutput_trees.json: scikit-learn 1.2's multi-output tree
regressors (a 2-D y of three outputs).

Exact cases: DecisionTreeRegressor (max_depth, min_samples_leaf, min_samples_split,
min_impurity_decrease, max_leaf_nodes, sample weights) and RandomForestRegressor without
bootstrap or feature sampling, on integer features of five values each, so kiln's histogram bins
are the values themselves and the trees can be the same. The script checks each case has one tree
only: the same predictions for 40 random_states (scikit-learn visits features in a random order,
so a tie between splits would show) and for min_impurity_decrease moved by ±1e-6 relative (no
split sits at the limit). Test rows are kept only where no node of the tree puts their value
strictly between the left child's largest and the right child's smallest training value (there
scikit-learn cuts at the midpoint of the node's values, kiln at a bin edge of the whole column).
Expected: predict on the training and test rows, feature_importances_, score (uniform R²).

Statistical cases: RandomForestRegressor (bootstrap, max_features) and ExtraTreesRegressor on a
larger problem (200 values per feature): the mean test R² over five seeds (kiln draws its own bootstrap, feature
and threshold samples, so the tests compare scores, not trees).

Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_multioutput_trees.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor

here = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')
rng = np.random.RandomState(0)

# ---- exact cases: 120 rows, 4 integer features in 0..4, 3 outputs of different scales
n, p, m = 120, 4, 3
X = rng.randint(0, 5, size=(n, p)).astype(float)
noise = rng.normal(size=(n, m))
Y = np.column_stack([
    2.0 * X[:, 0] - X[:, 1] + 0.3 * noise[:, 0],
    10.0 * (X[:, 2] > 2) + X[:, 0] * X[:, 3] + 0.5 * noise[:, 1],
    -0.5 * X[:, 1] * X[:, 2] + 0.2 * noise[:, 2],
])
Y = np.round(Y, 6)
X_test_all = rng.randint(0, 5, size=(60, p)).astype(float)
w = rng.randint(1, 4, size=n).astype(float)

CASES = [
    ('depth3', 'DecisionTreeRegressor', {'max_depth': 3}, False),
    ('leaf8', 'DecisionTreeRegressor', {'min_samples_leaf': 8}, False),
    ('split20_depth5', 'DecisionTreeRegressor', {'min_samples_split': 20, 'max_depth': 5}, False),
    ('decrease', 'DecisionTreeRegressor', {'min_impurity_decrease': 0.2, 'max_depth': 6}, False),
    ('leaves7', 'DecisionTreeRegressor', {'max_leaf_nodes': 7}, False),
    ('weighted_leaf6', 'DecisionTreeRegressor', {'min_samples_leaf': 6, 'max_depth': 5}, True),
    ('forest_all_rows', 'RandomForestRegressor', {'n_estimators': 3, 'bootstrap': False, 'max_features': None, 'max_depth': 4}, False),
]
CLASSES = {'DecisionTreeRegressor': DecisionTreeRegressor, 'RandomForestRegressor': RandomForestRegressor}


def fit(cls, params, weighted, seed, scale=1.0):
    kw = dict(params)
    if 'min_impurity_decrease' in kw:
        kw['min_impurity_decrease'] *= scale
    return CLASSES[cls](random_state=seed, **kw).fit(X, Y, sample_weight=w if weighted else None)


def unambiguous(tree, Xt):
    """Rows of Xt that never fall strictly inside a split's gap between training values."""
    t = tree.tree_
    paths = tree.decision_path(X).toarray().astype(bool)  # training rows × nodes
    keep = np.ones(len(Xt), dtype=bool)
    for node in range(t.node_count):
        if t.children_left[node] < 0:
            continue
        f = t.feature[node]
        left = X[paths[:, t.children_left[node]], f]
        right = X[paths[:, t.children_right[node]], f]
        lo, hi = left.max(), right.min()
        reach = tree.decision_path(Xt).toarray()[:, node].astype(bool)
        keep &= ~(reach & (Xt[:, f] > lo) & (Xt[:, f] < hi))
    return keep


out = {'sklearn': sklearn.__version__, 'X': X.tolist(), 'Y': Y.tolist(), 'sample_weight': w.tolist(), 'cases': []}
for name, cls, params, weighted in CASES:
    ref = fit(cls, params, weighted, 0)
    keep = np.ones(len(X_test_all), dtype=bool)
    for est in (ref.estimators_ if hasattr(ref, 'estimators_') else [ref]):
        keep &= unambiguous(est, X_test_all)
    Xt = X_test_all[keep]
    want, want_t = ref.predict(X), ref.predict(Xt)
    for seed in range(1, 40):
        other = fit(cls, params, weighted, seed)
        # the same partition sums its rows in another order: equal to rounding, a tie would differ by far more
        same = np.allclose(other.predict(X), want, rtol=1e-12, atol=1e-12) and np.allclose(other.predict(Xt), want_t, rtol=1e-12, atol=1e-12)
        assert same, (name, 'tie at seed', seed)
    if 'min_impurity_decrease' in params:
        for scale in (1 - 1e-6, 1 + 1e-6):
            assert np.allclose(fit(cls, params, weighted, 0, scale).predict(X), want, rtol=1e-12, atol=1e-12), (name, 'split at the limit')
    assert want.shape == (n, m)
    out['cases'].append({
        'name': name, 'estimator': cls, 'params': params, 'weighted': weighted,
        'X_test': Xt.tolist(),
        'predict': want.tolist(), 'predict_test': want_t.tolist(),
        'feature_importances': ref.feature_importances_.tolist(),
        'score_train': float(ref.score(X, Y)),
        'leaves': int(sum(e.get_n_leaves() for e in (ref.estimators_ if hasattr(ref, 'estimators_') else [ref]))),
    })
    print(name, 'test rows kept', int(keep.sum()), 'of', len(keep), 'leaves', out['cases'][-1]['leaves'])

# ---- statistical cases: 600 rows (400 train), 6 features of 200 values each (kiln's bins are the
# values, so the scores differ by the random draws only), 3 outputs
rs = np.random.RandomState(1)
Xs = rs.randint(0, 200, size=(600, 6)) / 40 - 2.5
Ys = np.column_stack([
    np.sin(2 * Xs[:, 0]) + Xs[:, 1] ** 2,
    Xs[:, 0] * Xs[:, 2] - Xs[:, 3],
    np.where(Xs[:, 4] > 0, 2.0, -1.0) + 0.5 * Xs[:, 1],
]) + 0.2 * rs.normal(size=(600, 3))
Xs, Ys = np.round(Xs, 6), np.round(Ys, 6)
train, test = slice(0, 400), slice(400, 600)
seeds = [0, 1, 2, 3, 4]
out['quality'] = {'X': Xs[train].tolist(), 'Y': Ys[train].tolist(), 'X_test': Xs[test].tolist(), 'Y_test': Ys[test].tolist(),
                  'seeds': seeds, 'cases': []}
for cls, params in ((RandomForestRegressor, {'n_estimators': 50}),
                    (RandomForestRegressor, {'n_estimators': 50, 'max_features': 0.5, 'min_samples_leaf': 3}),
                    (ExtraTreesRegressor, {'n_estimators': 50})):
    scores = [cls(random_state=s, **params).fit(Xs[train], Ys[train]).score(Xs[test], Ys[test]) for s in seeds]
    out['quality']['cases'].append({'estimator': cls.__name__, 'params': params,
                                    'mean': float(np.mean(scores)), 'std': float(np.std(scores)), 'scores': [float(s) for s in scores]})
    print(cls.__name__, params, round(float(np.mean(scores)), 4), round(float(np.std(scores)), 4))

with open(os.path.join(here, 'multioutput_trees.json'), 'w') as fh:
    json.dump(out, fh)
    fh.write('\n')
