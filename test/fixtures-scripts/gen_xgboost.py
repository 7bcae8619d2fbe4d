"""Trains the XGBoost models test/interop/xgboost.test.ts imports, once, with Debian's XGBoost
(python3-xgboost 1.7), on the parity data sets of test/fixtures/sklearn; writes each model's
JSON (save_model) and XGBoost's own margins / probabilities on the test rows (as f32, the way
XGBoost reads them) to test/fixtures/xgboost/. Run: /usr/bin/python3 test/fixtures-scripts/gen_xgboost.py
"""
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
SKLEARN = os.path.join(HERE, "..", "fixtures", "sklearn")
OUT = os.path.join(HERE, "..", "fixtures", "xgboost")


def parity(name):
    with open(os.path.join(SKLEARN, name)) as f:
        d = json.load(f)["input"]
    nan = lambda rows: np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float64)
    return nan(d["X"]), np.array(d["y"]), nan(d["X_test"])


def holes(X, seed):
    """A fifth of the cells of the first three columns missing, so default directions matter."""
    X = X.copy()
    rng = np.random.default_rng(seed)
    X[:, :3][rng.random((X.shape[0], 3)) < 0.2] = np.nan
    return X


def write(name, booster, X_test, extra):
    path = os.path.join(OUT, f"{name}.model.json")
    booster.save_model(path)
    dm = xgb.DMatrix(X_test.astype(np.float32), missing=np.nan, enable_categorical=True)
    margin = booster.predict(dm, output_margin=True)
    pred = booster.predict(dm)
    out = {
        "xgboost": xgb.__version__,
        "X_test": [[None if np.isnan(v) else float(v) for v in r] for r in np.asarray(X_test, dtype=np.float64)],
        "margin": np.asarray(margin, dtype=np.float64).tolist(),
        "prediction": np.asarray(pred, dtype=np.float64).tolist(),
        **extra,
    }
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(out, f)


def main():
    os.makedirs(OUT, exist_ok=True)
    params = {"max_depth": 4, "eta": 0.3, "seed": 0, "tree_method": "hist"}

    X, y, Xt = parity("breast_cancer.logistic_regression.json")
    X, Xt = holes(X, 1), holes(Xt, 2)
    b = xgb.train({**params, "objective": "binary:logistic"}, xgb.DMatrix(X, y, missing=np.nan), 15)
    write("breast_cancer.binary_logistic", b, Xt, {"objective": "binary:logistic"})

    X, y, Xt = parity("iris.logistic_regression.json")
    b = xgb.train({**params, "objective": "multi:softprob", "num_class": 3}, xgb.DMatrix(X, y), 10)
    write("iris.multi_softprob", b, Xt, {"objective": "multi:softprob"})

    X, y, Xt = parity("wine.logistic_regression.json")
    b = xgb.train({**params, "objective": "multi:softmax", "num_class": 3}, xgb.DMatrix(X, y), 8)
    write("wine.multi_softmax", b, Xt, {"objective": "multi:softmax"})

    X, y, Xt = parity("diabetes.linear_regression.json")
    X, Xt = holes(X, 3), holes(Xt, 4)
    b = xgb.train({**params, "objective": "reg:squarederror", "base_score": 150}, xgb.DMatrix(X, y, missing=np.nan), 20)
    write("diabetes.reg_squarederror", b, Xt, {"objective": "reg:squarederror"})

    # Categorical splits (XGBoost 1.7 writes them as split_type 1 with category lists): a
    # synthetic problem whose label depends on a 6-level category and one number.
    rng = np.random.default_rng(5)
    n = 400
    cat = rng.integers(0, 6, n)
    num = rng.normal(size=n)
    yc = ((np.isin(cat, [1, 4, 5]) & (num > -0.5)) | (num > 1.2)).astype(int)
    frame = lambda c, v: pd.DataFrame({"c": pd.Categorical(c, categories=range(6)), "x": v})
    dtrain = xgb.DMatrix(frame(cat, num), yc, enable_categorical=True)
    b = xgb.train({**params, "objective": "binary:logistic", "max_cat_to_onehot": 1}, dtrain, 6)
    ct, nt = rng.integers(0, 6, 60).astype(float), rng.normal(size=60)
    ct[::7] = np.nan
    path = os.path.join(OUT, "synthetic.categorical.model.json")
    b.save_model(path)
    dm = xgb.DMatrix(frame(ct, nt), enable_categorical=True)
    out = {
        "xgboost": xgb.__version__,
        "X_test": [[None if np.isnan(a) else float(a), float(v)] for a, v in zip(ct, np.float32(nt))],
        "margin": b.predict(dm, output_margin=True).astype(np.float64).tolist(),
        "prediction": b.predict(dm).astype(np.float64).tolist(),
        "objective": "binary:logistic",
    }
    with open(os.path.join(OUT, "synthetic.categorical.expected.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
