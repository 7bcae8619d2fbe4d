"""scipy's per-feature drift statistics on the arrays kiln's drift bench wrote: ks_2samp,
wasserstein_distance, and jensenshannon over Sturges-binned shares (Evidently's recipe). Prints
one JSON line: {"seconds": total, "features": n, "ks": [...], "wasserstein": [...], "js": [...]}."""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

ref = np.fromfile(sys.argv[1], dtype=np.float64)
cur = np.fromfile(sys.argv[2], dtype=np.float64)
features = int(sys.argv[3])
ref = ref.reshape(features, -1)
cur = cur.reshape(features, -1)
ks, w, js = [], [], []
t = time.perf_counter()
for f in range(features):
    r, c = ref[f], cur[f]
    ks.append(float(stats.ks_2samp(r, c).pvalue))
    w.append(float(stats.wasserstein_distance(r, c) / np.std(r)))
    bins = np.histogram_bin_edges(np.concatenate([r, c]), bins='sturges')
    rp = np.histogram(r, bins)[0] / len(r)
    cp = np.histogram(c, bins)[0] / len(c)
    rp = np.where(rp == 0, 0.0001, rp)
    cp = np.where(cp == 0, 0.0001, cp)
    js.append(float(distance.jensenshannon(rp, cp)))
print(json.dumps({"seconds": time.perf_counter() - t, "features": features, "ks": ks, "wasserstein": w, "js": js}))
