#!/usr/bin/python3
"""Parity fixtures for IsolationForest, MinCovDet / EllipticEnvelope, GaussianMixture and
AgglomerativeClustering (scikit-learn 1.2). Run with /usr/bin/python3 from anywhere.
Writes test/fixtures/sklearn/<dataset>.<op>.json (schema: test/fixtures/sklearn/README.md) on
synthetic data drawn here with numpy's RandomState (stored inline: the tests need no Python).
Deterministic: re-running rewrites identical bytes.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.cluster import AgglomerativeClustering
from sklearn.covariance import EllipticEnvelope, MinCovDet
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.mixture import GaussianMixture

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')


def num(v):
    if isinstance(v, (np.integer, np.bool_)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if isinstance(v, np.ndarray):
        return [num(x) for x in v.tolist()] if v.ndim == 1 else [num(r) for r in v]
    if isinstance(v, list):
        return [num(x) for x in v]
    return v


def write(ds, op, callable_, params, inp, expected, tolerance, compare=None, kind='parity', notes=''):
    doc = {'schema_version': 1, 'dataset': ds, 'op': op, 'kind': kind, 'callable': callable_, 'sklearn': sklearn.__version__,
           'scipy': scipy.__version__, 'numpy': np.__version__, 'params': params, 'x_format': 'matrix',
           'input': {k: num(v) for k, v in inp.items()}, 'expected': {k: num(v) for k, v in expected.items()},
           'tolerance': tolerance}
    if compare:
        doc['compare'] = compare
    doc['source'] = 'synthetic (test/fixtures-scripts/gen_outliers.py)'
    doc['notes'] = notes
    with open(os.path.join(OUT, f'{ds}.{op}.json'), 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')


# ---- planted outliers: 400 standard-normal inliers in 6-d, 20 uniform outliers in [-3, 3]^6
rs = np.random.RandomState(0)
Xin = rs.normal(size=(400, 6))
Xout = rs.uniform(-3, 3, size=(20, 6))
X = np.vstack([Xin, Xout])
truth = np.r_[np.zeros(400), np.ones(20)]
iso = IsolationForest(n_estimators=100, random_state=0).fit(X)
s = iso.score_samples(X)
iso05 = IsolationForest(n_estimators=100, contamination=0.05, random_state=0).fit(X)
# convergence: every tree sees all rows, many trees -> scores close to their expectation
Xc = X[::4]
conv = IsolationForest(n_estimators=3000, max_samples=Xc.shape[0], random_state=0).fit(Xc)
write('planted_outliers', 'isolation_forest', 'sklearn.ensemble.IsolationForest', {'n_estimators': 100, 'random_state': 0},
      {'X': X, 'truth': truth, 'X_conv': Xc},
      {'score_samples': s, 'auc': roc_auc_score(truth, -s), 'mean_inlier': s[:400].mean(), 'mean_outlier': s[400:].mean(),
       'offset_contamination_0_05': iso05.offset_, 'n_predicted_outliers_0_05': int((iso05.predict(X) == -1).sum()),
       'score_samples_conv': conv.score_samples(Xc)},
      {'rtol': 0, 'atol': 0}, kind='quality',
      compare={k: 'ignore' for k in ['score_samples', 'auc', 'mean_inlier', 'mean_outlier', 'offset_contamination_0_05', 'n_predicted_outliers_0_05', 'score_samples_conv']},
      notes='Rows 0-399 inliers (truth 0), 400-419 outliers (truth 1). Random trees: scores agree in distribution only. '
            'auc = ROC AUC of -score_samples vs truth. score_samples_conv: n_estimators=3000, max_samples=all rows of X_conv (X[::4]): '
            'scores near their expectation over the tree randomness.')

# ---- MinCovDet / EllipticEnvelope: 180 correlated normal rows + 20 shifted
rs = np.random.RandomState(1)
C = np.array([[1.0, 0.6, 0.2], [0.6, 2.0, -0.3], [0.2, -0.3, 0.5]])
Xm = np.vstack([rs.multivariate_normal([1.0, -2.0, 0.5], C, size=180), rs.normal(size=(20, 3)) * 0.5 + np.array([6.0, 4.0, -4.0])])
mcd = MinCovDet(random_state=0).fit(Xm)
mcd75 = MinCovDet(support_fraction=0.75, random_state=0).fit(Xm)
ee = EllipticEnvelope(contamination=0.1, random_state=0).fit(Xm)
Xq = rs.normal(size=(15, 3)) * 2
write('mcd_blobs', 'min_cov_det', 'sklearn.covariance.MinCovDet', {'random_state': 0},
      {'X': Xm, 'X_query': Xq},
      {'location_': mcd.location_, 'covariance_': mcd.covariance_, 'raw_location_': mcd.raw_location_, 'raw_covariance_': mcd.raw_covariance_,
       'support_': mcd.support_, 'raw_support_': mcd.raw_support_, 'dist_': mcd.dist_, 'mahalanobis_query': mcd.mahalanobis(Xq),
       'location_sf075': mcd75.location_, 'covariance_sf075': mcd75.covariance_, 'support_sf075': mcd75.support_,
       'ee_offset_': ee.offset_, 'ee_decision_function_query': ee.decision_function(Xq), 'ee_score_samples_query': ee.score_samples(Xq),
       'ee_predict': ee.predict(Xm), 'ee_location_': ee.location_, 'ee_covariance_': ee.covariance_},
      {'rtol': 1e-8, 'atol': 1e-10},
      compare={'support_': 'exact', 'raw_support_': 'exact', 'support_sf075': 'exact', 'ee_predict': 'exact'},
      notes='Rows 0-179 from N([1,-2,0.5], C), rows 180-199 a shifted cluster. FastMCD is randomised, but on this data every start '
            'converges to the same support, so the estimates are deterministic. EllipticEnvelope(contamination=0.1, random_state=0).')

# ---- GaussianMixture: 3 blobs in 3-d, every covariance type from a given initialisation
rs = np.random.RandomState(2)
Xg = np.vstack([rs.normal(size=(100, 3)) * [1.0, 0.5, 0.8] + [0, 0, 0],
                rs.normal(size=(80, 3)) @ np.array([[1.0, 0.4, 0.0], [0.0, 0.7, 0.3], [0.0, 0.0, 0.5]]) + [4, 4, 0],
                rs.normal(size=(60, 3)) * 0.6 + [0, 5, 3]])
means_init = np.array([[0.5, 0.5, 0.5], [3.0, 3.0, 0.5], [0.5, 4.0, 2.0]])
weights_init = np.array([0.4, 0.35, 0.25])
prec_init = {
    'full': np.array([np.eye(3) * 1.5, [[1.0, 0.2, 0.0], [0.2, 1.0, 0.1], [0.0, 0.1, 1.0]], np.eye(3) * 2.0]),
    'tied': np.array([[1.0, 0.2, 0.0], [0.2, 1.0, 0.1], [0.0, 0.1, 1.0]]),
    'diag': np.array([[1.0, 2.0, 1.5], [0.8, 1.0, 1.2], [2.0, 2.0, 2.0]]),
    'spherical': np.array([1.0, 1.5, 2.0]),
}
Xgq = rs.normal(size=(10, 3)) * 2 + [1, 2, 1]
for ct in ['full', 'tied', 'diag', 'spherical']:
    gm = GaussianMixture(n_components=3, covariance_type=ct, means_init=means_init, weights_init=weights_init,
                         precisions_init=prec_init[ct], tol=1e-8, max_iter=500, reg_covar=1e-6).fit(Xg)
    gm5 = GaussianMixture(n_components=3, covariance_type=ct, means_init=means_init, weights_init=weights_init,
                          precisions_init=prec_init[ct], tol=1e-8, max_iter=5, reg_covar=1e-6).fit(Xg)
    write('gmm_blobs', f'gaussian_mixture_{ct}', 'sklearn.mixture.GaussianMixture',
          {'n_components': 3, 'covariance_type': ct, 'tol': 1e-8, 'max_iter': 500, 'reg_covar': 1e-6},
          {'X': Xg, 'X_query': Xgq, 'means_init': means_init, 'weights_init': weights_init, 'precisions_init': prec_init[ct]},
          {'weights_': gm.weights_, 'means_': gm.means_, 'covariances_': np.ravel(gm.covariances_), 'precisions_': np.ravel(gm.precisions_),
           'lower_bound_': gm.lower_bound_, 'n_iter_': gm.n_iter_, 'converged_': bool(gm.converged_),
           'score': gm.score(Xg), 'bic': gm.bic(Xg), 'aic': gm.aic(Xg), 'score_samples_query': gm.score_samples(Xgq),
           'predict_proba_query': gm.predict_proba(Xgq), 'predict': gm.predict(Xg),
           'max_iter_5_lower_bound_': gm5.lower_bound_, 'max_iter_5_means_': gm5.means_, 'max_iter_5_converged_': bool(gm5.converged_)},
          {'rtol': 1e-6, 'atol': 1e-8}, compare={'n_iter_': 'exact', 'converged_': 'exact', 'predict': 'exact', 'max_iter_5_converged_': 'exact'},
          notes='Rows 0-99, 100-179, 180-239: three blobs. Fitted from means_init, weights_init, precisions_init (so no randomness). '
                'covariances_ and precisions_ are flattened (C order) whatever their shape.')

# ---- AgglomerativeClustering: 4 blobs in 3-d, 150 rows
rs = np.random.RandomState(3)
centres = np.array([[0, 0, 0], [5, 0, 0], [0, 5, 0], [0, 0, 5]], dtype=float)
Xa = np.vstack([rs.normal(size=(s, 3)) * sc + c for s, sc, c in zip([50, 40, 35, 25], [1.0, 0.8, 1.2, 0.7], centres)])
Xa = Xa + np.abs(Xa.min()) + 0.1  # positive, so cosine is well defined and informative
exp = {}
for linkage in ['ward', 'complete', 'average', 'single']:
    ag = AgglomerativeClustering(n_clusters=4, linkage=linkage).fit(Xa)
    exp[f'labels_{linkage}'] = ag.labels_
    full = AgglomerativeClustering(n_clusters=None, distance_threshold=0, linkage=linkage).fit(Xa)
    exp[f'children_{linkage}'] = full.children_
    exp[f'distances_{linkage}'] = full.distances_
for linkage in ['complete', 'average', 'single']:
    for metric in ['manhattan', 'cosine']:
        exp[f'labels_{linkage}_{metric}'] = AgglomerativeClustering(n_clusters=4, linkage=linkage, metric=metric).fit(Xa).labels_
th = AgglomerativeClustering(n_clusters=None, distance_threshold=8.0, linkage='ward').fit(Xa)
exp['labels_ward_threshold_8'] = th.labels_
exp['n_clusters_ward_threshold_8'] = th.n_clusters_
write('agglo_blobs', 'agglomerative', 'sklearn.cluster.AgglomerativeClustering', {'n_clusters': 4},
      {'X': Xa}, exp, {'rtol': 1e-9, 'atol': 1e-10},
      compare={**{k: 'ignore' for k in exp if k.startswith('labels_') or k.startswith('children_')}, 'n_clusters_ward_threshold_8': 'exact'},
      notes='labels_* compare up to a permutation of cluster ids (adjusted Rand 1). children_*/distances_*: the full tree '
            '(distance_threshold=0). Rows: 4 blobs, shifted to positive values.')
print('ok', iso.offset_, roc_auc_score(truth, -s), mcd.support_.sum(), [GaussianMixture])
