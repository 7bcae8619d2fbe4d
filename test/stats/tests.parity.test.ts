/**
 * Hypothesis tests against scipy 1.10 on the shipped fixtures: ttest_ind, mannwhitneyu,
 * f_oneway, kruskal, ks_2samp, shapiro, chi2_contingency (every data set that has one).
 */
import { describe, expect, it } from 'vitest';
import { chi2Contingency, contingencyTable, fOneway, kruskal, ks2samp, mannwhitneyu, shapiro, ttestInd } from '../../src/index.js';
import { fOnewayByCode } from '../../src/stats/anova.js';
import { expectParity, type Fixture, fixtureDir, loadFixture } from '../helpers/fixtures.js';
import { readdirSync } from 'node:fs';

/** The data sets that have a fixture for `op`. */
const datasetsWith = (op: string) =>
  readdirSync(fixtureDir)
    .filter((f) => f.endsWith(`.${op}.json`))
    .map((f) => f.slice(0, -`.${op}.json`.length));

/** Compares the leaves of a nested expected object with the top-level key's tolerance. */
function expectLeaves(f: Fixture, key: string, actual: Record<string, unknown>) {
  for (const leaf of Object.keys(f.expected[key])) {
    const sub: Fixture = { ...f, expected: f.expected[key], tolerance: f.tolerance.per_key?.[key] ?? f.tolerance, compare: {} };
    expectParity(sub, leaf, [actual[leaf]]);
  }
}

describe('ttestInd', () => {
  it.each(datasetsWith('ttest_ind'))('%s: Student and Welch', (ds) => {
    const f = loadFixture(ds, 'ttest_ind');
    const [a, b] = f.input.samples;
    expectLeaves(f, 'equal_var_true', { ...ttestInd(a, b, { equalVar: true }) });
    expectLeaves(f, 'equal_var_false', { ...ttestInd(a, b, { equalVar: false }) });
  });
});

describe('mannwhitneyu', () => {
  it.each(datasetsWith('mannwhitneyu'))('%s', (ds) => {
    const f = loadFixture(ds, 'mannwhitneyu');
    const [a, b] = f.input.samples;
    const r = mannwhitneyu(a, b);
    expectParity(f, 'statistic', [r.statistic]);
    expectParity(f, 'pvalue', [r.pvalue]);
  });
});

describe.each([
  ['f_oneway', fOneway],
  ['kruskal', kruskal],
] as const)('%s', (op, test) => {
  it.each(datasetsWith(op))('%s', (ds) => {
    const f = loadFixture(ds, op);
    const r = test(f.input.samples);
    expectParity(f, 'statistic', [r.statistic]);
    expectParity(f, 'pvalue', [r.pvalue]);
  });
});

describe("fOnewayByCode (the profile's ANOVA straight off group codes)", () => {
  it.each(datasetsWith('f_oneway'))('%s: scipy f_oneway from one column and its codes', (ds) => {
    const f = loadFixture(ds, 'f_oneway');
    const samples = f.input.samples as number[][];
    // the groups laid out in one column, interleaved, with a left-out row (code −1) and a NaN
    const values: number[] = [],
      codes: number[] = [];
    const longest = Math.max(...samples.map((g) => g.length));
    for (let i = 0; i < longest; i++)
      samples.forEach((g, k) => {
        if (i < g.length) values.push(g[i]), codes.push(k);
      });
    values.push(1e9, Number.NaN);
    codes.push(-1, 0);
    const r = fOnewayByCode(Float64Array.from(values), Int32Array.from(codes), samples.length)!;
    expectParity(f, 'statistic', [r.statistic]);
    expectParity(f, 'pvalue', [r.pvalue]);
  });
  it('follows scipy for constant groups and needs two groups of two values', () => {
    const codes = Int32Array.of(0, 0, 1, 1, 2);
    expect(fOnewayByCode(Float64Array.of(3, 3, 5, 5, 9), codes, 3)).toEqual({ statistic: Infinity, pvalue: 0 });
    expect(fOnewayByCode(Float64Array.of(3, 3, 3, 3, 9), codes, 3)).toEqual({ statistic: NaN, pvalue: NaN });
    expect(fOnewayByCode(Float64Array.of(3, 4, 5, 5, 9), Int32Array.of(0, 0, 1, 2, -1), 3)).toBeUndefined();
    const r = fOnewayByCode(Float64Array.of(1, 2, 3, 7, 8, 9), Int32Array.of(0, 0, 0, 1, 1, 1), 2)!;
    expect(r.statistic).toBeCloseTo(
      fOneway([
        [1, 2, 3],
        [7, 8, 9],
      ]).statistic,
      12,
    );
  });
});

describe('ks2samp', () => {
  it.each(datasetsWith('ks_2samp'))('%s: exact (auto) and asymptotic p-values', (ds) => {
    const f = loadFixture(ds, 'ks_2samp');
    const [a, b] = f.input.samples;
    const r = ks2samp(a, b);
    expectParity(f, 'statistic', [r.statistic]);
    expectParity(f, 'pvalue', [r.pvalue]);
    expectParity(f, 'pvalue_asymp', [ks2samp(a, b, { method: 'asymp' }).pvalue]);
  });
});

describe('shapiro', () => {
  it.each(datasetsWith('shapiro'))('%s', (ds) => {
    const f = loadFixture(ds, 'shapiro');
    const r = shapiro(f.input.x);
    expectParity(f, 'statistic', [r.statistic]);
    expectParity(f, 'pvalue', [r.pvalue]);
  });
});

describe('chi2Contingency', () => {
  it.each(datasetsWith('chi2_contingency'))('%s: from the raw labels and from the table, with and without Yates', (ds) => {
    const f = loadFixture(ds, 'chi2_contingency');
    const table = contingencyTable(f.input.a, f.input.b);
    expect(table.observed).toEqual(f.input.observed);
    expect(table.rowLabels).toEqual(f.input.row_labels);
    const r = chi2Contingency(table.observed);
    for (const k of ['statistic', 'pvalue', 'dof'] as const) expectParity(f, k, [r[k]]);
    expectParity(f, 'expected_freq', r.expectedFreq);
    if (f.expected.no_correction) expectLeaves(f, 'no_correction', { ...chi2Contingency(f.input.observed, { correction: false }) });
  });
});
