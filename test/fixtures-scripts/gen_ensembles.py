"""Generates test/fixtures/sklearn/ensembles.json: scikit-learn 1.2's VotingClassifier /
VotingRegressor, StackingClassifier / StackingRegressor, AdaBoostClassifier and the out-of-bag
scores of BaggingClassifier / BaggingRegressor, on fixed data, inputs included (iris and
breast_cancer standardised, diabetes; rows permuted once by a seeded RandomState so unshuffled
folds hold every class). Run once with Debian's python3; the tests read the JSON and never need Python:

    /usr/bin/python3 test/fixtures-scripts/gen_ensembles.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.ensemble import (AdaBoostClassifier, BaggingClassifier, BaggingRegressor, StackingClassifier,
                              StackingRegressor, VotingClassifier, VotingRegressor)
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import KFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

warnings.simplefilter('ignore')
rng = np.random.RandomState(0)


def permuted(X, y):
    p = rng.permutation(len(y))
    return X[p], y[p]


iris_X, iris_y = permuted(*datasets.load_iris(return_X_y=True))
iris_X = np.round(StandardScaler().fit_transform(iris_X), 6)
wine_X, wine_y = permuted(*datasets.load_wine(return_X_y=True))
wine_X = np.round(StandardScaler().fit_transform(wine_X), 6)
bc_X, bc_y = permuted(*datasets.load_breast_cancer(return_X_y=True))
bc_X = np.round(StandardScaler().fit_transform(bc_X), 6)
bc_small_X, bc_small_y = bc_X[:200, :6], bc_y[:200]
db_X, db_y = permuted(*datasets.load_diabetes(return_X_y=True))

out = {'sklearn': sklearn.__version__, 'data': {
    'iris': {'X': iris_X.tolist(), 'y': iris_y.tolist()},
    'wine': {'X': wine_X.tolist(), 'y': wine_y.tolist()},
    'bc_small': {'X': bc_small_X.tolist(), 'y': bc_small_y.tolist()},
    'bc': {'X': bc_X.tolist(), 'y': bc_y.tolist()},
    'diabetes': {'X': db_X.tolist(), 'y': db_y.tolist()},
}}
rows = lambda a: [[float('%.12g' % v) for v in r] if np.ndim(r) else float('%.12g' % r) for r in np.asarray(a, dtype=float)]

# ---- voting: LogisticRegression + GaussianNB + KNN (members at their defaults but k = 7)
members = lambda: [('lr', LogisticRegression(tol=1e-10, max_iter=5000)), ('nb', GaussianNB()), ('knn', KNeighborsClassifier(n_neighbors=7))]
out['voting'] = []
for data in ['iris', 'bc_small']:
    X, y = (iris_X, iris_y) if data == 'iris' else (bc_small_X, bc_small_y)
    for voting, weights in [('soft', None), ('soft', [2, 1, 0.5]), ('hard', None), ('hard', [1, 1, 3])]:
        v = VotingClassifier(members(), voting=voting, weights=weights).fit(X, y)
        case = {'data': data, 'voting': voting, 'weights': weights, 'predict': v.predict(X).tolist(), 'transform': rows(v.transform(X))}
        if voting == 'soft':
            case['predict_proba'] = rows(v.predict_proba(X))
        out['voting'].append(case)
vr = VotingRegressor([('lin', LinearRegression()), ('ridge', Ridge(alpha=10)), ('knn', KNeighborsRegressor())], weights=[1, 2, 1]).fit(db_X, db_y)
out['voting_regressor'] = {'weights': [1, 2, 1], 'predict': rows(vr.predict(db_X)), 'transform': rows(vr.transform(db_X))}

# ---- stacking: LogisticRegression members, unshuffled KFold and the int cv (StratifiedKFold)
out['stacking'] = []
for data in ['iris', 'bc_small']:
    X, y = (iris_X, iris_y) if data == 'iris' else (bc_small_X, bc_small_y)
    for cv, method, passthrough in [('kfold5', 'auto', False), (3, 'decision_function', False), ('kfold5', 'predict', True)]:
        s = StackingClassifier([('lr1', LogisticRegression(tol=1e-10, max_iter=5000)), ('lr01', LogisticRegression(C=0.1, tol=1e-10, max_iter=5000))], final_estimator=LogisticRegression(tol=1e-10, max_iter=5000),
                               cv=KFold(5) if cv == 'kfold5' else cv, stack_method=method, passthrough=passthrough).fit(X, y)
        out['stacking'].append({'data': data, 'cv': cv, 'stack_method': method, 'passthrough': passthrough,
                                'transform': rows(s.transform(X)), 'predict_proba': rows(s.predict_proba(X)), 'predict': s.predict(X).tolist()})
sr = StackingRegressor([('lin', LinearRegression()), ('ridge', Ridge(alpha=10))], final_estimator=Ridge(alpha=1), cv=KFold(5), passthrough=True).fit(db_X, db_y)
out['stacking_regressor'] = {'transform': rows(sr.transform(db_X)), 'predict': rows(sr.predict(db_X))}

# ---- AdaBoost with depth-1 stumps (iris under SAMME has stumps of equal weighted error on different
# features, which scikit-learn breaks by its random feature order: wine has no such ties)
out['adaboost'] = []
for data, algorithm, n, lr in [('wine', 'SAMME', 10, 1.0), ('bc_small', 'SAMME', 15, 0.5), ('iris', 'SAMME.R', 10, 1.0), ('bc_small', 'SAMME.R', 15, 0.5)]:
    X, y = {'iris': (iris_X, iris_y), 'wine': (wine_X, wine_y), 'bc_small': (bc_small_X, bc_small_y)}[data]
    a = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=n, learning_rate=lr, algorithm=algorithm, random_state=0).fit(X, y)
    out['adaboost'].append({'data': data, 'algorithm': algorithm, 'n_estimators': n, 'learning_rate': lr,
                            'estimator_weights': rows(a.estimator_weights_), 'estimator_errors': rows(a.estimator_errors_),
                            'decision_function': rows(a.decision_function(X)), 'predict_proba': rows(a.predict_proba(X)),
                            'accuracy': float(a.score(X, y)),
                            'staged_accuracy': [float(np.mean(p == y)) for p in a.staged_predict(X)]})

# ---- bagging: out-of-bag scores over seeds (the draws are numpy's; kiln's differ, so the tests compare the mean)
seeds = list(range(5))
oob_c = [BaggingClassifier(DecisionTreeClassifier(), n_estimators=50, oob_score=True, random_state=s).fit(bc_X, bc_y).oob_score_ for s in seeds]
oob_r = [BaggingRegressor(DecisionTreeRegressor(), n_estimators=50, oob_score=True, random_state=s).fit(db_X, db_y).oob_score_ for s in seeds]
oob_f = [BaggingClassifier(DecisionTreeClassifier(), n_estimators=50, max_samples=0.5, max_features=0.5, oob_score=True, random_state=s).fit(bc_X, bc_y).oob_score_ for s in seeds]
out['bagging'] = {'seeds': seeds, 'classifier_oob': oob_c, 'regressor_oob': oob_r, 'classifier_half_oob': oob_f}

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sklearn', 'ensembles.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print('wrote', path, os.path.getsize(path), 'bytes')
print('bagging', np.mean(oob_c), np.std(oob_c), np.mean(oob_r), np.std(oob_r), np.mean(oob_f), np.std(oob_f))
