"""Generates test/fixtures/drift/distances.json: scipy 1.10 / numpy values of the drift distances
kiln's monitor computes (Evidently's binning and formulas), on seeded samples. Run once with
Debian's python3 (python3-scipy python3-numpy); the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/drift_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

rng = np.random.RandomState(7)
cases = []


def binned(ref, cur, kind):
    # Evidently's get_binned_data(feel_zeroes=True)
    if kind == 'num':
        bins = np.histogram_bin_edges(list(ref) + list(cur), bins='sturges')
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = sorted(set(ref) | set(cur))
        r = np.array([list(ref).count(k) for k in keys]) / len(ref)
        c = np.array([list(cur).count(k) for k in keys]) / len(cur)
        bins = None
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return bins, r, c


def chi_pvalue(ref, cur):
    # Evidently's chi-square drift test: current counts against reference counts scaled to the current total
    keys = sorted(set(ref) | set(cur))
    k = len(cur) / len(ref)
    observed = [list(cur).count(key) for key in keys]
    expected = [list(ref).count(key) * k for key in keys]
    return float(stats.chisquare(observed, expected).pvalue)


def z_pvalue(ref, cur):
    # Evidently's two-proportion z-test
    key = sorted(set(ref) | set(cur))[0]
    r = np.array([1 if x == key else 0 for x in ref])
    c = np.array([1 if x == key else 0 for x in cur])
    n1, n2 = len(r), len(c)
    p1, p2 = r.sum() / n1, c.sum() / n2
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
    return float(2 * (1 - stats.norm.cdf(abs(z))))


def numeric_case(name, ref, cur):
    bins, r, c = binned(ref, cur, 'num')
    cases.append({
        'name': name, 'kind': 'numeric', 'reference': ref.tolist(), 'current': cur.tolist(),
        'edges': bins.tolist(), 'reference_shares': r.tolist(), 'current_shares': c.tolist(),
        'ks_pvalue': float(stats.ks_2samp(ref, cur).pvalue),
        'chisquare_pvalue': chi_pvalue([str(v) for v in ref], [str(v) for v in cur]) if len(set(ref) | set(cur)) <= 12 else None,
        'wasserstein': float(stats.wasserstein_distance(ref, cur)),
        'normed_wasserstein': float(stats.wasserstein_distance(ref, cur) / np.std(ref)),
        'jensenshannon': float(distance.jensenshannon(r, c)),
        'psi': float(np.sum((r - c) * np.log(r / c))),
        'kl': float(stats.entropy(r, c)),
        'hellinger': float(np.sqrt(np.sum((np.sqrt(r / r.sum()) - np.sqrt(c / c.sum())) ** 2)) / np.sqrt(2)),
    })


def categorical_case(name, ref, cur):
    _, r, c = binned(ref, cur, 'cat')
    cases.append({
        'name': name, 'kind': 'categorical', 'reference': list(ref), 'current': list(cur),
        'labels': sorted(set(ref) | set(cur)), 'reference_shares': r.tolist(), 'current_shares': c.tolist(),
        'chisquare_pvalue': chi_pvalue(ref, cur),
        'z_pvalue': z_pvalue(ref, cur) if len(set(ref) | set(cur)) == 2 else None,
        'jensenshannon': float(distance.jensenshannon(r, c)),
        'psi': float(np.sum((r - c) * np.log(r / c))),
        'kl': float(stats.entropy(r, c)),
        'hellinger': float(np.sqrt(np.sum((np.sqrt(r / r.sum()) - np.sqrt(c / c.sum())) ** 2)) / np.sqrt(2)),
    })


numeric_case('same distribution', rng.normal(0, 1, 600), rng.normal(0, 1, 400))
numeric_case('mean shift 0.5', rng.normal(0, 1, 600), rng.normal(0.5, 1, 400))
numeric_case('scale x2, skewed', rng.exponential(1, 1000), 2 * rng.exponential(1, 1000))
numeric_case('ties and integers', rng.randint(0, 8, 300).astype(float), rng.randint(2, 10, 257).astype(float))
numeric_case('power-of-two sizes', rng.normal(0, 1, 512), rng.normal(0.1, 1.2, 512))
cats = np.array(['a', 'b', 'c', 'd'])
categorical_case('same shares', list(rng.choice(cats, 500, p=[.4, .3, .2, .1])), list(rng.choice(cats, 300, p=[.4, .3, .2, .1])))
categorical_case('binary, shifted', list(rng.choice(['no', 'yes'], 400, p=[.7, .3])), list(rng.choice(['no', 'yes'], 300, p=[.6, .4])))
categorical_case('shifted shares and a new category', list(rng.choice(cats[:3], 500, p=[.5, .3, .2])), list(rng.choice(cats, 300, p=[.2, .3, .2, .3])))

out = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'drift', 'distances.json')
with open(out, 'w') as f:
    json.dump({'generator': 'test/fixtures-scripts/drift_fixtures.py', 'scipy': scipy.__version__, 'numpy': np.__version__, 'cases': cases}, f, separators=(',', ':'))
print('wrote', out, len(cases), 'cases')
