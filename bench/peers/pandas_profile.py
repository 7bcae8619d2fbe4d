"""pandas on the statistics of kiln's profile bench (bench/profile.bench.ts), on the arrays kiln wrote:
describe() of the numeric columns, corr (Pearson and Spearman), value_counts of the text columns
(as pandas Categoricals, kiln's representation), isna().sum() and duplicated().sum(). Prints one JSON
line {"seconds", "peakRssMb", "rows"}.

Usage: pandas_profile.py DIR ROWS   (DIR holds date.f64 delay.f64 distance.f64 origin.txt destination.txt)
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

d, rows = sys.argv[1], int(sys.argv[2])
cols = {n: np.fromfile(os.path.join(d, f"{n}.f64"), dtype=np.float64) for n in ("date", "delay", "distance")}
for n in ("origin", "destination"):
    with open(os.path.join(d, f"{n}.txt")) as f:
        cols[n] = pd.Categorical(f.read().split("\n")[:rows])
df = pd.DataFrame(cols)
num = df[["date", "delay", "distance"]]
t = time.perf_counter()
num.describe()
num.skew()
num.kurt()
num.corr(method="pearson")
num.corr(method="spearman")
for n in ("origin", "destination"):
    df[n].value_counts()
df.isna().sum()
int(df.duplicated().sum())
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
