"""Times scikit-learn's MLPClassifier for kiln's MLP bench on the arrays kiln wrote.

Usage: sklearn_mlp.py X.f32 Y.i32 D EPOCHS THREADS... ; prints one JSON line per thread count:
{"threads", "msPerEpoch", "accuracy"} (training accuracy after EPOCHS epochs).
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

warnings.filterwarnings("ignore")
x_path, y_path, d, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(x_path, dtype=np.float32).reshape(-1, d)
y = np.fromfile(y_path, dtype=np.int32)
for threads in map(int, sys.argv[5:]):
    with threadpool_limits(limits=threads):
        model = MLPClassifier(hidden_layer_sizes=(128, 128), batch_size=256, learning_rate_init=1e-3,
                              max_iter=epochs, tol=0.0, n_iter_no_change=10**6, random_state=0)
        t = time.perf_counter()
        model.fit(X, y)
        elapsed = time.perf_counter() - t
        print(json.dumps({"threads": threads, "msPerEpoch": elapsed / epochs * 1e3, "accuracy": model.score(X, y)}), flush=True)
