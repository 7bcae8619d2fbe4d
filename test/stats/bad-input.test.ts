/**
 * Bad input across the statistics room: empty, all-missing, length mismatch, too few values,
 * non-numeric, unknown options → KilnError codes naming the argument; constant input → NaN where
 * scipy returns NaN; the NaN policy ('propagate' NaN, 'omit' drops, 'raise' E_NONFINITE).
 */
import { describe, expect, it } from 'vitest';
import {
  bartlett,
  chi2Contingency,
  corrSync,
  cramersV,
  fisherExact,
  fOneway,
  Frame,
  kendalltau,
  kruskal,
  ks2samp,
  kstest,
  kurtosis,
  levene,
  mannwhitneyu,
  mutualInfo,
  normaltest,
  pearsonr,
  pointbiserialr,
  quantile,
  shapiro,
  skew,
  spearmanr,
  ttest1samp,
  ttestInd,
  ttestRel,
  wilcoxon,
  zscore,
} from '../../src/index.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  return { code: 'none', message: '' };
};

describe('bad input', () => {
  it('empty samples are E_EMPTY naming the argument', () => {
    expect(code(() => skew([]))).toMatchObject({ code: 'E_EMPTY', message: expect.stringContaining('x is empty') });
    expect(code(() => ttestInd([1, 2], []))).toMatchObject({ code: 'E_EMPTY', message: expect.stringContaining('b is empty') });
    expect(code(() => pearsonr([], []))).toMatchObject({ code: 'E_EMPTY' });
    expect(code(() => mutualInfo([], []))).toMatchObject({ code: 'E_EMPTY' });
  });

  it('non-numeric values are E_DTYPE with the position', () => {
    expect(code(() => skew([1, 'a' as unknown as number]))).toMatchObject({ code: 'E_DTYPE', message: expect.stringContaining('x[1]') });
    expect(code(() => ttestInd('abc' as unknown as number[], [1]))).toMatchObject({ code: 'E_DTYPE' });
    expect(code(() => cramersV([{}] as unknown as string[], ['a']))).toMatchObject({ code: 'E_DTYPE' });
  });

  it('paired samples of different lengths are E_LENGTH', () => {
    for (const f of [pearsonr, spearmanr, kendalltau, ttestRel, (a: number[], b: number[]) => wilcoxon(a, b)])
      expect(code(() => f([1, 2, 3], [1, 2]))).toMatchObject({ code: 'E_LENGTH', message: expect.stringContaining('3 values') });
    expect(code(() => mutualInfo(['a', 'b'], ['a']))).toMatchObject({ code: 'E_LENGTH' });
  });

  it('too few values for the test are E_SAMPLE_SIZE naming the argument and the minimum', () => {
    expect(code(() => shapiro([1, 2]))).toMatchObject({ code: 'E_SAMPLE_SIZE', message: expect.stringMatching(/x has 2 .*at least 3/) });
    expect(code(() => normaltest([1, 2, 3, 4, 5, 6, 7]))).toMatchObject({ code: 'E_SAMPLE_SIZE', message: expect.stringContaining('at least 8') });
    expect(code(() => ttest1samp([1]))).toMatchObject({ code: 'E_SAMPLE_SIZE' });
    expect(code(() => ttestInd([1], [2], { equalVar: false }))).toMatchObject({ code: 'E_SAMPLE_SIZE', message: expect.stringContaining('a has 1') });
    expect(code(() => pearsonr([1], [2]))).toMatchObject({ code: 'E_SAMPLE_SIZE' });
    expect(code(() => bartlett([[1], [2, 3]]))).toMatchObject({ code: 'E_SAMPLE_SIZE', message: expect.stringContaining('samples[0]') });
    expect(code(() => fOneway([[1], [2]]))).toMatchObject({ code: 'E_SAMPLE_SIZE' });
    expect(code(() => fOneway([[1, 2]]))).toMatchObject({ code: 'E_PARAM', message: expect.stringContaining('two samples') });
  });

  it('all-missing input under omit leaves nothing: E_SAMPLE_SIZE / E_EMPTY; under propagate NaN', () => {
    expect(code(() => ttest1samp([NaN, NaN], { nanPolicy: 'omit' }))).toMatchObject({ code: 'E_SAMPLE_SIZE' });
    expect(code(() => shapiro([null, null, null], { nanPolicy: 'omit' }))).toMatchObject({ code: 'E_SAMPLE_SIZE' });
    expect(ttest1samp([NaN, NaN]).statistic).toBeNaN();
    expect(skew([null, null])).toBeNaN();
  });

  it('constant input gives NaN where scipy does', () => {
    expect(pearsonr([1, 1, 1], [1, 2, 3])).toEqual({ statistic: NaN, pvalue: NaN });
    expect(spearmanr([1, 2, 3], [5, 5, 5]).statistic).toBeNaN();
    expect(kendalltau([1, 1, 1], [1, 2, 3]).statistic).toBeNaN();
    expect(skew([2, 2, 2])).toBeNaN();
    expect(kurtosis([2, 2, 2, 2])).toBeNaN();
    expect(Array.from(zscore([3, 3, 3])).every(Number.isNaN)).toBe(true);
    expect(
      fOneway([
        [1, 1],
        [1, 1],
      ]).statistic,
    ).toBeNaN();
    expect(
      fOneway([
        [1, 1],
        [2, 2],
      ]),
    ).toEqual({ statistic: Infinity, pvalue: 0 });
    expect(
      levene([
        [1, 1],
        [2, 2],
      ]).statistic,
    ).toBeNaN();
    expect(shapiro([4, 4, 4, 4])).toEqual({ statistic: 1, pvalue: 1 });
    expect(ttestInd([1, 1, 1], [1, 1, 1]).statistic).toBeNaN();
    expect(
      code(() =>
        kruskal([
          [1, 1],
          [1, 1],
        ]),
      ),
    ).toMatchObject({ code: 'E_PARAM', message: expect.stringContaining('identical') });
    expect(
      corrSync([
        [1, 2],
        [1, 3],
        [1, 5],
      ]).matrix.data[1],
    ).toBeNaN();
  });

  it('the NaN policy: propagate → NaN, omit → drops (pairs together), raise → E_NONFINITE', () => {
    const x = [1, 2, NaN, 4, 5],
      y = [2, 1, 3, 5, 4];
    expect(pearsonr(x, y).statistic).toBeNaN();
    expect(pearsonr(x, y, { nanPolicy: 'omit' }).statistic).toBeCloseTo(pearsonr([1, 2, 4, 5], [2, 1, 5, 4]).statistic, 15);
    expect(code(() => pearsonr(x, y, { nanPolicy: 'raise' }))).toMatchObject({ code: 'E_NONFINITE' });
    expect(skew(x, { nanPolicy: 'omit' })).toBe(skew([1, 2, 4, 5]));
    expect(quantile([1, null, 3], 0.5)).toBeNaN();
    expect(quantile([1, null, 3], 0.5, { nanPolicy: 'omit' })).toBe(2);
    const z = zscore([1, NaN, 3], { nanPolicy: 'omit' });
    expect([z[0], z[2]]).toEqual([-1, 1]);
    expect(z[1]).toBeNaN();
    expect(mutualInfo(['a', null, 'b'], ['x', 'y', 'y'])).toBeNaN();
    expect(mutualInfo(['a', null, 'b'], ['x', 'y', 'y'], { nanPolicy: 'omit' })).toBeCloseTo(Math.log(2), 15);
  });

  it('unknown options and out-of-range parameters are E_PARAM', () => {
    expect(code(() => pearsonr([1, 2, 3], [1, 2, 3], { alternative: 'bigger' as 'less' }))).toMatchObject({
      code: 'E_PARAM',
      message: expect.stringContaining('alternative'),
    });
    expect(code(() => skew([1, 2], { nanPolicy: 'skip' as 'omit' }))).toMatchObject({ code: 'E_PARAM' });
    expect(code(() => quantile([1, 2], 1.5))).toMatchObject({ code: 'E_PARAM' });
    expect(code(() => quantile([1, 2], 0.5, { method: 'cubic' as 'linear' }))).toMatchObject({ code: 'E_PARAM' });
    expect(code(() => kstest([1, 2], 'gumbel' as 'norm'))).toMatchObject({ code: 'E_PARAM' });
    expect(code(() => kendalltau([1, 1, 2], [1, 2, 3], { method: 'exact' }))).toMatchObject({ code: 'E_PARAM', message: expect.stringContaining('ties') });
    expect(code(() => pointbiserialr([0, 1, 2], [1, 2, 3]))).toMatchObject({ code: 'E_PARAM', message: expect.stringContaining('binary') });
    expect(code(() => chi2Contingency([[1, 2], [3]]))).toMatchObject({ code: 'E_SHAPE' });
    expect(
      code(() =>
        chi2Contingency([
          [1, -2],
          [3, 4],
        ]),
      ),
    ).toMatchObject({ code: 'E_PARAM' });
    expect(
      code(() =>
        chi2Contingency([
          [0, 0],
          [3, 4],
        ]),
      ),
    ).toMatchObject({ code: 'E_PARAM', message: expect.stringContaining('expected count') });
    expect(
      code(() =>
        fisherExact([
          [1, 2, 3],
          [1, 2, 3],
        ]),
      ),
    ).toMatchObject({ code: 'E_SHAPE' });
    expect(
      code(() =>
        corrSync(
          [
            [1, 2],
            [3, 4],
          ],
          { method: 'tau' as 'kendall' },
        ),
      ),
    ).toMatchObject({ code: 'E_PARAM' });
  });

  it('wilcoxon with every difference zero is refused; a 2x2 with an empty row gives NaN odds and p = 1 (scipy)', () => {
    expect(code(() => wilcoxon([1, 2, 3], [1, 2, 3]))).toMatchObject({ code: 'E_PARAM' });
    expect(
      fisherExact([
        [0, 0],
        [3, 4],
      ]),
    ).toEqual({ statistic: NaN, pvalue: 1 });
  });

  it('ks2samp and mannwhitneyu of one value each still answer (scipy does)', () => {
    expect(ks2samp([1], [2]).statistic).toBe(1);
    expect(mannwhitneyu([1], [2]).statistic).toBe(0);
  });
});

describe('Frame.describe extras and corr over a Frame', () => {
  const f = new Frame({
    a: { kind: 'numeric', values: Float64Array.from([0, 1, 2, 2, NaN, 10]) },
    b: { kind: 'numeric', values: Float64Array.from([1, 2, 3, 4, 5, 6]) },
    c: { kind: 'categorical', labels: ['x', 'y'], codes: Int32Array.from([0, 1, 1, -1, 0, 1]) },
  });
  it('skew/kurtosis (pandas bias-corrected), missing and zeros %, distinct, top/freq', () => {
    const d = f.describe();
    expect(d.a).toMatchObject({ missingPct: (100 * 1) / 6, zerosPct: (100 * 1) / 6, distinct: 4, top: 2, freq: 2 });
    expect((d.a as { skew: number }).skew).toBeCloseTo(skew([0, 1, 2, 2, 10], { bias: false }), 14);
    expect((d.a as { kurtosis: number }).kurtosis).toBeCloseTo(kurtosis([0, 1, 2, 2, 10], { bias: false }), 14);
    expect(d.c).toMatchObject({ kind: 'categorical', top: 'y', freq: 3, missingPct: (100 * 1) / 6 });
  });
  it('corr uses the numeric columns, pairwise-complete', () => {
    const r = corrSync(f);
    expect(r.columns).toEqual(['a', 'b']);
    expect(r.matrix.data[1]).toBeCloseTo(pearsonr([0, 1, 2, 2, 10], [1, 2, 3, 4, 6]).statistic, 14);
    const k = corrSync(f, { method: 'kendall' });
    expect(k.matrix.data[1]).toBeCloseTo(kendalltau([0, 1, 2, 2, 10], [1, 2, 3, 4, 6]).statistic, 14);
    expect(corrSync(f, { minPeriods: 6 }).matrix.data[1]).toBeNaN();
  });
});

describe('closed forms', () => {
  it("Cramér's V: a perfectly associated square table is 1, an independent one 0; Bergsma's correction shrinks it", () => {
    expect(
      cramersV([
        [10, 0],
        [0, 10],
      ]),
    ).toBeCloseTo(1, 15);
    expect(
      cramersV([
        [5, 5],
        [5, 5],
      ]),
    ).toBe(0);
    const t = [
      [12, 5, 3],
      [4, 10, 6],
    ];
    const plain = cramersV(t),
      corrected = cramersV(t, { biasCorrection: true });
    // Bergsma: φ²₊ = max(0, φ² − (r−1)(c−1)/(n−1)), r̃ = r − (r−1)²/(n−1), c̃ likewise
    const n = 40,
      phi2 = plain ** 2 * 1;
    const phi2c = Math.max(0, phi2 - 2 / (n - 1));
    const rt = 2 - 1 / (n - 1),
      ct = 3 - 4 / (n - 1);
    expect(corrected).toBeCloseTo(Math.sqrt(phi2c / Math.min(rt - 1, ct - 1)), 14);
    expect(corrected).toBeLessThan(plain);
  });
  it('mutual information of a variable with itself is its entropy', () => {
    const a = ['x', 'x', 'y', 'z'];
    const h = -(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25));
    expect(mutualInfo(a, a)).toBeCloseTo(h, 15);
    expect(mutualInfo(a, a, { base: 2 })).toBeCloseTo(1.5, 15);
  });
});
