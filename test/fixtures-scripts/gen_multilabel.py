"""Generates test/fixtures/sklearn/multilabel.json: scikit-learn 1.2's multilabel metrics
(precision / recall / F / F-beta with every average, 'samples' included, zero_division 0 and 1,
sample weights and label subsets; hamming_loss and jaccard_score on indicator matrices and label
arrays) and MultiOutputClassifier / MultiOutputRegressor / ClassifierChain with LogisticRegression
and Ridge members, inputs included. Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_multilabel.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_multilabel_classification, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (f1_score, fbeta_score, hamming_loss, jaccard_score, precision_recall_fscore_support,
                             precision_score, recall_score)
from sklearn.model_selection import KFold, cross_val_score
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier, MultiOutputRegressor
from sklearn.preprocessing import StandardScaler

warnings.simplefilter('ignore')
rng = np.random.RandomState(0)
num = lambda v: None if v is None else (v.tolist() if isinstance(v, np.ndarray) else float(v))
rows = lambda a: [[float('%.12g' % v) for v in r] for r in np.asarray(a, dtype=float)]

# ---- metrics on indicator matrices: label 3 never true, label 4 never predicted, some empty rows
n, L = 40, 5
Yt = (rng.rand(n, L) < 0.4).astype(int)
Yp = (rng.rand(n, L) < 0.4).astype(int)
Yt[:, 3] = 0
Yp[:, 4] = 0
Yt[0] = 0
Yp[0] = 0
Yt[1] = 0
Yp[2] = 0
w = np.round(rng.rand(n) * 2, 3)
w[5] = 0
out = {'sklearn': sklearn.__version__, 'Yt': Yt.tolist(), 'Yp': Yp.tolist(), 'w': w.tolist(), 'prf': [], 'jaccard': [], 'hamming': {}}
for average in ['micro', 'macro', 'weighted', 'samples', None]:
    for zd in [0, 1]:
        for weighted in [False, True]:
            for labels in [None, [0, 2, 3]]:
                kw = dict(average=average, zero_division=zd, sample_weight=w if weighted else None, labels=labels)
                p, r, f, s = precision_recall_fscore_support(Yt, Yp, **kw)
                f2 = fbeta_score(Yt, Yp, beta=2, **kw)
                out['prf'].append({'average': average, 'zero_division': zd, 'weighted': weighted, 'labels': labels,
                                   'precision': num(p), 'recall': num(r), 'f1': num(f), 'f2': num(f2), 'support': num(s)})
                jk = dict(average=average, zero_division=zd, sample_weight=w if weighted else None, labels=labels)
                out['jaccard'].append({'kind': 'multilabel', 'average': average, 'zero_division': zd, 'weighted': weighted, 'labels': labels,
                                       'value': num(jaccard_score(Yt, Yp, **jk))})
# every label absent: the 'weighted' branches with no true samples
Z = np.zeros((4, 3), dtype=int)
Zp = np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0], [1, 0, 0]])
out['empty'] = []
for average in ['micro', 'macro', 'weighted', 'samples']:
    for zd in [0, 1]:
        out['empty'].append({'average': average, 'zero_division': zd,
                             'precision': num(precision_score(Z, Zp, average=average, zero_division=zd)),
                             'recall': num(recall_score(Z, Zp, average=average, zero_division=zd)),
                             'f1': num(f1_score(Z, Zp, average=average, zero_division=zd)),
                             'jaccard': num(jaccard_score(Z, Zp, average=average, zero_division=zd))})
out['hamming'] = {'multilabel': hamming_loss(Yt, Yp), 'multilabel_weighted': hamming_loss(Yt, Yp, sample_weight=w)}
# label arrays: multiclass and binary
yt = rng.randint(0, 4, 50)
yp = np.where(rng.rand(50) < 0.6, yt, rng.randint(0, 4, 50))
yp[yp == 3] = 2  # class 3 never predicted
wb = np.round(rng.rand(50), 3)
out['yt'], out['yp'], out['wb'] = yt.tolist(), yp.tolist(), wb.tolist()
out['hamming']['multiclass'] = hamming_loss(yt, yp)
out['hamming']['multiclass_weighted'] = hamming_loss(yt, yp, sample_weight=wb)
for average in ['micro', 'macro', 'weighted', None]:
    for weighted in [False, True]:
        out['jaccard'].append({'kind': 'multiclass', 'average': average, 'zero_division': 0, 'weighted': weighted, 'labels': None,
                               'value': num(jaccard_score(yt, yp, average=average, sample_weight=wb if weighted else None))})
ybt, ybp = (yt >= 2).astype(int), (yp >= 2).astype(int)
out['ybt'], out['ybp'] = ybt.tolist(), ybp.tolist()
out['jaccard'].append({'kind': 'binary', 'average': 'binary', 'zero_division': 0, 'weighted': False, 'labels': None,
                       'value': num(jaccard_score(ybt, ybp))})

# ---- estimators
X, Y = make_multilabel_classification(n_samples=120, n_features=6, n_classes=4, n_labels=2, random_state=1)
X = np.round(StandardScaler().fit_transform(X), 6)
lr = lambda: LogisticRegression(tol=1e-10, max_iter=5000)
out['clf'] = {'X': X.tolist(), 'Y': Y.tolist()}
moc = MultiOutputClassifier(lr()).fit(X, Y)
out['clf']['multioutput'] = {'predict': moc.predict(X).tolist(), 'predict_proba': [rows(p) for p in moc.predict_proba(X)], 'score': moc.score(X, Y)}
out['clf']['chains'] = []
for order, cv in [(None, None), ([2, 0, 3, 1], None), ([3, 1, 0, 2], 3)]:
    cc = ClassifierChain(lr(), order=order, cv=cv).fit(X, Y)
    out['clf']['chains'].append({'order': order, 'cv': cv, 'predict': cc.predict(X).tolist(), 'predict_proba': rows(cc.predict_proba(X)),
                                 'decision_function': rows(cc.decision_function(X))})
# the multilabel scorers through cross-validation (unshuffled 3-fold)
out['clf']['cv'] = {
    'multioutput_f1_samples': cross_val_score(MultiOutputClassifier(lr()), X, Y, cv=KFold(3), scoring='f1_samples').tolist(),
    'chain_jaccard_samples': cross_val_score(ClassifierChain(lr()), X, Y, cv=KFold(3), scoring='jaccard_samples').tolist(),
    'multioutput_precision_micro': cross_val_score(MultiOutputClassifier(lr()), X, Y, cv=KFold(3), scoring='precision_micro').tolist(),
}
Xr, Yr = make_regression(n_samples=80, n_features=5, n_targets=3, noise=1.0, random_state=2)
Xr, Yr = np.round(Xr, 6), np.round(Yr, 6)
mor = MultiOutputRegressor(Ridge(alpha=1.0)).fit(Xr, Yr)
out['reg'] = {'X': Xr.tolist(), 'Y': Yr.tolist(), 'predict': rows(mor.predict(Xr)), 'score': mor.score(Xr, Yr)}

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'multilabel.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path)
