"""Generates test/fixtures/stats/two_sample.json: scipy 1.10 values of anderson_ksamp,
cramervonmises_2samp and epps_singleton_2samp on seeded samples (ties, unequal sizes, the exact
and asymptotic CvM paths, the ES small-sample correction). Run once with Debian's python3;
the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_two_sample.py
"""
import json
import os
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter('ignore')
rng = np.random.RandomState(11)


def r(a):
    return [float(v) for v in a]


samples = {
    'normal_small': [rng.normal(size=7), rng.standard_t(2, size=6)],
    'normal_20': [rng.normal(size=20), rng.normal(0.5, 1, size=15)],
    'ties_small': [np.round(rng.normal(size=12), 1), np.round(rng.normal(0.3, 1, size=9), 1)],
    'shifted_100_70': [rng.normal(size=100), rng.normal(0.3, 1.2, size=70)],
    'same_300_250': [rng.normal(size=300), rng.normal(size=250)],
    'integers_60_80': [rng.poisson(3, size=60).astype(float), rng.poisson(3.6, size=80).astype(float)],
    'exponential_30_24': [rng.exponential(size=30), rng.exponential(1.5, size=24)],
    'far_40_40': [rng.normal(size=40), rng.normal(3, 1, size=40)],
}

out = {'scipy': scipy.__version__, 'pairs': [], 'ksamp': []}
for name, (x, y) in samples.items():
    case = {'name': name, 'x': r(x), 'y': r(y)}
    a = stats.anderson_ksamp([x, y])
    case['anderson'] = {'statistic': float(a.statistic), 'pvalue': float(a.pvalue), 'critical': r(a.critical_values)}
    a2 = stats.anderson_ksamp([x, y], midrank=False)
    case['anderson_right'] = {'statistic': float(a2.statistic), 'pvalue': float(a2.pvalue)}
    c = stats.cramervonmises_2samp(x, y)
    case['cvm'] = {'statistic': float(c.statistic), 'pvalue': float(c.pvalue)}
    c2 = stats.cramervonmises_2samp(x, y, method='asymptotic')
    case['cvm_asymptotic'] = {'statistic': float(c2.statistic), 'pvalue': float(c2.pvalue)}
    if max(len(x), len(y)) <= 20:
        c3 = stats.cramervonmises_2samp(x, y, method='exact')
        case['cvm_exact'] = {'statistic': float(c3.statistic), 'pvalue': float(c3.pvalue)}
    e = stats.epps_singleton_2samp(x, y)
    case['es'] = {'statistic': float(e.statistic), 'pvalue': float(e.pvalue)}
    e2 = stats.epps_singleton_2samp(x, y, t=(0.2, 0.5, 0.9))
    case['es_t3'] = {'statistic': float(e2.statistic), 'pvalue': float(e2.pvalue)}
    out['pairs'].append(case)

three = [rng.normal(size=50), rng.normal(size=30), rng.normal(0.2, 1, size=20)]
for midrank in (True, False):
    a = stats.anderson_ksamp(three, midrank=midrank)
    out['ksamp'].append({'samples': [r(s) for s in three], 'midrank': midrank, 'statistic': float(a.statistic),
                         'pvalue': float(a.pvalue), 'critical': r(a.critical_values)})

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stats', 'two_sample.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path)
