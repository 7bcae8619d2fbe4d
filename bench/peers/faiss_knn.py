"""Times FAISS IndexFlatL2 for kiln's k-NN bench on the arrays kiln wrote.

Usage: faiss_knn.py BASE.f32 QUERIES.f32 D K THREADS... ; prints one JSON line per
thread count: {"threads", "medianMs", "runs"}; writes the indices of the first run to
QUERIES.f32.faiss-idx (int64). Run with OMP_WAIT_POLICY=PASSIVE (set by the bench).
"""
import json
import sys
import time

import faiss
import numpy as np

base_path, query_path, d, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
base = np.fromfile(base_path, dtype=np.float32).reshape(-1, d)
queries = np.fromfile(query_path, dtype=np.float32).reshape(-1, d)
index = faiss.IndexFlatL2(d)
index.add(base)
for threads in map(int, sys.argv[5:]):
    faiss.omp_set_num_threads(threads)
    _, idx = index.search(queries, k)  # warm-up
    idx.astype(np.int64).tofile(query_path + ".faiss-idx")
    times = []
    deadline = time.perf_counter() + 3.0
    while len(times) < 3 or (time.perf_counter() < deadline and len(times) < 20):
        t = time.perf_counter()
        index.search(queries, k)
        times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"threads": threads, "medianMs": times[len(times) // 2] * 1e3, "runs": len(times)}), flush=True)
