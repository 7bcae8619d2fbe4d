"""XGBoost 1.7 `XGBRanker(objective='rank:ndcg')` on the arrays kiln's ranker bench wrote.

Usage: xgboost_rank.py DIR ROUNDS THREADS; prints one JSON line {fitMs}; writes DIR/xgb-scores.f64
(held-out scores, which the bench scores with the same NDCG as kiln's). Trees as kiln's: hist,
255 bins, 31 leaves grown loss-guided, learning rate 0.1.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb

d, rounds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
meta = json.load(open(f"{d}/meta.json"))
p = meta["p"]
xtr = np.fromfile(f"{d}/xtrain.f64").reshape(-1, p)
ytr = np.fromfile(f"{d}/ytrain.f64")
xte = np.fromfile(f"{d}/xtest.f64").reshape(-1, p)
model = xgb.XGBRanker(
    objective="rank:ndcg", n_estimators=rounds, learning_rate=0.1, tree_method="hist", max_bin=255,
    grow_policy="lossguide", max_leaves=31, max_depth=0, n_jobs=threads, random_state=0,
)
t0 = time.perf_counter()
model.fit(xtr, ytr, group=meta["group"])
fit_ms = (time.perf_counter() - t0) * 1e3
model.predict(xte).astype(np.float64).tofile(f"{d}/xgb-scores.f64")
print(json.dumps({"fitMs": fit_ms}))
