"""Times scipy.stats.skew / kurtosis on one column and pandas' DataFrame.corr (pearson, spearman)
on the float64 matrix kiln wrote, for kiln's stats bench.

Usage: scipy_stats.py X.f64 ROWS COLS ; prints one JSON line of median times (ms) and check values.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

rows, cols = int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(rows, cols)
df = pd.DataFrame(X)
col0 = X[:, 0].copy()


def median_ms(fn, reps=5):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    return float(np.median(ts))


out = {
    "skewMs": median_ms(lambda: stats.skew(col0)),
    "kurtosisMs": median_ms(lambda: stats.kurtosis(col0)),
    "pearsonMs": median_ms(lambda: df.corr(method="pearson")),
    "spearmanMs": median_ms(lambda: df.corr(method="spearman"), reps=3),
    "skew": float(stats.skew(col0)),
    "pearson01": float(df.corr().iloc[0, 1]),
}
print(json.dumps(out), flush=True)
