"""scikit-learn's GridSearchCV(HistGradientBoostingClassifier, n_jobs=2) on the arrays kiln's search
bench wrote, with the same grid, folds (unshuffled KFold(5)) and scorer (roc_auc); no refit.

Usage: sklearn_search.py DIR; prints one JSON line {fitS, bestScore, bestParams, meanTestScore}.
HistGradientBoostingClassifier: 100 rounds, 255 bins, no early stopping, codes as numbers.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, KFold

d = sys.argv[1]
meta = json.load(open(f"{d}/search-meta.json"))
X = np.fromfile(f"{d}/xsearch.f64").reshape(-1, meta["p"])
y = np.fromfile(f"{d}/ysearch.f64")
grid = {"learning_rate": [0.05, 0.1, 0.2], "max_leaf_nodes": [15, 31], "min_samples_leaf": [20, 50]}
est = HistGradientBoostingClassifier(max_iter=100, max_bins=255, early_stopping=False, l2_regularization=0.0)
t0 = time.perf_counter()
gs = GridSearchCV(est, grid, cv=KFold(5), scoring="roc_auc", n_jobs=2, refit=False).fit(X, y)
fit_s = time.perf_counter() - t0
print(json.dumps({"fitS": fit_s, "bestScore": float(gs.best_score_), "bestParams": gs.best_params_,
                  "meanTestScore": [float(v) for v in gs.cv_results_["mean_test_score"]]}))
