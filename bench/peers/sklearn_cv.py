"""Times scikit-learn's cross_validate(HistGradientBoostingClassifier) for kiln's pool bench on the arrays kiln wrote.

Usage: sklearn_cv.py X.f64 Y.i32 P FOLDS TREES NJOBS... ; prints one JSON line per n_jobs:
{"nJobs", "seconds", "meanLogLoss"} (median of 3 runs after a warm-up).
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold, cross_validate

x_path, y_path, p, folds, trees = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(x_path, dtype=np.float64).reshape(-1, p)
y = np.fromfile(y_path, dtype=np.int32)
for n_jobs in map(int, sys.argv[6:]):
    model = HistGradientBoostingClassifier(max_iter=trees, early_stopping=False, random_state=0)
    cv = KFold(folds)
    cross_validate(model, X, y, cv=cv, scoring="neg_log_loss", n_jobs=n_jobs)  # warm-up (and the pool's start)
    times, scores = [], None
    for _ in range(3):
        t = time.perf_counter()
        scores = cross_validate(model, X, y, cv=cv, scoring="neg_log_loss", n_jobs=n_jobs)["test_score"]
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"nJobs": n_jobs, "seconds": times[1], "meanLogLoss": float(-scores.mean())}), flush=True)
