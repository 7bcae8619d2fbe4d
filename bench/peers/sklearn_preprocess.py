"""Times scikit-learn's ColumnTransformer (impute + scale 2 numeric columns, one-hot 2 string columns)
for kiln's preprocess bench, on the arrays kiln wrote.

Usage: sklearn_preprocess.py NUM.f64 CATS.txt ; NUM is N x 2 float64 (NaN = missing), CATS has
2N lines (origin, destination per row). Prints one JSON line: {"fitTransformMs", "fitTransformCpuMs" (process CPU time,
less sensitive to other work on the machine), "nnz", "cols", "numSum"}.
"""
import json
import sys
import time

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

num = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, 2)
with open(sys.argv[2]) as f:
    cats = np.array(f.read().split("\n")[: 2 * num.shape[0]], dtype=object).reshape(-1, 2)
X = np.empty((num.shape[0], 4), dtype=object)
X[:, :2] = num
X[:, 2:] = cats
ct = ColumnTransformer([
    ("num", Pipeline([("imp", SimpleImputer()), ("scale", StandardScaler())]), [0, 1]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), [2, 3]),
])
t, c = time.perf_counter(), time.process_time()
out = ct.fit_transform(X)
ms = (time.perf_counter() - t) * 1e3
cpu_ms = (time.process_time() - c) * 1e3
out = out.tocsr()
print(json.dumps({"fitTransformMs": ms, "fitTransformCpuMs": cpu_ms, "nnz": int(out.nnz), "cols": int(out.shape[1]),
                  "numSum": float(np.abs(out[:, :2].toarray()).sum())}), flush=True)
