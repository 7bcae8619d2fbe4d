"""Times scikit-learn's IsolationForest and GaussianMixture for kiln's anomaly bench on the arrays kiln wrote.

Usage: sklearn_anomaly.py ISO.f32 ISO_N ISO_D TREES GMM.f32 GMM_N GMM_D K MAX_ITER TOL
Prints {"op": "isolation_forest", "fitMs", "scoreMs", "meanScore"}: IsolationForest(n_estimators=TREES,
random_state=0) fitted on the rows, then score_samples on the same rows; and {"op": "gaussian_mixture",
"fitMs", "nIter", "lowerBound"}: GaussianMixture(K, 'full', means_init = the first K rows, weights_init
uniform, precisions_init identity, max_iter=MAX_ITER, tol=TOL) — the initialisation kiln uses.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.mixture import GaussianMixture

path, n, d, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(path, dtype=np.float32).reshape(n, d)
t = time.perf_counter()
iso = IsolationForest(n_estimators=trees, random_state=0).fit(X)
fit_ms = (time.perf_counter() - t) * 1e3
t = time.perf_counter()
s = iso.score_samples(X)
print(json.dumps({"op": "isolation_forest", "fitMs": fit_ms, "scoreMs": (time.perf_counter() - t) * 1e3, "meanScore": float(s.mean())}), flush=True)

path, n, d, k, max_iter, tol = sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), float(sys.argv[10])
X = np.fromfile(path, dtype=np.float32).reshape(n, d).astype(np.float64)
t = time.perf_counter()
gm = GaussianMixture(n_components=k, covariance_type='full', means_init=X[:k].copy(), weights_init=np.full(k, 1.0 / k),
                     precisions_init=np.array([np.eye(d)] * k), max_iter=max_iter, tol=tol).fit(X)
print(json.dumps({"op": "gaussian_mixture", "fitMs": (time.perf_counter() - t) * 1e3, "nIter": int(gm.n_iter_), "lowerBound": float(gm.lower_bound_)}), flush=True)
