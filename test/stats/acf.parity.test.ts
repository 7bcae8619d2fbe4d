/** acf / pacf against statsmodels 0.13 (test/fixtures/stats/timeseries.json, written by test/fixtures-scripts/gen_timeseries.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acf, adfuller, pacf, seasonalDecompose, stl } from '../../src/index.js';

const f = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/stats/timeseries.json', import.meta.url)), 'utf8'));

function closeAll(got: ArrayLike<number>, want: number[], what: string, rtol = 1e-8, atol = 1e-12) {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `${what}[${i}]: got ${got[i]}, expected ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w)));
}

describe.each(Object.keys(f.series))('%s', (name) => {
  const s = f.series[name];
  it('acf with Bartlett intervals and Ljung–Box Q; adjusted acf', () => {
    const r = acf(s.x, { alpha: 0.05, qstat: true });
    closeAll(r.acf, s.acf, 'acf');
    closeAll(r.confint!.flat(), s.acf_confint.flat(), 'confint');
    closeAll(r.qstat!, s.qstat, 'qstat');
    closeAll(r.pvalues!, s.qstat_pvalues, 'q pvalues', 1e-6);
    closeAll(acf(s.x, { nlags: 5, adjusted: true }).acf, s.acf_adjusted_5, 'adjusted');
  });
  it('pacf (ywadjusted) with intervals', () => {
    const r = pacf(s.x, { alpha: 0.05 });
    closeAll(r.pacf, s.pacf, 'pacf');
    closeAll(r.confint!.flat(), s.pacf_confint.flat(), 'pacf confint');
  });
});

describe('acf / pacf bad input', () => {
  it('NaN is refused, too many lags and too short series are clear errors', () => {
    expect(() => acf([1, NaN, 3])).toThrowError(expect.objectContaining({ code: 'E_NONFINITE' }));
    expect(() => acf([1, 2, 3], { nlags: 3 })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
    expect(() => pacf([1, 2, 3])).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
    expect(() => acf([1])).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
  });
});

describe.each(Object.keys(f.series))('seasonalDecompose on %s', (name) => {
  const s = f.series[name];
  it.each([
    ['additive', 4],
    ['additive', 7],
    ['multiplicative', 4],
    ['multiplicative', 7],
  ] as const)('%s, period %i', (model, period) => {
    const want = s[`decompose_${model}_${period}`];
    if (!want) return; // multiplicative needs a positive series
    const r = seasonalDecompose(s.x, { model, period });
    for (const k of ['trend', 'seasonal', 'resid'] as const) {
      const nan = want[k].map((v: number | null) => v === null);
      expect(Array.from(r[k], Number.isNaN), k).toEqual(nan);
      closeAll(
        r[k].filter((v) => !Number.isNaN(v)),
        want[k].filter((v: number | null) => v !== null),
        k,
      );
    }
  });
});

describe('seasonalDecompose bad input', () => {
  it('needs two cycles, an integer period, positive data for multiplicative', () => {
    expect(() => seasonalDecompose([1, 2, 3], { period: 2 })).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
    expect(() => seasonalDecompose([1, 2, 3, 4], { period: 1.5 })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
    expect(() => seasonalDecompose([1, -2, 3, 4], { period: 2, model: 'multiplicative' })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
  });
});

describe.each(Object.keys(f.series))('adfuller on %s', (name) => {
  const s = f.series[name];
  it.each(['n', 'c', 'ct', 'ctt'] as const)('regression %s, autolag AIC / BIC / none', (regression) => {
    for (const autolag of ['AIC', 'BIC', null] as const) {
      const want = s[`adfuller_${regression}_${autolag === null ? 'None' : autolag}`];
      const r = adfuller(s.x, { regression, autolag });
      expect(r.usedlag, 'usedlag').toBe(want.usedlag);
      expect(r.nobs, 'nobs').toBe(want.nobs);
      closeAll([r.statistic, r.pvalue], [want.statistic, want.pvalue], `adfuller ${regression} ${autolag}`, 1e-7);
      closeAll(Object.values(r.criticalValues), Object.values(want.critical_values) as number[], 'critical values');
      if (autolag) closeAll([r.icbest!], [want.icbest], 'icbest', 1e-9);
    }
  });
});

describe('adfuller bad input', () => {
  it('too short, NaN, maxlag out of range', () => {
    expect(() => adfuller([1, 2, 3])).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
    expect(() => adfuller([1, NaN, 3, 4, 5])).toThrowError(expect.objectContaining({ code: 'E_NONFINITE' }));
    expect(() => adfuller([1, 2, 4, 3, 5, 6, 8, 7, 9, 10], { maxlag: 9 })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
  });
});

describe.each(Object.keys(f.series))('stl on %s', (name) => {
  const s = f.series[name];
  it.each([
    [4, false],
    [7, false],
    [4, true],
  ] as const)('period %i, robust %s', (period, robust) => {
    const want = s[`stl_${period}_${robust ? 'True' : 'False'}`];
    const r = stl(s.x, { period, robust });
    for (const k of ['trend', 'seasonal', 'resid', 'weights'] as const) closeAll(r[k], want[k], `stl ${k}`, 1e-7, 1e-9);
  });
  it('bad options are E_PARAM', () => {
    expect(() => stl(s.x, { period: 4, seasonal: 6 })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
    expect(() => stl([1, 2, 3], { period: 2 })).toThrowError(expect.objectContaining({ code: 'E_SAMPLE_SIZE' }));
  });
});
