"""Times numpy's sort and stable argsort of the float64 column kiln wrote, for kiln's order bench.

Usage: numpy_sort.py X.f64 ; prints one JSON line of median times (ms) and a checksum of the order.
"""
import json
import sys
import time

import numpy as np

x = np.fromfile(sys.argv[1], dtype=np.float64)


def median_ms(fn, reps=7):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    return float(np.median(ts))


order = np.argsort(x, kind="stable")
print(json.dumps({
    "sortMs": median_ms(lambda: np.sort(x)),
    "sortStableMs": median_ms(lambda: np.sort(x, kind="stable")),
    "argsortStableMs": median_ms(lambda: np.argsort(x, kind="stable")),
    # positions sampled across the order, to check kiln's argsort gives the same permutation
    "orderSample": [int(order[i]) for i in range(0, len(x), max(1, len(x) // 64))],
}))
