/** Statistics without a shipped sklearn fixture, against scipy 1.10 (test/fixtures/stats, written by test/fixtures-scripts/gen_stats.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bartlett,
  chi2Contingency,
  cramersV,
  fisherExact,
  iqr,
  kendalltau,
  ks2samp,
  kstest,
  kurtosistest,
  levene,
  mannwhitneyu,
  mode,
  moment,
  mutualInfo,
  normaltest,
  pearsonr,
  pointbiserialr,
  quantile,
  QUANTILE_METHODS,
  skewtest,
  spearmanr,
  ttest1samp,
  ttestInd,
  ttestRel,
  wilcoxon,
  zscore,
} from '../../src/index.js';

const dir = fileURLToPath(new URL('../fixtures/stats/', import.meta.url));
const ALTS = ['two-sided', 'less', 'greater'] as const;

/** numpy.allclose on one number; null expected = NaN. */
function close(got: number, want: number | null, what: string, rtol = 1e-6, atol = 1e-12) {
  if (want === null) return expect(Number.isNaN(got), `${what}: NaN expected, got ${got}`).toBe(true);
  expect(Math.abs(got - want), `${what}: got ${got}, expected ${want}`).toBeLessThanOrEqual(atol + rtol * Math.abs(want));
}
function closeAll(got: ArrayLike<number>, want: (number | null)[], what: string) {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => close(got[i], w, `${what}[${i}]`));
}
function closeResult(got: { statistic: number; pvalue: number; df?: number }, want: Record<string, number>, what: string, rtol = 1e-6) {
  for (const k of Object.keys(want)) close((got as any)[k], want[k], `${what}.${k}`, rtol);
}

describe.each(['iris', 'wine', 'breast_cancer', 'diabetes'])('%s', (ds) => {
  const f = JSON.parse(readFileSync(`${dir}${ds}.json`, 'utf8'));
  const e = f.expected,
    inp = f.input;
  const cols: number[][] = inp.X[0].map((_: number, j: number) => inp.X.map((r: number[]) => r[j]));
  const [c0, c1] = cols;
  const c2 = cols[2 % cols.length];

  it('moment, mode, iqr, zscore, quantile (every numpy method)', () => {
    for (const k of [0, 1, 2, 3, 4])
      closeAll(
        cols.map((c) => moment(c, { order: k })),
        e.moment[k],
        `moment ${k}`,
      );
    cols.forEach((c, j) => expect(mode(c), `mode col ${j}`).toEqual(e.mode[j]));
    closeAll(
      cols.map((c) => iqr(c)),
      e.iqr,
      'iqr',
    );
    closeAll(
      cols.map((c) => iqr(c, { scale: 'normal' })),
      e.iqr_normal,
      'iqr normal',
    );
    closeAll(
      cols.map((c) => iqr(c, { rng: [10, 90], interpolation: 'nearest' })),
      e.iqr_10_90_nearest,
      'iqr nearest',
    );
    closeAll(zscore(c0), e.zscore_col0, 'zscore');
    closeAll(zscore(c0, { ddof: 1 }), e.zscore_col0_ddof1, 'zscore ddof 1');
    for (const m of QUANTILE_METHODS) closeAll(quantile(c0, e.quantile_q as number[], { method: m }), e.quantile_col0[m], `quantile ${m}`);
  });

  it('correlations under every alternative; Kendall exact and asymptotic, tau-c', () => {
    for (const a of ALTS) {
      closeResult(pearsonr(c0, c1, { alternative: a }), e.pearsonr[a], `pearsonr ${a}`);
      closeResult(spearmanr(c0, c1, { alternative: a }), e.spearmanr[a], `spearmanr ${a}`);
      closeResult(kendalltau(c0, c1, { alternative: a }), e.kendalltau[a], `kendalltau ${a}`);
      closeResult(kendalltau(inp.untied_x, inp.untied_y, { alternative: a }), e.kendalltau_exact[a], `kendalltau exact ${a}`);
    }
    closeResult(kendalltau(c0, c2), e.kendalltau_02, 'kendalltau 0-2');
    closeResult(kendalltau(c0, c1, { variant: 'c' }), e.kendalltau_c, 'kendalltau c');
    const [a, b] = inp.samples;
    closeResult(pointbiserialr([...a.map(() => 0), ...b.map(() => 1)], [...a, ...b]), e.pointbiserialr, 'pointbiserialr');
  });

  it('t-tests, rank tests and KS tests under every alternative', () => {
    const [a, b] = inp.samples;
    for (const alt of ALTS) {
      closeResult(ttestRel(c0, c1, { alternative: alt }), e.ttest_rel[alt], `ttestRel ${alt}`);
      closeResult(ttest1samp(c0, { popmean: inp.popmean, alternative: alt }), e.ttest_1samp[alt], `ttest1samp ${alt}`);
      closeResult(ttestInd(a, b, { alternative: alt }), e.ttest_ind_alternatives[alt], `ttestInd ${alt}`);
      closeResult(mannwhitneyu(a, b, { alternative: alt }), e.mannwhitneyu_alternatives[alt], `mannwhitneyu ${alt}`);
      closeResult(mannwhitneyu(inp.mwu_x, inp.mwu_y, { alternative: alt }), e.mannwhitneyu_exact[alt], `mannwhitneyu exact ${alt}`);
      closeResult(ks2samp(a, b, { alternative: alt }), e.ks_2samp_alternatives[alt], `ks2samp ${alt}`);
      closeResult(ks2samp(a, b, { alternative: alt, method: 'asymp' }), e.ks_2samp_asymp_alternatives[alt], `ks2samp asymp ${alt}`);
      closeResult(wilcoxon(c0, c1, { alternative: alt }), e.wilcoxon[alt], `wilcoxon ${alt}`);
      closeResult(wilcoxon(inp.small_d, null, { alternative: alt }), e.wilcoxon_exact[alt], `wilcoxon exact ${alt}`);
      // for n > 140 scipy's two-sided kstwo uses the Pelz–Good series, kiln the exact Durbin matrix:
      // they differ by ~3e-6 relative (scipy's own _kolmogn_DMTW gives kiln's value)
      const rtol = alt === 'two-sided' && c0.length > 140 ? 1e-5 : 1e-6;
      closeResult(kstest(c0, 'norm', { args: inp.norm_args, alternative: alt }), e.kstest_norm[alt], `kstest ${alt}`, rtol);
    }
    closeResult(wilcoxon(c0, c1, { zeroMethod: 'pratt' }), e.wilcoxon_pratt, 'wilcoxon pratt');
    closeResult(wilcoxon(c0, c1, { zeroMethod: 'zsplit', correction: true }), e.wilcoxon_zsplit_correction, 'wilcoxon zsplit');
    closeResult(kstest(c0, 'norm', { args: inp.norm_args, method: 'asymp' }), e.kstest_norm_asymp, 'kstest asymp');
  });

  it('normality and variance tests', () => {
    closeResult(normaltest(c0), e.normaltest, 'normaltest');
    closeResult(skewtest(c0), e.skewtest, 'skewtest');
    closeResult(kurtosistest(c0), e.kurtosistest, 'kurtosistest');
    if (!inp.groups) return;
    for (const center of ['median', 'mean', 'trimmed'] as const) closeResult(levene(inp.groups, { center }), e.levene[center], `levene ${center}`);
    closeResult(bartlett(inp.groups), e.bartlett, 'bartlett');
  });

  it('contingency: other lambdas, Cramér V, mutual information, Fisher exact', () => {
    for (const alt of ALTS)
      closeResult(
        fisherExact(
          [
            [3, 9],
            [8, 2],
          ],
          { alternative: alt },
        ),
        e.fisher_exact_small[alt],
        `fisherExact ${alt}`,
      );
    if (!inp.observed) return;
    closeResult(chi2Contingency(inp.observed, { lambda: 'log-likelihood' }), e.chi2_contingency_log_likelihood, 'chi2 G');
    closeResult(chi2Contingency(inp.observed, { lambda: 'cressie-read', correction: false }), e.chi2_contingency_cressie_read, 'chi2 CR');
    close(cramersV(inp.observed), e.cramers_v, 'cramersV');
    close(cramersV(inp.a, inp.b), e.cramers_v, 'cramersV of labels');
    close(cramersV(inp.observed, { correction: true }), e.cramers_v_yates, 'cramersV Yates');
    close(mutualInfo(inp.a, inp.b), e.mutual_info, 'mutualInfo');
    if (e.fisher_exact) for (const alt of ALTS) closeResult(fisherExact(inp.observed, { alternative: alt }), e.fisher_exact[alt], `fisherExact table ${alt}`);
  });
});
