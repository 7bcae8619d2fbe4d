"""Times scikit-learn's KMeans and DBSCAN for kiln's cluster bench on the arrays kiln wrote.

Usage: sklearn_cluster.py KM.f32 KM_N KM_D K ITERS DB.f32 DB_N DB_D EPS MIN_SAMPLES
Prints {"op": "kmeans", "fitMs", "algorithm", "inertia", "nIter", "lloydMs", "elkanMs"} and
{"op": "dbscan", "fitMs", "clusters", "noise"}: KMeans(init = the first K rows, n_init=1,
max_iter=ITERS, tol=0) with algorithm='lloyd' and with 'elkan', fitMs the faster of the two (kiln's
Lloyd skips rows by bounds, so it is held to scikit-learn's best); DBSCAN(EPS, MIN_SAMPLES).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, KMeans

km_path, n, d, k, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(km_path, dtype=np.float32).reshape(n, d)
runs = {}
for algorithm in ("lloyd", "elkan"):
    t = time.perf_counter()
    m = KMeans(n_clusters=k, init=X[:k].copy(), n_init=1, max_iter=iters, tol=0, algorithm=algorithm).fit(X)
    runs[algorithm] = ((time.perf_counter() - t) * 1e3, m)
best = min(runs, key=lambda a: runs[a][0])
ms, m = runs[best]
print(json.dumps({"op": "kmeans", "fitMs": ms, "algorithm": best, "inertia": float(m.inertia_), "nIter": int(m.n_iter_),
                  "lloydMs": runs["lloyd"][0], "elkanMs": runs["elkan"][0]}), flush=True)

db_path, n, d, eps, ms = sys.argv[6], int(sys.argv[7]), int(sys.argv[8]), float(sys.argv[9]), int(sys.argv[10])
X = np.fromfile(db_path, dtype=np.float32).reshape(n, d)
t = time.perf_counter()
db = DBSCAN(eps=eps, min_samples=ms).fit(X)
print(json.dumps({"op": "dbscan", "fitMs": (time.perf_counter() - t) * 1e3, "clusters": int(db.labels_.max() + 1), "noise": int((db.labels_ == -1).sum())}), flush=True)
