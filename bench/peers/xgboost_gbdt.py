"""XGBoost `hist` on the arrays kiln's gbdt bench wrote, with the same parameters.

Usage: xgboost_gbdt.py DIR ROUNDS THREADS CATEGORICAL(0|1); prints one JSON line
{fitMs, predictMs, baseRssMb, peakRssMb, trainExtraMb}; writes DIR/xgb-proba-C.f64.
Peak memory from getrusage (ru_maxrss), the baseline after loading the arrays.
"""
import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb

d, rounds, threads, cat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
meta = json.load(open(f"{d}/meta.json"))
p = meta["p"]
xtr = np.fromfile(f"{d}/xtrain.f64").reshape(-1, p)
ytr = np.fromfile(f"{d}/ytrain.f64")
xte = np.fromfile(f"{d}/xtest.f64").reshape(-1, p)


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


base = rss_mb()
types = ["c" if (cat and j in meta["categorical"]) else "q" for j in range(p)]
params = {
    "objective": "binary:logistic", "tree_method": "hist", "max_bin": 255, "eta": 0.1, "max_leaves": 31,
    "grow_policy": "lossguide", "max_depth": 0, "nthread": threads, "min_child_weight": 1,
    "eval_metric": "logloss",
}
if cat:
    params["max_cat_to_onehot"] = 4
t0 = time.perf_counter()
dtrain = xgb.DMatrix(xtr, label=ytr, feature_types=types, enable_categorical=cat, nthread=threads)
booster = xgb.train(params, dtrain, num_boost_round=rounds)
fit_ms = (time.perf_counter() - t0) * 1e3
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t1 = time.perf_counter()
dtest = xgb.DMatrix(xte, feature_types=types, enable_categorical=cat, nthread=threads)
proba = booster.predict(dtest)
predict_ms = (time.perf_counter() - t1) * 1e3
proba.astype(np.float64).tofile(f"{d}/xgb-proba-{int(cat)}.f64")
print(json.dumps({"fitMs": fit_ms, "predictMs": predict_ms, "baseRssMb": base, "peakRssMb": peak, "trainExtraMb": peak - base}))
