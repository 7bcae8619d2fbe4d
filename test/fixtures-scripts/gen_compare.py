#!/usr/bin/python3
"""Parity fixtures of kiln's model comparison (selection/compare), in the schema of
test/fixtures/sklearn/README.md.

Run from the repository root with the system Python (statsmodels 0.13, scipy 1.10, numpy 1.24):
    /usr/bin/python3 test/fixtures-scripts/gen_compare.py
- mcnemar: statsmodels.stats.contingency_tables.mcnemar (exact, chi2 corrected and uncorrected).
- the corrected resampled t-test (Nadeau & Bengio), the 5x2cv paired t-test and the
  bias-variance decomposition: hand-written numpy, following mlxtend's definitions
  (paired_ttest_5x2cv, bias_variance_decomp) on fixed inputs, since mlxtend is not installed;
  the uncorrected t-test is checked against scipy.stats.ttest_rel.
Deterministic: re-running rewrites identical bytes.
"""
import os
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

sys.path.insert(0, os.path.dirname(__file__))
from gen_selection import write  # noqa: E402

rng = np.random.RandomState(0)

tables = [[[59, 6], [16, 80]], [[10, 0], [0, 10]], [[5, 3], [3, 5]], [[100, 25], [7, 50]], [[0, 1], [9, 0]], [[20, 40], [12, 3]]]
mc = {'exact': [], 'chi2': [], 'chi2_uncorrected': []}
for t in tables:
    for key, kw in (('exact', dict(exact=True)), ('chi2', dict(exact=False, correction=True)), ('chi2_uncorrected', dict(exact=False, correction=False))):
        r = mcnemar(np.array(t), **kw)
        mc[key].append([float(r.statistic), float(r.pvalue)])

# corrected resampled t-test: 10 folds of 90 train / 10 test rows
a = 0.8 + 0.05 * rng.rand(10)
b = a - 0.01 + 0.02 * rng.rand(10)
d = a - b
k = len(d)
var = d.var(ddof=1)
t_corr = d.mean() / np.sqrt((1 / k + 10 / 90) * var)
p_corr = 2 * stats.t.sf(abs(t_corr), k - 1)
p_greater = stats.t.sf(t_corr, k - 1)
plain = stats.ttest_rel(a, b)

# 5x2cv (mlxtend): t = first difference / sqrt(mean of the rounds' variances), 5 dof
diffs = (rng.rand(10) - 0.3) * 0.05
var_sum = 0.0
for r in range(5):
    d1, d2 = diffs[2 * r], diffs[2 * r + 1]
    m = (d1 + d2) / 2
    var_sum += (d1 - m) ** 2 + (d2 - m) ** 2
t52 = diffs[0] / np.sqrt(var_sum / 5)
p52 = stats.t.sf(np.abs(t52), 5) * 2

# bias-variance (mlxtend): 0-1 loss on integer labels, and mse on real predictions
y01 = rng.randint(0, 3, 25)
pred01 = np.where(rng.rand(40, 25) < 0.7, y01, rng.randint(0, 3, (40, 25)))
main = np.apply_along_axis(lambda x: np.argmax(np.bincount(x)), axis=0, arr=pred01)
el01 = np.apply_along_axis(lambda x: (x != y01).mean(), axis=1, arr=pred01).mean()
bias01 = np.sum(main != y01) / y01.size
v = np.zeros(y01.shape)
for p in pred01:
    v += (p != main).astype(np.int_)
v /= 40
var01 = v.sum() / y01.shape[0]
ymse = rng.randn(25)
predmse = ymse + 0.3 + rng.randn(40, 25) * 0.5
elmse = np.apply_along_axis(lambda x: ((x - ymse) ** 2).mean(), axis=1, arr=predmse).mean()
mainm = predmse.mean(axis=0)
biasmse = np.sum((mainm - ymse) ** 2) / ymse.size
varmse = np.sum((mainm - predmse) ** 2) / predmse.size

write('mixed', 'model_comparison', 'statsmodels mcnemar; numpy after mlxtend and Nadeau & Bengio',
      {'tables': tables, 'n_train': 90, 'n_test': 10},
      {'scores_a': a, 'scores_b': b, 'differences_5x2': diffs, 'y_01': y01, 'predictions_01': pred01, 'y_mse': ymse, 'predictions_mse': predmse},
      {'mcnemar_exact': mc['exact'], 'mcnemar_chi2': mc['chi2'], 'mcnemar_chi2_uncorrected': mc['chi2_uncorrected'],
       'corrected_t': [t_corr, p_corr], 'corrected_t_greater_p': p_greater, 'plain_t': [plain.statistic, plain.pvalue],
       't_5x2cv': [t52, p52], 'bias_variance_01': [el01, bias01, var01], 'bias_variance_mse': [elmse, biasmse, varmse]},
      'McNemar from statsmodels 0.13; t-tests and bias-variance by hand-written numpy following mlxtend and Nadeau & Bengio.',
      tolerance={'rtol': 1e-9, 'atol': 1e-12})
