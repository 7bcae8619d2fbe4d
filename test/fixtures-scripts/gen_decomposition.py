"""Parity fixtures for IncrementalPCA and LinearDiscriminantAnalysis (test/fixtures/sklearn,
schema in its README). Run with /usr/bin/python3 (scikit-learn 1.2); deterministic."""
import json, math, os
import numpy as np, sklearn, scipy
from sklearn import datasets
from sklearn.decomposition import IncrementalPCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn')
SPLIT = 'perm = numpy.random.RandomState(0).permutation(n_rows); train = perm[:floor(0.75*n_rows)], test = perm[floor(0.75*n_rows):] (rows kept in permutation order)'

def clean(v):
    if isinstance(v, np.ndarray): return [clean(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)): return [clean(x) for x in v]
    if isinstance(v, (np.integer,)): return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v): return None
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    return v

def split(X, y):
    perm = np.random.RandomState(0).permutation(len(X)); k = int(math.floor(0.75 * len(X)))
    return X[perm[:k]], y[perm[:k]], X[perm[k:]], y[perm[k:]]

def write(name, op, callable_, params, X, y, Xt, yt, expected, tol, compare, notes, source, bunch):
    doc = {'schema_version': 1, 'dataset': name, 'op': op, 'kind': 'parity', 'callable': callable_,
           'sklearn': sklearn.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__,
           'params': params, 'x_format': 'matrix',
           'input': {'X': clean(X), 'y': clean(y), 'X_test': clean(Xt), 'y_test': clean(yt),
                     'feature_names': list(bunch.feature_names),
                     **({'target_names': [str(t) for t in bunch.target_names]} if hasattr(bunch, 'target_names') else {})},
           'expected': {k: clean(v) for k, v in expected.items()}, 'tolerance': tol, 'compare': compare,
           'source': source, 'split': {'method': SPLIT, 'n_rows': len(X) + len(Xt), 'n_train': len(X), 'n_test': len(Xt)},
           'notes': notes}
    with open(os.path.join(OUT, f'{name}.{op}.json'), 'w') as f:
        json.dump(doc, f, separators=(',', ':'))

SETS = {'iris': datasets.load_iris, 'wine': datasets.load_wine, 'breast_cancer': datasets.load_breast_cancer}
SIGN = ('SIGN AMBIGUITY: components/scalings are defined up to sign; for each component k find s_k = sign(dot(actual, expected)) '
        'of components_ row k (IncrementalPCA) or of transform column k (LDA), and apply it to the keyed outputs before comparing. ')

for name, loader in {**SETS, 'diabetes': lambda: datasets.load_diabetes(scaled=False)}.items():
    b = loader(); X, y, Xt, yt = split(b.data.astype(float), b.target)
    m = IncrementalPCA(n_components=2, batch_size=40).fit(X)
    T, Tt = m.transform(X), m.transform(Xt)
    scale = float(np.abs(T).max())
    write(name, 'incremental_pca', 'sklearn.decomposition.IncrementalPCA', {'n_components': 2, 'batch_size': 40}, X, y, Xt, yt,
          {'components_': m.components_, 'explained_variance_': m.explained_variance_, 'explained_variance_ratio_': m.explained_variance_ratio_,
           'singular_values_': m.singular_values_, 'mean_': m.mean_, 'var_': m.var_, 'noise_variance_': m.noise_variance_,
           'n_samples_seen_': m.n_samples_seen_, 'transform': T, 'transform_test': Tt},
          {'rtol': 1e-6, 'atol': 1e-8, 'per_key': {'components_': {'rtol': 1e-6, 'atol': 1e-7}, 'noise_variance_': {'rtol': 1e-5, 'atol': 1e-8},
           'transform': {'rtol': 1e-6, 'atol': 1e-6 * scale}, 'transform_test': {'rtol': 1e-6, 'atol': 1e-6 * scale}}},
          {'n_samples_seen_': 'exact', 'components_': 'sign_rows', 'transform': 'sign_cols', 'transform_test': 'sign_cols'},
          SIGN + 'fit with batch_size=40: batches of 40 rows (the last one joins if shorter than n_components), each a partial_fit; '
          'svd_flip is v-based here (the largest-|.| entry of each component positive).', f'sklearn.datasets.load_{name}()', b)

for name, loader in SETS.items():
    b = loader(); X, y, Xt, yt = split(b.data.astype(float), b.target)
    for op, params in [('lda_svd', {'solver': 'svd'}), ('lda_eigen', {'solver': 'eigen'}), ('lda_eigen_shrinkage', {'solver': 'eigen', 'shrinkage': 'auto'})]:
        m = LinearDiscriminantAnalysis(**params).fit(X, y)
        T = m.transform(Xt)
        scale = float(np.abs(T).max())
        write(name, op, 'sklearn.discriminant_analysis.LinearDiscriminantAnalysis', params, X, y, Xt, yt,
              {'classes_': m.classes_, 'priors_': m.priors_, 'means_': m.means_, 'coef_': m.coef_, 'intercept_': m.intercept_,
               'explained_variance_ratio_': m.explained_variance_ratio_, 'predict_test': m.predict(Xt),
               'predict_proba_test': m.predict_proba(Xt), 'decision_function_test': m.decision_function(Xt), 'transform_test': T},
              {'rtol': 1e-6, 'atol': 1e-8, 'per_key': {'coef_': {'rtol': 1e-5, 'atol': 1e-6 * float(np.abs(m.coef_).max())},
               'intercept_': {'rtol': 1e-5, 'atol': 1e-6 * float(np.abs(m.intercept_).max())},
               'decision_function_test': {'rtol': 1e-5, 'atol': 1e-6 * float(np.abs(m.decision_function(Xt)).max())},
               'predict_proba_test': {'rtol': 1e-5, 'atol': 1e-7}, 'explained_variance_ratio_': {'rtol': 1e-5, 'atol': 1e-8},
               'transform_test': {'rtol': 1e-5, 'atol': 1e-6 * scale}}},
              {'classes_': 'exact', 'predict_test': 'exact', 'transform_test': 'sign_cols'},
              SIGN + 'y holds class indices. coef_/intercept_ are unique (binary: one row, class 1 minus class 0). '
              "transform: solver 'svd' centres on xbar_, 'eigen' does not (scikit-learn 1.2); the eigen scalings are "
              "Sw-orthonormal generalised eigenvectors of (Sb, Sw). shrinkage='auto' is Ledoit-Wolf on standardised features.",
              f'sklearn.datasets.load_{name}()', b)
print('ok')

# t-SNE on digits-like data: the first 400 rows of load_digits (scikit-learn's own TSNE, default
# Barnes-Hut, random_state 0), and trustworthiness of a fixed embedding for the metric's parity.
from sklearn.manifold import TSNE, trustworthiness
b = datasets.load_digits(); X = b.data[:400].astype(float); y = b.target[:400]
tsne = TSNE(n_components=2, random_state=0, init='pca', learning_rate='auto', perplexity=30)
emb = tsne.fit_transform(X)
E2 = X[:, :2] + np.random.RandomState(1).normal(size=(400, 2)) * 3
doc = {'schema_version': 1, 'dataset': 'digits400', 'op': 'tsne_trustworthiness', 'kind': 'quality',
       'callable': 'sklearn.manifold.TSNE / sklearn.manifold.trustworthiness', 'sklearn': sklearn.__version__,
       'scipy': scipy.__version__, 'numpy': np.__version__,
       'params': {'n_components': 2, 'perplexity': 30, 'init': 'pca', 'learning_rate': 'auto', 'random_state': 0, 'n_neighbors': 5},
       'x_format': 'matrix', 'input': {'X': clean(X), 'y': clean(y), 'X_embedded_fixed': clean(E2)},
       'expected': {'tsne_trustworthiness': trustworthiness(X, emb, n_neighbors=5),
                    'trustworthiness_fixed': trustworthiness(X, E2, n_neighbors=5),
                    'trustworthiness_fixed_k10': trustworthiness(X, E2, n_neighbors=10),
                    'tsne_kl_divergence': float(tsne.kl_divergence_), 'tsne_n_iter': int(tsne.n_iter_)},
       'tolerance': {'rtol': 1e-12, 'atol': 1e-12, 'margin': {'tsne_trustworthiness': 0.01}, 'per_key': {'tsne_kl_divergence': {'rtol': 0.02, 'atol': 0}}},
       'compare': {'tsne_trustworthiness': 'at_least', 'tsne_n_iter': 'ignore'},
       'source': 'sklearn.datasets.load_digits(), first 400 rows', 'notes':
       'tsne_trustworthiness: trustworthiness(X, TSNE(...).fit_transform(X), n_neighbors=5) of scikit-learn\'s t-SNE; '
       'an implementation passes with at least that minus 0.01. trustworthiness_fixed*: the metric on a fixed embedding '
       '(the first two features plus N(0, 3^2) noise), exact parity. tsne_kl_divergence: kl_divergence_ of that fit '
       '(the KL of the last iteration that checked progress); another implementation of the same optimiser lands within '
       '2% (different k-NN tie order, PCA start and float summation move the local optimum).'}
with open(os.path.join(OUT, 'digits400.tsne_trustworthiness.json'), 'w') as f:
    json.dump(doc, f, separators=(',', ':'))
print('tsne ok')
