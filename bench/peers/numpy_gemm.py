"""Times numpy float32 matmul (OpenBLAS) for kiln's gemm bench.

Reads JSON lines {"m", "n", "k", "threads", "seconds"} on stdin and answers each
with {"medianMs", "samples", "blas"}; the matrices are random in [-1, 1).
Started by bench/gemm.bench.ts with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
"""
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

rng = np.random.default_rng(1)
blas = [f"{i['internal_api']} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()]
print(json.dumps({"ready": True, "blas": blas, "numpy": np.__version__}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    m, n, k = req["m"], req["n"], req["k"]
    a = rng.random((m, k), dtype=np.float32) * 2 - 1
    b = rng.random((k, n), dtype=np.float32) * 2 - 1
    times = []
    with threadpool_limits(limits=req["threads"], user_api="blas"):
        a @ b  # warm-up
        deadline = time.perf_counter() + req["seconds"]
        while len(times) < 5 or (time.perf_counter() < deadline and len(times) < 1000):
            t = time.perf_counter()
            a @ b
            times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"medianMs": times[len(times) // 2] * 1e3, "samples": len(times)}), flush=True)
