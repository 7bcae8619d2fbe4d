"""Times pandas on kiln's table bench (bench/table.bench.ts), on the arrays kiln wrote: mean and count
of delay by origin (groupby) and a left join of a 229-row airport table (merge), with origin held
as Python strings (object dtype, what pandas reads text as) and as a pandas Categorical (the
representation kiln's Frame uses).

Usage: pandas_table.py DELAY.f64 ORIGIN.txt AIRPORTS.txt REPEATS
  DELAY is N float64; ORIGIN has N lines; AIRPORTS has one "code,attribute" line per airport.
Prints one JSON line per representation: {"repr", "groupByMs", "joinMs", "meanSum", "countSum",
"joinRows", "joinAttrSum"} with the median time of REPEATS runs after one warm-up run.
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd

delay = np.fromfile(sys.argv[1], dtype=np.float64)
with open(sys.argv[2]) as f:
    origin = f.read().split("\n")[: delay.shape[0]]
with open(sys.argv[3]) as f:
    pairs = [line.split(",") for line in f.read().strip().split("\n")]
repeats = int(sys.argv[4])
airports = pd.DataFrame({"origin": [p[0] for p in pairs], "elevation": [float(p[1]) for p in pairs]})


def timed(fn):
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), out


for name in ["object", "category"]:
    df = pd.DataFrame({"delay": delay, "origin": pd.Series(origin, dtype=object)})
    right = airports
    if name == "category":
        df["origin"] = df["origin"].astype("category")
        right = airports.assign(origin=pd.Categorical(airports["origin"], categories=df["origin"].cat.categories))
    group_ms, g = timed(lambda: df.groupby("origin", observed=True)["delay"].agg(["mean", "count"]))
    join_ms, j = timed(lambda: df.merge(right, on="origin", how="left"))
    print(json.dumps({
        "repr": name,
        "groupByMs": group_ms,
        "joinMs": join_ms,
        "groups": int(len(g)),
        "meanSum": float(g["mean"].sum()),
        "countSum": int(g["count"].sum()),
        "joinRows": int(len(j)),
        "joinAttrSum": float(j["elevation"].sum()),
    }), flush=True)
