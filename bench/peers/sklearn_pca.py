"""Times scikit-learn's PCA for kiln's decomposition bench, on the array kiln wrote.

Usage: sklearn_pca.py X.f32 ROWS COLS K ; X is ROWS x COLS float32. Prints one JSON line per
solver ('full', 'randomized'): {"solver", "fitMs", "ev": explained_variance_ (list)}.
"""
import json
import sys
import time

import numpy as np
from sklearn.decomposition import PCA

rows, cols, k = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(rows, cols)
for solver in ("full", "randomized"):
    t = time.perf_counter()
    m = PCA(n_components=k, svd_solver=solver, random_state=0).fit(X)
    ms = (time.perf_counter() - t) * 1e3
    print(json.dumps({"solver": solver, "fitMs": ms, "ev": [float(v) for v in m.explained_variance_]}), flush=True)
