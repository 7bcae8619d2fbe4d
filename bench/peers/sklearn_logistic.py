"""Times scikit-learn's LogisticRegression(lbfgs) for kiln's linear bench on the arrays kiln wrote.

Usage: sklearn_logistic.py X.f64 Y.i32 P THREADS... ; prints one JSON line per thread count:
{"threads", "fitMs", "nIter", "logLoss"} (the mean log-loss on the training data).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import log_loss
from threadpoolctl import threadpool_limits

x_path, y_path, p = sys.argv[1], sys.argv[2], int(sys.argv[3])
X = np.fromfile(x_path, dtype=np.float64).reshape(-1, p)
y = np.fromfile(y_path, dtype=np.int32)
for threads in map(int, sys.argv[4:]):
    with threadpool_limits(limits=threads):
        LogisticRegression(max_iter=5).fit(X[:1000], y[:1000])  # warm-up
        times = []
        for _ in range(3):
            t = time.perf_counter()
            model = LogisticRegression(max_iter=1000).fit(X, y)
            times.append(time.perf_counter() - t)
        times.sort()
        # SGD: 5 epochs of log-loss SGD (no early stop), epochs per second
        t = time.perf_counter()
        SGDClassifier(loss="log_loss", max_iter=5, tol=None, random_state=0).fit(X, y)
        sgd_eps = 5 / (time.perf_counter() - t)
        print(json.dumps({"threads": threads, "fitMs": times[1] * 1e3, "nIter": int(model.n_iter_[0]),
                          "logLoss": float(log_loss(y, model.predict_proba(X))), "sgdEpochsPerSec": sgd_eps}), flush=True)
