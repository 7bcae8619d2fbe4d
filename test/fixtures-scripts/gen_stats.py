"""Writes test/fixtures/stats/<dataset>.json: scipy 1.10 / scikit-learn 1.2 results for the
statistics that the shipped parity fixtures (test/fixtures/sklearn) do not cover, computed on the
same data sets: the inputs are read from those fixtures, so nothing is downloaded.

Run: /usr/bin/python3 test/fixtures-scripts/gen_stats.py   (deterministic: identical bytes on rerun)
"""
import json, os, warnings
import numpy as np
import scipy
from scipy import stats
from scipy.stats import contingency
from sklearn.metrics import mutual_info_score

warnings.simplefilter("ignore")
ROOT = os.path.join(os.path.dirname(__file__), "..", "fixtures")
SRC = os.path.join(ROOT, "sklearn")
OUT = os.path.join(ROOT, "stats")
QUANTILE_METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "hazen", "weibull", "median_unbiased",
                    "normal_unbiased", "interpolated_inverted_cdf", "inverted_cdf", "closest_observation"]
QS = [0, 0.1, 0.25, 0.5, 0.77, 0.9, 1]
ALTS = ["two-sided", "less", "greater"]


def load(ds, op):
    p = os.path.join(SRC, f"{ds}.{op}.json")
    return json.load(open(p)) if os.path.exists(p) else None


def clean(v):
    """JSON-safe: numpy scalars/arrays to Python, NaN to None."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if np.isnan(f):
            return None
        if np.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return v


def res(r):
    return {"statistic": r[0], "pvalue": r[1]}


def build(ds):
    corr = load(ds, "correlation")
    X = np.array(corr["input"]["X"], dtype=float)
    c0, c1, c2 = X[:, 0], X[:, 1], X[:, 2 % X.shape[1]]
    out = {"input": {"X": X.tolist(), "feature_names": corr["input"]["feature_names"]}, "expected": {}}
    e = out["expected"]
    cols = [X[:, j] for j in range(X.shape[1])]
    e["moment"] = {str(k): [stats.moment(c, moment=k) for c in cols] for k in (0, 1, 2, 3, 4)}
    e["mode"] = [{"mode": float(stats.mode(c, keepdims=False).mode), "count": int(stats.mode(c, keepdims=False).count)} for c in cols]
    e["iqr"] = [stats.iqr(c) for c in cols]
    e["iqr_normal"] = [stats.iqr(c, scale="normal") for c in cols]
    e["iqr_10_90_nearest"] = [stats.iqr(c, rng=(10, 90), interpolation="nearest") for c in cols]
    e["zscore_col0"] = stats.zscore(c0).tolist()
    e["zscore_col0_ddof1"] = stats.zscore(c0, ddof=1).tolist()
    e["quantile_col0"] = {m: np.quantile(c0, QS, method=m).tolist() for m in QUANTILE_METHODS}
    e["quantile_q"] = QS
    # correlations of columns 0 and 1 (and 0, 2) under every alternative
    e["kendalltau"] = {a: res(stats.kendalltau(c0, c1, alternative=a)) for a in ALTS}
    e["kendalltau_02"] = res(stats.kendalltau(c0, c2))
    e["kendalltau_c"] = res(stats.kendalltau(c0, c1, variant="c"))
    e["pearsonr"] = {a: res(stats.pearsonr(c0, c1, alternative=a)) for a in ALTS}
    e["spearmanr"] = {a: res(stats.spearmanr(c0, c1, alternative=a)) for a in ALTS}
    # an untied sample of 20 for the exact Kendall p-value: ranks of the first 20 rows, ties broken by order
    xr = stats.rankdata(c0[:20], method="ordinal")
    yr = stats.rankdata(c1[:20], method="ordinal")
    out["input"]["untied_x"], out["input"]["untied_y"] = xr.tolist(), yr.tolist()
    e["kendalltau_exact"] = {a: res(stats.kendalltau(xr, yr, alternative=a)) for a in ALTS}
    e["ttest_rel"] = {a: dict(zip(("statistic", "pvalue", "df"), (*stats.ttest_rel(c0, c1, alternative=a), len(c0) - 1))) for a in ALTS}
    pm = float(np.median(c0))
    out["input"]["popmean"] = pm
    e["ttest_1samp"] = {a: dict(zip(("statistic", "pvalue", "df"), (*stats.ttest_1samp(c0, pm, alternative=a), len(c0) - 1))) for a in ALTS}
    d = c0 - c1
    e["wilcoxon"] = {a: res(stats.wilcoxon(c0, c1, alternative=a)) for a in ALTS}
    e["wilcoxon_pratt"] = res(stats.wilcoxon(c0, c1, zero_method="pratt"))
    e["wilcoxon_zsplit_correction"] = res(stats.wilcoxon(c0, c1, zero_method="zsplit", correction=True))
    dd = xr[:15] - yr[:15] + 0.25  # 15 untied non-zero differences: the exact law
    out["input"]["small_d"] = dd.tolist()
    e["wilcoxon_exact"] = {a: res(stats.wilcoxon(dd, alternative=a)) for a in ALTS}
    e["kstest_norm"] = {a: res(stats.kstest(c0, "norm", args=(c0.mean(), c0.std(ddof=1)), alternative=a)) for a in ALTS}
    e["kstest_norm_asymp"] = res(stats.kstest(c0, "norm", args=(c0.mean(), c0.std(ddof=1)), method="asymp"))
    out["input"]["norm_args"] = [c0.mean(), c0.std(ddof=1)]
    e["normaltest"] = res(stats.normaltest(c0))
    e["skewtest"] = res(stats.skewtest(c0))
    e["kurtosistest"] = res(stats.kurtosistest(c0))
    e["mannwhitneyu_exact"] = {a: res(stats.mannwhitneyu(xr[:6], yr[:7] + 0.5, alternative=a)) for a in ALTS}
    out["input"]["mwu_x"], out["input"]["mwu_y"] = xr[:6].tolist(), (yr[:7] + 0.5).tolist()

    tt = load(ds, "ttest_ind")
    a, b = (np.array(s, dtype=float) for s in tt["input"]["samples"])
    out["input"]["samples"] = [a.tolist(), b.tolist()]
    e["ttest_ind_alternatives"] = {alt: res(stats.ttest_ind(a, b, alternative=alt)) for alt in ALTS}
    e["mannwhitneyu_alternatives"] = {alt: res(stats.mannwhitneyu(a, b, alternative=alt)) for alt in ALTS}
    e["ks_2samp_alternatives"] = {alt: res(stats.ks_2samp(a, b, alternative=alt)) for alt in ALTS}
    e["ks_2samp_asymp_alternatives"] = {alt: res(stats.ks_2samp(a, b, alternative=alt, method="asymp")) for alt in ALTS}
    lab = np.r_[np.zeros(len(a)), np.ones(len(b))]
    e["pointbiserialr"] = res(stats.pointbiserialr(lab, np.r_[a, b]))

    fo = load(ds, "f_oneway")
    if fo:
        groups = [np.array(g, dtype=float) for g in fo["input"]["samples"]]
        out["input"]["groups"] = [g.tolist() for g in groups]
        e["levene"] = {c: res(stats.levene(*groups, center=c)) for c in ("median", "mean", "trimmed")}
        e["bartlett"] = res(stats.bartlett(*groups))

    ct = load(ds, "chi2_contingency")
    if ct:
        obs = np.array(ct["input"]["observed"])
        out["input"]["a"], out["input"]["b"], out["input"]["observed"] = ct["input"]["a"], ct["input"]["b"], obs.tolist()
        r = stats.chi2_contingency(obs, lambda_="log-likelihood")
        e["chi2_contingency_log_likelihood"] = {"statistic": r[0], "pvalue": r[1]}
        r = stats.chi2_contingency(obs, lambda_="cressie-read", correction=False)
        e["chi2_contingency_cressie_read"] = {"statistic": r[0], "pvalue": r[1]}
        e["cramers_v"] = contingency.association(obs, method="cramer")
        e["cramers_v_yates"] = contingency.association(obs, method="cramer", correction=True)
        e["mutual_info"] = mutual_info_score(ct["input"]["a"], ct["input"]["b"])
        if obs.shape == (2, 2):
            e["fisher_exact"] = {alt: res(stats.fisher_exact(obs, alternative=alt)) for alt in ALTS}
    # a small 2x2 table every data set shares, for the exact test's two-sided rule
    e["fisher_exact_small"] = {alt: res(stats.fisher_exact([[3, 9], [8, 2]], alternative=alt)) for alt in ALTS}
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for ds in ("iris", "wine", "breast_cancer", "diabetes"):
        o = build(ds)
        doc = {"schema_version": 1, "dataset": ds, "scipy": scipy.__version__, "numpy": np.__version__,
               "kind": "parity", "tolerance": {"rtol": 1e-6, "atol": 1e-12},
               "notes": "See test/fixtures/stats/README.md. input: columns of the sklearn correlation fixture, the two samples of its ttest_ind fixture, the groups of f_oneway, the labels and table of chi2_contingency. null = NaN.",
               **clean(o)}
        with open(os.path.join(OUT, f"{ds}.json"), "w") as f:
            json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
