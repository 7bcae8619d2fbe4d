"""Times scikit-learn's TSNE (Barnes-Hut, init 'pca', learning_rate 'auto') for kiln's
decomposition bench, on the array kiln wrote.

Usage: sklearn_tsne.py X.f32 ROWS COLS ; prints one JSON line: {"fitMs", "trust"} where trust
is trustworthiness(X, embedding, n_neighbors=5) on the first 2,000 rows' embedding.
"""
import json
import sys
import time

import numpy as np
from sklearn.manifold import TSNE, trustworthiness

rows, cols = int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(sys.argv[1], dtype=np.float32).reshape(rows, cols).astype(np.float64)
t = time.perf_counter()
E = TSNE(n_components=2, init="pca", learning_rate="auto", random_state=0).fit_transform(X)
ms = (time.perf_counter() - t) * 1e3
m = min(rows, 2000)
print(json.dumps({"fitMs": ms, "trust": float(trustworthiness(X[:m], E[:m], n_neighbors=5))}), flush=True)
