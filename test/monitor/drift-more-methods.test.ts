/**
 * The drift methods added to Evidently's set: anderson, cramer_von_mises and es give scipy's
 * p-values through driftReport (test/fixtures/stats/two_sample.json); empirical_mmd's statistic
 * matches its closed form on a tiny sample, and its permutation p-value separates shifted from
 * identical distributions, reproducibly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIFT_METHODS, driftReport, Rng } from '../../src/index.js';
import { empiricalMmd } from '../../src/monitor/mmd.js';
import { root } from '../helpers/dist.js';

const { pairs } = JSON.parse(readFileSync(join(root, 'test/fixtures/stats/two_sample.json'), 'utf8')) as {
  pairs: { name: string; x: number[]; y: number[]; anderson: { pvalue: number }; cvm: { pvalue: number }; es: { pvalue: number } }[];
};
const table = (v: number[]) => ({ rows: v.length, columns: { f: Float64Array.from(v) } });

describe('anderson, cramer_von_mises, es through driftReport', () => {
  it.each(pairs.map((p) => [p.name, p] as const))('%s', (_n, p) => {
    const run = (method: string) => driftReport(table(p.x), table(p.y), { method: method as never }).features[0];
    const a = run('anderson');
    expect(a.statistic).toBeCloseTo(p.anderson.pvalue, 9);
    expect(a.drifted).toBe(p.anderson.pvalue < 0.05);
    expect(run('cramer_von_mises').statistic).toBeCloseTo(p.cvm.pvalue, 9);
    expect(Math.abs(run('es').statistic - p.es.pvalue)).toBeLessThanOrEqual(1e-8 * Math.max(1e-300, p.es.pvalue) + 1e-300);
  });

  it('are listed, and refuse categorical features', () => {
    expect(DRIFT_METHODS).toEqual(expect.arrayContaining(['anderson', 'cramer_von_mises', 'es', 'empirical_mmd']));
    const cat = { rows: 3, columns: { c: ['a', 'b', 'a'] } };
    expect(() => driftReport(cat, cat, { method: { c: 'es' } })).toThrow(/method 'es' needs numbers; column "c" is categorical/);
  });
});

describe('empirical_mmd', () => {
  it('is the unbiased MMD² with the median-heuristic Gaussian kernel (closed form on four values)', () => {
    // pooled 0, 1, 2, 4: pairwise distances 1, 2, 4, 1, 3, 2 → median 2
    const k = (d: number) => Math.exp(-0.5 * (d / 2) ** 2);
    const expected = (2 * k(1)) / 2 + (2 * k(2)) / 2 - (2 * (k(2) + k(4) + k(1) + k(3))) / 4;
    expect(empiricalMmd(Float64Array.of(0, 1), Float64Array.of(2, 4), { permutations: 0 }).statistic).toBeCloseTo(expected, 14);
  });

  it('separates a shifted distribution from the same one, reproducibly', () => {
    const rng = new Rng(5);
    const gauss = (n: number, mean: number) => Float64Array.from({ length: n }, () => mean + rng.normal());
    const ref = gauss(400, 0);
    const same = empiricalMmd(ref, gauss(300, 0));
    const shifted = empiricalMmd(ref, gauss(300, 0.6));
    expect(shifted.pvalue).toBeCloseTo(1 / 101, 12); // no permutation reaches the observed value
    expect(same.pvalue).toBeGreaterThan(0.05);
    expect(shifted.statistic).toBeGreaterThan(10 * Math.abs(same.statistic));
    const cur = gauss(300, 0.1);
    expect(empiricalMmd(ref, cur)).toEqual(empiricalMmd(ref, cur));
    const report = driftReport(table(Array.from(ref)), table(Array.from(gauss(300, 0.6))), { method: 'empirical_mmd' });
    expect(report.features[0].drifted).toBe(true);
  });
});
