"""Times scikit-learn's LogisticRegression (lbfgs and newton-cholesky) for kiln's linear bench on the arrays kiln wrote.

Usage: sklearn_logistic.py X.f64 Y.i32 P THREADS... ; prints one JSON line per thread count and solver:
{"threads", "solver", "fitMs", "cpuMs", "nIter", "logLoss"} (median of 3 fits; the mean log-loss on the
training data), the lbfgs line with "sgdEpochsPerSec" too.
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
        for solver in ("lbfgs", "newton-cholesky"):
            LogisticRegression(solver=solver, max_iter=5).fit(X[:1000], y[:1000])  # warm-up
            times, cpus = [], []
            for _ in range(3):
                t, c = time.perf_counter(), time.process_time()
                model = LogisticRegression(solver=solver, max_iter=1000).fit(X, y)
                times.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
            row = {"threads": threads, "solver": solver, "fitMs": sorted(times)[1] * 1e3, "cpuMs": sorted(cpus)[1] * 1e3,
                   "nIter": int(model.n_iter_[0]), "logLoss": float(log_loss(y, model.predict_proba(X)))}
            if solver == "lbfgs":
                # SGD: 5 epochs of log-loss SGD (no early stop), epochs per second
                t = time.perf_counter()
                SGDClassifier(loss="log_loss", max_iter=5, tol=None, random_state=0).fit(X, y)
                row["sgdEpochsPerSec"] = 5 / (time.perf_counter() - t)
            print(json.dumps(row), flush=True)
