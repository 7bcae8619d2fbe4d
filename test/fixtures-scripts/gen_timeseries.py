"""Writes test/fixtures/stats/timeseries.json: statsmodels 0.13 acf / pacf on two real series —
the diabetes fixture's first column (data order) and a monthly-like seasonal series built from
the iris fixture's sepal lengths (repeated pattern plus trend), read from the sklearn fixtures.

Run: /usr/bin/python3 test/fixtures-scripts/gen_timeseries.py   (deterministic)
"""
import json, os, warnings
import numpy as np
import statsmodels
from statsmodels.tsa.stattools import acf, pacf
from statsmodels.tsa.seasonal import STL, seasonal_decompose
from statsmodels.tsa.stattools import adfuller

warnings.simplefilter("ignore")
ROOT = os.path.join(os.path.dirname(__file__), "..", "fixtures")
X = np.array(json.load(open(os.path.join(ROOT, "sklearn", "diabetes.correlation.json")))["input"]["X"])
I = np.array(json.load(open(os.path.join(ROOT, "sklearn", "iris.correlation.json")))["input"]["X"])
series = {"diabetes_age": X[:, 0], "diabetes_bmi_cumsum": np.cumsum(X[:, 2] - X[:, 2].mean()), "iris_seasonal": I[:48, 0] + 0.05 * np.arange(48) + np.tile([0, 1, 2, 1], 12)}
out = {"statsmodels": statsmodels.__version__, "series": {}}
for name, x in series.items():
    a, ci, q, p = acf(x, alpha=0.05, qstat=True)
    pa, pci = pacf(x, alpha=0.05)
    out["series"][name] = {
        "x": x.tolist(),
        "acf": a.tolist(), "acf_confint": ci.tolist(), "qstat": q.tolist(), "qstat_pvalues": p.tolist(),
        "acf_adjusted_5": acf(x, nlags=5, adjusted=True).tolist(),
        "pacf": pa.tolist(), "pacf_confint": pci.tolist(),
    }
    for reg in ("n", "c", "ct", "ctt"):
        for autolag in ("AIC", "BIC", None):
            r = adfuller(x, regression=reg, autolag=autolag)
            out["series"][name][f"adfuller_{reg}_{autolag}"] = {
                "statistic": r[0], "pvalue": r[1], "usedlag": r[2], "nobs": r[3], "critical_values": r[4],
                "icbest": r[5] if autolag else None}
    for period, robust in ((4, False), (7, False), (4, True)):
        r = STL(x, period=period, robust=robust).fit()
        out["series"][name][f"stl_{period}_{robust}"] = {
            "trend": r.trend.tolist(), "seasonal": r.seasonal.tolist(), "resid": r.resid.tolist(), "weights": r.weights.tolist()}
    for model in ("additive", "multiplicative"):
        for period in (4, 7):
            if model == "multiplicative" and (x <= 0).any():
                continue
            d = seasonal_decompose(x, model=model, period=period)
            out["series"][name][f"decompose_{model}_{period}"] = {
                "trend": [None if np.isnan(v) else v for v in d.trend],
                "seasonal": d.seasonal.tolist(),
                "resid": [None if np.isnan(v) else v for v in d.resid]}
with open(os.path.join(ROOT, "stats", "timeseries.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
