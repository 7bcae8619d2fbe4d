"""Generates test/fixtures/sklearn/ranking_lambdarank.json: learning to rank on synthetic query
groups, for kiln's GradientBoostingRanker against XGBoost 1.7's XGBRanker(objective='rank:ndcg').
The data (train and held-out queries, group sizes, relevance 0..4) and XGBoost's held-out NDCG@k
as LightGBM / XGBoost define it (gain 2^rel - 1, discount 1 / log2(1 + rank), ties in row order,
a query of equal labels scores 1), with XGBoost's held-out scores so the test can check its own
NDCG against this one. Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_ranking.py
"""
import json
import os

import numpy as np
import xgboost as xgb

rng = np.random.RandomState(0)
p = 8
r4 = lambda a: np.round(np.asarray(a, dtype=float), 4)


def queries(count):
    sizes = rng.randint(5, 26, size=count)
    n = int(sizes.sum())
    X = r4(rng.normal(size=(n, p)))
    latent = X[:, 0] + 0.8 * np.sin(2 * X[:, 1]) + 0.5 * X[:, 2] * X[:, 3] - 0.4 * np.abs(X[:, 4]) + 0.5 * rng.normal(size=n)
    y = np.digitize(latent, [0.0, 0.8, 1.5, 2.2])  # relevance 0..4, most rows 0 or 1
    return X, y.astype(int), sizes


def ndcg(y, s, sizes, k):
    total, b = 0.0, 0
    for m in sizes:
        yy, ss = y[b:b + m], s[b:b + m]
        b += m
        order = np.argsort(-ss, kind='stable')
        disc = 1 / np.log2(np.arange(2, m + 2))
        ideal = np.sum((2.0 ** np.sort(yy)[::-1] - 1)[:k] * disc[:k])
        dcg = np.sum((2.0 ** yy[order] - 1)[:k] * disc[:k])
        total += dcg / ideal if ideal > 0 else 1.0
    return total / len(sizes)


X_train, y_train, g_train = queries(250)
X_test, y_test, g_test = queries(100)
params = dict(n_estimators=100, learning_rate=0.1, max_depth=6, tree_method='hist', random_state=0)
model = xgb.XGBRanker(objective='rank:ndcg', **params)
model.fit(X_train, y_train, group=g_train)
s_test = model.predict(X_test).astype(np.float64)
out = {
    'xgboost': xgb.__version__,
    'params': params,
    'p': p,
    'train': {'X': X_train.ravel().tolist(), 'y': y_train.tolist(), 'group': g_train.tolist()},
    'test': {'X': X_test.ravel().tolist(), 'y': y_test.tolist(), 'group': g_test.tolist()},
    'xgb_test_scores': [float(v) for v in s_test],
    'xgb_ndcg': {str(k): ndcg(y_test, s_test, g_test, k) for k in (5, 10)},
    'random_ndcg': {str(k): ndcg(y_test, rng.normal(size=len(y_test)), g_test, k) for k in (5, 10)},
}
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'ranking_lambdarank.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print({k: out[k] for k in ('xgb_ndcg', 'random_ndcg')}, len(y_train), len(y_test), np.bincount(y_train))
