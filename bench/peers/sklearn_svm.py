"""Times scikit-learn's SVC for kiln's svm bench on the arrays kiln wrote.

Usage: sklearn_svm.py X.f64 y.f64 N D TEST_ROWS
Prints {"op": "svc_rbf", "fitMs", "decisionMs", "nSV", "nIter", "decisionSum"}: SVC(kernel='rbf', C=1,
gamma='scale', cache_size=200, tol=1e-3) fitted on the N × D rows (the parameters kiln uses), then
decision_function on the first TEST_ROWS rows.
"""
import json
import sys
import time

import numpy as np
from sklearn.svm import SVC

xp, yp, n, d, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(xp, dtype=np.float64).reshape(n, d)
y = np.fromfile(yp, dtype=np.float64)
t = time.perf_counter()
m = SVC(kernel='rbf', C=1.0, gamma='scale', cache_size=200, tol=1e-3).fit(X, y)
fit_ms = (time.perf_counter() - t) * 1e3
t = time.perf_counter()
dec = m.decision_function(X[:test])
print(json.dumps({"op": "svc_rbf", "fitMs": fit_ms, "decisionMs": (time.perf_counter() - t) * 1e3, "nSV": int(m.support_.size),
                  "nIter": int(np.sum(m.n_iter_)), "decisionSum": float(dec.sum())}), flush=True)
