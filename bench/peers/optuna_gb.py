"""Optuna 3.1's TPESampler on the study bench's third objective (bench/study-gb.ts): 5-fold
cross-validated log loss of scikit-learn's HistGradientBoostingClassifier (50 iterations, no early
stopping) over learning_rate, max_leaf_nodes, max_depth, min_samples_leaf and l2_regularization —
the same ranges as kiln's side — on the arrays kiln wrote (X then y, float64), stratified
unshuffled folds. Best value after N trials for each seed.

Usage: optuna_gb.py DATA ROWS FEATURES TRIALS SEEDS ; prints one JSON line.
"""
import json
import os
import sys
import time

# One OpenMP thread: the figures are best values (thread-independent), and on a loaded 2-core
# machine two spinning threads made each fit several times slower.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import optuna
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_score

optuna.logging.set_verbosity(optuna.logging.ERROR)
path, rows, feats, TRIALS, SEEDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
buf = np.fromfile(path, dtype="<f8")
X = buf[: rows * feats].reshape(rows, feats)
y = buf[rows * feats :].astype(int)


def objective(trial):
    model = HistGradientBoostingClassifier(
        max_iter=50,
        early_stopping=False,
        learning_rate=trial.suggest_float("learningRate", 0.01, 0.5, log=True),
        max_leaf_nodes=trial.suggest_int("maxLeaves", 4, 64, log=True),
        max_depth=trial.suggest_int("maxDepth", 2, 10),
        min_samples_leaf=trial.suggest_int("minDataInLeaf", 1, 100, log=True),
        l2_regularization=trial.suggest_float("lambdaL2", 1e-3, 10, log=True),
        random_state=0,
    )
    return -cross_val_score(model, X, y, cv=5, scoring="neg_log_loss").mean()


bests = []
t0 = time.perf_counter()
for seed in range(SEEDS):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=TRIALS)
    bests.append(study.best_value)
print(json.dumps({"optuna": optuna.__version__, "gb_tpe": bests, "seconds": time.perf_counter() - t0}))
