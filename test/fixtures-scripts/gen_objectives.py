"""Generates test/fixtures/sklearn/objectives.json: the boosting objectives of kiln's
GradientBoostingRegressor against their peers on small fixed data, inputs included —
scikit-learn 1.2's HistGradientBoostingRegressor (loss='poisson' | 'quantile') and XGBoost 1.7
(reg:gamma, reg:tweedie; scikit-learn 1.2 has no gamma loss). Per case: the peer's baseline (raw
init score), its predictions on held-out rows and its held-out deviance / pinball loss; plus
one-round stumps on two well-separated clusters, whose leaf values are closed forms both sides
compute the same way; and scikit-learn's monotonic_cst on a target that pulls against it, and its interaction_cst. Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_objectives.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_gamma_deviance, mean_pinball_loss, mean_poisson_deviance, mean_tweedie_deviance

warnings.simplefilter('ignore')
rng = np.random.RandomState(0)
r6 = lambda a: np.round(np.asarray(a, dtype=float), 6)
rows = lambda a: [float('%.12g' % v) for v in np.asarray(a, dtype=float).ravel()]
exact = lambda a: [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]

n_train, n_test, p = 800, 400, 5
X = r6(rng.normal(size=(n_train + n_test, p)))
eta = 0.6 * X[:, 0] - 0.4 * X[:, 1] + 0.3 * np.sin(2 * X[:, 2]) + 0.2 * (X[:, 3] > 0.5)
mu = np.exp(eta)
targets = {
    'poisson': rng.poisson(mu).astype(float),
    'gamma': r6(rng.gamma(shape=2.0, scale=mu / 2.0)),
    # compound Poisson-gamma (Tweedie with 1 < power < 2): a Poisson count of gamma draws, many zeros
    'tweedie': r6([rng.gamma(2.0, 0.5, size=k).sum() for k in rng.poisson(mu * 0.8)]),
    'quantile': r6(X[:, 0] + (0.5 + 0.5 * np.abs(X[:, 1])) * rng.normal(size=n_train + n_test)),
}
tr, te = slice(0, n_train), slice(n_train, None)
out = {'sklearn': sklearn.__version__, 'xgboost': xgb.__version__, 'X': [rows(r) for r in X], 'n_train': n_train, 'cases': {}}

# scikit-learn's defaults that kiln shares: 31 leaves, 20 rows a leaf, 255 bins, no L2, shrinkage 0.1
# 30 rounds: past ~50 both sides overfit 800 rows and held-out scores drift apart by chance
hgb = dict(max_iter=30, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0,
           max_bins=255, early_stopping=False, random_state=0)
for loss, extra in (('poisson', {}), ('quantile', {'quantile': 0.9})):
    y = targets[loss]
    m = HistGradientBoostingRegressor(loss=loss, **hgb, **extra).fit(X[tr], y[tr])
    pred = m.predict(X[te])
    score = mean_poisson_deviance(y[te], pred) if loss == 'poisson' else mean_pinball_loss(y[te], pred, alpha=0.9)
    out['cases'][loss] = {'peer': 'sklearn', 'params': {'loss': loss, 'alpha': 0.9} if loss == 'quantile' else {'loss': loss},
                          'y': rows(y), 'init': float(m._baseline_prediction.ravel()[0]), 'pred': rows(pred), 'score': float(score)}

# XGBoost with the hyperparameters kiln can mirror: leaf-wise (lossguide) 31 leaves, min_child_weight
# as minSumHessianInLeaf, reg_lambda as lambdaL2, base_score the mean target (kiln's log-of-mean init).
for loss, obj, extra in (('gamma', 'reg:gamma', {}), ('tweedie', 'reg:tweedie', {'tweedie_variance_power': 1.5})):
    y = targets[loss]
    params = dict(objective=obj, tree_method='hist', grow_policy='lossguide', max_depth=0, max_leaves=31, max_bin=255,
                  learning_rate=0.1, min_child_weight=1.0, reg_lambda=1.0, base_score=float(np.mean(y[tr])), **extra)
    d = xgb.DMatrix(X[tr], label=y[tr])
    b = xgb.train(params, d, num_boost_round=30)
    pred = b.predict(xgb.DMatrix(X[te]))
    score = mean_gamma_deviance(y[te], pred) if loss == 'gamma' else mean_tweedie_deviance(y[te], pred, power=1.5)
    kp = {'loss': loss, 'tweediePower': 1.5} if loss == 'tweedie' else {'loss': loss}
    out['cases'][loss] = {'peer': 'xgboost', 'params': kp, 'y': rows(y), 'init': float(np.log(np.mean(y[tr]))),
                          'pred': rows(pred), 'score': float(score)}

# Monotonic constraints (scikit-learn's monotonic_cst): a target that wiggles against the trend
# of x0 (up) and x1 (down); ten rounds, so kiln's trees can be held to scikit-learn's.
y_mono = r6(X[:, 0] + np.sin(3 * X[:, 0]) - X[:, 1] - 0.8 * np.cos(4 * X[:, 1]) + 0.5 * X[:, 2] + 0.3 * rng.normal(size=len(X)))
mono = HistGradientBoostingRegressor(max_iter=10, monotonic_cst=[1, -1, 0, 0, 0], **{k: v for k, v in hgb.items() if k != 'max_iter'})
mono.fit(X[tr], y_mono[tr])
out['monotonic'] = {'peer': 'sklearn', 'constraints': [1, -1, 0, 0, 0], 'rounds': 10, 'y': rows(y_mono),
                    'pred': exact(mono.predict(X[te]))}

# Interaction constraints (scikit-learn's interaction_cst): groups {0, 1} and {2, 3}, feature 4 a
# group of its own (scikit-learn's rule for features left out), on a target with cross terms.
y_int = r6(X[:, 0] * X[:, 2] + X[:, 1] * X[:, 3] + X[:, 0] + 0.5 * X[:, 4] + 0.3 * rng.normal(size=len(X)))
inter = HistGradientBoostingRegressor(max_iter=10, interaction_cst=[[0, 1], [2, 3]], **{k: v for k, v in hgb.items() if k != 'max_iter'})
inter.fit(X[tr], y_int[tr])
# scikit-learn sums gradients in f32, so near-tied cuts may go the other way than kiln's f64:
# the tests compare held-out squared error, not trees
out['interaction'] = {'peer': 'sklearn', 'groups': [[0, 1], [2, 3]], 'rounds': 10, 'y': rows(y_int),
                      'pred': exact(inter.predict(X[te]))}

# Stumps: one feature, two clusters (0..9 and 20..29), one round, shrinkage 1, no regularisation
# (the quantile stump at alpha 0.5, so the baseline sits between the clusters and the split is theirs).
xs = np.concatenate([np.arange(10), np.arange(20, 30)]).astype(float)
ys = {'poisson': np.array([0, 1, 2, 1, 0, 1, 3, 1, 0, 1, 5, 7, 6, 9, 4, 6, 8, 5, 7, 6], dtype=float),
      'quantile': np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 31, 33, 36, 40, 45, 51, 58, 66, 75], dtype=float)}
ys['gamma'] = ys['quantile'] / 10.0
ys['tweedie'] = ys['poisson']
stumps = {}
for loss in ('poisson', 'quantile'):
    m = HistGradientBoostingRegressor(loss=loss, max_iter=1, learning_rate=1.0, max_leaf_nodes=2, min_samples_leaf=1,
                                      l2_regularization=0.0, early_stopping=False, **({'quantile': 0.5} if loss == 'quantile' else {}))
    m.fit(xs[:, None], ys[loss])
    stumps[loss] = {'peer': 'sklearn', 'y': rows(ys[loss]), 'init': float(m._baseline_prediction.ravel()[0]),
                    'raw': exact(m._raw_predict(xs[:, None]).ravel())}
for loss, obj, extra in (('gamma', 'reg:gamma', {}), ('tweedie', 'reg:tweedie', {'tweedie_variance_power': 1.5})):
    y = ys[loss]
    params = dict(objective=obj, tree_method='hist', max_depth=1, learning_rate=1.0, min_child_weight=0.0, reg_lambda=0.0,
                  base_score=float(np.mean(y)), **extra)
    b = xgb.train(params, xgb.DMatrix(xs[:, None], label=y), num_boost_round=1)
    stumps[loss] = {'peer': 'xgboost', 'y': rows(y), 'init': float(np.log(np.mean(y))),
                    'raw': exact(b.predict(xgb.DMatrix(xs[:, None]), output_margin=True))}
out['stumps'] = {'x': rows(xs), 'cases': stumps}

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'objectives.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
    f.write('\n')
print('wrote', path, {k: round(v['score'], 5) for k, v in out['cases'].items()})
