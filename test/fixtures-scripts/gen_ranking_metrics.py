"""Expected values of scikit-learn 1.2's ndcg_score and dcg_score for kiln's ranking-metric tests.

Run once with Debian's python3-sklearn: python3 test/fixtures-scripts/gen_ranking_metrics.py
Writes test/fixtures/sklearn/ranking_metrics.json (inputs and outputs; the tests need no Python).
"""
import json
import os

import numpy as np
from sklearn.metrics import dcg_score, ndcg_score

rng = np.random.default_rng(7)
n, m = 12, 9
y_true = rng.integers(0, 4, size=(n, m)).astype(float)
y_true[3] = 0  # a query with no relevant item: its NDCG is 0
# scores rounded to one decimal: ties within rows, which sklearn averages over
y_tied = np.round(rng.normal(size=(n, m)), 1)
y_free = rng.normal(size=(n, m))  # no ties: ignore_ties gives the same ranking whatever the sort
weights = rng.uniform(0.5, 2.0, size=n)

cases = []
for name, scores in (("tied", y_tied), ("free", y_free)):
    for k in (None, 1, 3, 5, 20):
        for w in (None, weights):
            for ignore_ties in ((False, True) if name == "free" else (False,)):
                kw = dict(k=k, sample_weight=w, ignore_ties=ignore_ties)
                cases.append({
                    "scores": name,
                    "k": k,
                    "weighted": w is not None,
                    "ignoreTies": ignore_ties,
                    "ndcg": float(ndcg_score(y_true, scores, **kw)),
                    "dcg": float(dcg_score(y_true, scores, **kw)),
                })
# dcg with another log base
cases_base = [{"k": k, "logBase": 10, "dcg": float(dcg_score(y_true, y_tied, k=k, log_base=10))} for k in (None, 4)]

out = {
    "sklearn": __import__("sklearn").__version__,
    "yTrue": y_true.tolist(),
    "tied": y_tied.tolist(),
    "free": y_free.tolist(),
    "weights": weights.tolist(),
    "cases": cases,
    "logBase": cases_base,
}
path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "sklearn", "ranking_metrics.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(path, len(cases))
