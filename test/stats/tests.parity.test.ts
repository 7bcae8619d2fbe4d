/**
 * Hypothesis tests against scipy 1.10 on the shipped fixtures: ttest_ind, mannwhitneyu,
 * f_oneway, kruskal, ks_2samp, shapiro, chi2_contingency (every data set that has one).
 */
import { describe, expect, it } from 'vitest';
import { chi2Contingency, contingencyTable, fOneway, kruskal, ks2samp, mannwhitneyu, shapiro, ttestInd } from '../../src/index.js';
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
