/** acf / pacf against statsmodels 0.13 (test/fixtures/stats/timeseries.json, written by test/fixtures-scripts/gen_timeseries.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acf, pacf, seasonalDecompose } from '../../src/index.js';

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
