"""One HistGradientBoostingClassifier fit of kiln's search-fit bench (bench/search.bench.ts), on 1
thread, best of FITS by wall and by process CPU time.

Usage: sklearn_one_fit.py DIR ROWS P FITS; prints one JSON line {"wallMs", "cpuMs"}.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

d, n, p, fits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(f"{d}/xtrain.f64")[: n * p].reshape(n, p)
y = np.fromfile(f"{d}/ytrain.f64")[:n]
wall = cpu = float("inf")
with threadpool_limits(1):
    for _ in range(fits):
        t, c = time.perf_counter(), time.process_time()
        HistGradientBoostingClassifier(max_iter=100, max_bins=255, max_leaf_nodes=31, min_samples_leaf=20,
                                       early_stopping=False, l2_regularization=0.0).fit(X, y)
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
print(json.dumps({"wallMs": wall * 1e3, "cpuMs": cpu * 1e3}))
