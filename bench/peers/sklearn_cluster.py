"""Times scikit-learn's KMeans and DBSCAN for kiln's cluster bench on the arrays kiln wrote.

Usage: sklearn_cluster.py KM.f32 KM_N KM_D K ITERS DB.f32 DB_N DB_D EPS MIN_SAMPLES
Prints {"op": "kmeans", "fitMs", "inertia", "nIter"} and {"op": "dbscan", "fitMs", "clusters", "noise"}:
KMeans(init = the first K rows, n_init=1, max_iter=ITERS, tol=0, algorithm='lloyd'), DBSCAN(EPS, MIN_SAMPLES).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, KMeans

km_path, n, d, k, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(km_path, dtype=np.float32).reshape(n, d)
t = time.perf_counter()
m = KMeans(n_clusters=k, init=X[:k].copy(), n_init=1, max_iter=iters, tol=0, algorithm='lloyd').fit(X)
print(json.dumps({"op": "kmeans", "fitMs": (time.perf_counter() - t) * 1e3, "inertia": float(m.inertia_), "nIter": int(m.n_iter_)}), flush=True)

db_path, n, d, eps, ms = sys.argv[6], int(sys.argv[7]), int(sys.argv[8]), float(sys.argv[9]), int(sys.argv[10])
X = np.fromfile(db_path, dtype=np.float32).reshape(n, d)
t = time.perf_counter()
db = DBSCAN(eps=eps, min_samples=ms).fit(X)
print(json.dumps({"op": "dbscan", "fitMs": (time.perf_counter() - t) * 1e3, "clusters": int(db.labels_.max() + 1), "noise": int((db.labels_ == -1).sum())}), flush=True)
