"""Parity fixtures for kiln's clustering and outlier detection (schema: test/fixtures/sklearn/README.md).

Run with Debian's scikit-learn 1.2:  /usr/bin/python3 test/fixtures-scripts/gen_cluster.py
Writes test/fixtures/sklearn/<dataset>.{cluster_metrics,dbscan,local_outlier_factor,isolation_forest}.json.
Deterministic: re-running rewrites identical bytes. Data as the kmeans fixtures: the TRAIN rows of
the permutation split, standardised with the train mean and standard deviation (ddof=0).
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn import datasets
from sklearn.cluster import DBSCAN, KMeans
from sklearn.ensemble import IsolationForest
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score,
                             homogeneity_completeness_v_measure, normalized_mutual_info_score,
                             silhouette_samples, silhouette_score)
from sklearn.neighbors import LocalOutlierFactor

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')
LOADERS = {'iris': datasets.load_iris, 'wine': datasets.load_wine, 'breast_cancer': datasets.load_breast_cancer}
SPLIT = {'method': 'perm = numpy.random.RandomState(0).permutation(n_rows); train = perm[:floor(0.75*n_rows)], test = perm[floor(0.75*n_rows):] (rows kept in permutation order)'}


def num(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isnan(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if isinstance(v, np.ndarray):
        return [num(x) for x in v.tolist()] if v.ndim == 1 else [num(r) for r in v]
    if isinstance(v, list):
        return [num(x) for x in v]
    return v


def data(name):
    b = LOADERS[name]()
    X, y = b.data.astype(np.float64), b.target
    n = X.shape[0]
    perm = np.random.RandomState(0).permutation(n)
    ntr = int(np.floor(0.75 * n))
    tr, te = perm[:ntr], perm[ntr:]
    mu, sd = X[tr].mean(axis=0), X[tr].std(axis=0)
    return (X[tr] - mu) / sd, y[tr], (X[te] - mu) / sd, list(b.feature_names), dict(SPLIT, n_rows=n, n_train=len(tr), n_test=len(te))


def write(ds, op, callable_, params, inp, expected, tolerance, compare=None, kind='parity', notes='', split=None, info=None):
    doc = {'schema_version': 1, 'dataset': ds, 'op': op, 'kind': kind, 'callable': callable_, 'sklearn': sklearn.__version__,
           'scipy': scipy.__version__, 'numpy': np.__version__, 'params': params, 'x_format': 'matrix',
           'input': {k: num(v) for k, v in inp.items()}, 'expected': {k: num(v) for k, v in expected.items()},
           'tolerance': tolerance}
    if compare:
        doc['compare'] = compare
    if info:
        doc['info'] = info
    doc['source'] = f'sklearn.datasets.load_{ds}()'
    doc['split'] = split
    doc['notes'] = 'X (and X_test) are standardised with the TRAIN mean and standard deviation (ddof=0); use them as given. ' + notes
    with open(os.path.join(OUT, f'{ds}.{op}.json'), 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')


DBSCAN_EPS = {'iris': (0.6, 5), 'wine': (2.0, 4), 'breast_cancer': (2.5, 5)}

for ds in ['iris', 'wine', 'breast_cancer']:
    X, y, Xt, names, split = data(ds)
    k = len(np.unique(y))
    pred = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).labels_
    h, c, v = homogeneity_completeness_v_measure(y, pred)
    write(ds, 'cluster_metrics', 'sklearn.metrics (clustering)', {'labels_pred': f'KMeans(n_clusters={k}, n_init=10, random_state=0).fit(X).labels_'},
          {'X': X, 'labels_true': y, 'labels_pred': pred, 'feature_names': names},
          {'silhouette_samples': silhouette_samples(X, pred), 'silhouette_score': silhouette_score(X, pred),
           'silhouette_samples_true': silhouette_samples(X, y),
           'davies_bouldin_score': davies_bouldin_score(X, pred), 'calinski_harabasz_score': calinski_harabasz_score(X, pred),
           'adjusted_rand_score': adjusted_rand_score(y, pred), 'normalized_mutual_info_score': normalized_mutual_info_score(y, pred),
           'normalized_mutual_info_score_geometric': normalized_mutual_info_score(y, pred, average_method='geometric'),
           'homogeneity': h, 'completeness': c, 'v_measure': v},
          {'rtol': 1e-9, 'atol': 1e-12, 'per_key': {'silhouette_samples': {'rtol': 1e-7, 'atol': 1e-9}, 'silhouette_samples_true': {'rtol': 1e-7, 'atol': 1e-9},
                                                    'silhouette_score': {'rtol': 1e-7, 'atol': 1e-9}}},
          notes='labels_true are the dataset classes, labels_pred a KMeans clustering of X (stored). Silhouettes use euclidean distances, which scikit-learn computes '
                'by the dot-product expansion (about 1e-8 relative error on near points): hence rtol 1e-7 there.', split=split)

    eps, ms = DBSCAN_EPS[ds]
    db = DBSCAN(eps=eps, min_samples=ms).fit(X)
    write(ds, 'dbscan', 'sklearn.cluster.DBSCAN', {'eps': eps, 'min_samples': ms, 'metric': 'euclidean'},
          {'X': X, 'feature_names': names},
          {'labels_': db.labels_, 'core_sample_indices_': db.core_sample_indices_},
          {'rtol': 0, 'atol': 0}, compare={'labels_': 'exact', 'core_sample_indices_': 'exact'},
          notes='Labels are deterministic (clusters numbered in order of their first core point, noise -1).', split=split,
          info={'n_clusters': int(db.labels_.max() + 1), 'n_noise': int((db.labels_ == -1).sum())})

    if ds != 'iris':  # iris has duplicate rows: k-NN ties make LOF implementation-dependent
        lof = LocalOutlierFactor(n_neighbors=20).fit(X)
        fp = LocalOutlierFactor(n_neighbors=20, contamination=0.1).fit_predict(X)
        nov = LocalOutlierFactor(n_neighbors=20, novelty=True).fit(X)
        write(ds, 'local_outlier_factor', 'sklearn.neighbors.LocalOutlierFactor', {'n_neighbors': 20, 'contamination': 'auto / 0.1 (fit_predict_contamination_0_1)'},
              {'X': X, 'X_test': Xt, 'feature_names': names},
              {'negative_outlier_factor_': lof.negative_outlier_factor_, 'offset_': lof.offset_,
               'fit_predict_contamination_0_1': fp,
               'score_samples_test': nov.score_samples(Xt), 'decision_function_test': nov.decision_function(Xt), 'predict_test': nov.predict(Xt)},
              {'rtol': 1e-9, 'atol': 1e-12}, compare={'fit_predict_contamination_0_1': 'exact', 'predict_test': 'exact'},
              notes='novelty=False for negative_outlier_factor_ and fit_predict; novelty=True for the *_test keys (fitted on X).', split=split)

    iso = IsolationForest(n_estimators=200, random_state=0).fit(X)
    iso01 = IsolationForest(n_estimators=200, contamination=0.1, random_state=0).fit(X)
    write(ds, 'isolation_forest', 'sklearn.ensemble.IsolationForest', {'n_estimators': 200, 'max_samples': 'auto', 'random_state': 0},
          {'X': X, 'X_test': Xt, 'feature_names': names},
          {'score_samples': iso.score_samples(X), 'score_samples_test': iso.score_samples(Xt), 'offset_': iso.offset_,
           'predict_contamination_0_1': iso01.predict(X)},
          {'rtol': 0, 'atol': 0}, kind='quality',
          compare={'score_samples': 'ignore', 'score_samples_test': 'ignore', 'offset_': 'ignore', 'predict_contamination_0_1': 'ignore'},
          notes='Random trees: scores are not reproducible across implementations. A faithful IsolationForest agrees in distribution: '
                'Spearman correlation of score_samples with these >= 0.9, mean score within 0.02, offset_ -0.5 for contamination auto, '
                'and with contamination 0.1 about 10% of rows predicted -1.', split=split)
    print(ds, 'dbscan clusters', db.labels_.max() + 1, 'noise', (db.labels_ == -1).sum())
