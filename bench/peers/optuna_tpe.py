"""Optuna 3.1's TPESampler (independent and multivariate) and RandomSampler (Debian python3-optuna) on Branin (2-d) and Hartmann
(6-d): best value after N trials for each seed, and the time per trial of 100-trial TPE studies,
for kiln's study bench (bench/study.bench.ts). Same objectives, budgets and seeds as kiln's side.

Usage: optuna_tpe.py TRIALS SEEDS ; prints one JSON line.
"""
import json
import math
import sys
import time
import warnings

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
TRIALS, SEEDS = int(sys.argv[1]), int(sys.argv[2])

A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = [1.0, 1.2, 3.0, 3.2]


def branin(trial):
    x = trial.suggest_float("x", -5, 10)
    y = trial.suggest_float("y", 0, 15)
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))) for i in range(4))


out = {"optuna": optuna.__version__}
for name, fn in (("branin", branin), ("hartmann6", hartmann6)):
    for sampler_name, make in (
        ("tpe", lambda s: optuna.samplers.TPESampler(seed=s)),
        ("tpe_multivariate", lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True)),
        ("random", lambda s: optuna.samplers.RandomSampler(seed=s)),
    ):
        bests = []
        for seed in range(SEEDS):
            study = optuna.create_study(sampler=make(seed))
            study.optimize(fn, n_trials=TRIALS)
            bests.append(study.best_value)
        out[f"{name}_{sampler_name}"] = bests

# time per trial of a 100-trial TPE study on Branin (the objective costs microseconds)
per_trial = []
last10 = []
for seed in range(3):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    stamps = []
    study.optimize(branin, n_trials=100, callbacks=[lambda s, t: stamps.append(time.perf_counter())])
    t0 = study.trials[0].datetime_start.timestamp()
    per_trial.append((stamps[-1] - stamps[0]) / 99 * 1e3)
    last10.append((stamps[-1] - stamps[-11]) / 10 * 1e3)
out["msPerTrial100"] = float(np.median(per_trial))
out["msPerTrialLast10"] = float(np.median(last10))
print(json.dumps(out))
