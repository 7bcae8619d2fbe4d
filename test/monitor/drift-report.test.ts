/**
 * driftReport: scipy parity of each method through the report (test/fixtures/drift), Evidently's
 * default method choice, the dataset verdict, a model's reference profile as the reference,
 * prediction drift, bad input, and the HTML page opened in chromium.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driftReport, referenceProfile, Rng } from '../../src/index.js';
import { openInBrowser } from '../helpers/browser.js';
import { root } from '../helpers/dist.js';

interface Case {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: (number | string)[];
  current: (number | string)[];
  ks_pvalue?: number;
  chisquare_pvalue?: number | null;
  z_pvalue?: number | null;
  normed_wasserstein?: number;
  jensenshannon: number;
  psi: number;
  kl: number;
  hellinger: number;
}
const { cases } = JSON.parse(readFileSync(join(root, 'test/fixtures/drift/distances.json'), 'utf8')) as { cases: Case[] };
const dir = mkdtempSync(join(tmpdir(), 'kiln-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const col = (v: (number | string)[]) => (typeof v[0] === 'number' ? Float64Array.from(v as number[]) : (v as string[]));
const close = (a: number, b: number, rtol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.max(1e-300, Math.abs(b)) + 1e-300);

describe('driftReport matches scipy through each method', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const ref = { rows: c.reference.length, columns: { f: col(c.reference) } };
    const cur = { rows: c.current.length, columns: { f: col(c.current) } };
    const stat = (method: string) => driftReport(ref, cur, { method: method as never }).features[0].statistic;
    if (c.kind === 'numeric') {
      close(stat('ks'), c.ks_pvalue!, 1e-7);
      close(stat('wasserstein'), c.normed_wasserstein!);
    }
    if (c.chisquare_pvalue != null) close(stat('chisquare'), c.chisquare_pvalue, 1e-7);
    if (c.z_pvalue != null) close(stat('z'), c.z_pvalue, 1e-9);
    close(stat('jensenshannon'), c.jensenshannon);
    close(stat('psi'), c.psi);
    close(stat('kl'), c.kl);
    close(stat('hellinger'), c.hellinger);
  });
});

function gauss(rng: Rng, n: number, mean = 0): Float64Array {
  return Float64Array.from({ length: n }, () => mean + rng.normal());
}

describe('driftReport', () => {
  const rng = new Rng(11);
  const n = 800;
  const reference = {
    rows: n,
    columns: {
      a: gauss(rng, n),
      b: gauss(rng, n),
      c: Array.from({ length: n }, (_, i) => ['x', 'y', 'z'][i % 3]),
      d: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'yes' : 'no')),
    },
  };
  const current = {
    rows: 600,
    columns: {
      a: gauss(rng, 600, 0.4), // shifted
      b: gauss(rng, 600),
      c: Array.from({ length: 600 }, (_, i) => ['x', 'y', 'z', 'x'][i % 4]), // x: 1/3 → 1/2
      d: Array.from({ length: 600 }, (_, i) => (i % 4 === 0 ? 'yes' : 'no')),
    },
  };

  it("chooses Evidently's methods and flags exactly the shifted columns", () => {
    const r = driftReport(reference, current);
    expect(r.features.map((f) => [f.column, f.method, f.drifted])).toEqual([
      ['a', 'ks', true],
      ['b', 'ks', false],
      ['c', 'chisquare', true],
      ['d', 'z', false],
    ]);
    expect(r.driftedColumns).toBe(2);
    expect(r.driftedShare).toBe(0.5);
    expect(r.datasetDrift).toBe(true);
    expect(driftReport(reference, current, { driftShare: 0.75 }).datasetDrift).toBe(false);
    expect(r.toJSON()).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('uses distances above 1,000 reference rows, also from a model reference profile', () => {
    const big = { rows: 5000, columns: { a: gauss(rng, 5000), c: Array.from({ length: 5000 }, (_, i) => ['x', 'y', 'z'][i % 3]) } };
    const profile = referenceProfile(big, { predictions: Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'p' : 'q')) });
    const now = { rows: 2000, columns: { a: gauss(rng, 2000, 0.5), c: Array.from({ length: 2000 }, (_, i) => ['x', 'y', 'z'][i % 3]) } };
    const r = driftReport(profile, now, { currentPredictions: Array.from({ length: 2000 }, (_, i) => (i % 5 ? 'p' : 'q')) });
    expect(r.referenceRows).toBe(5000);
    expect(r.features.map((f) => [f.column, f.method, f.drifted])).toEqual([
      ['a', 'wasserstein', true],
      ['c', 'jensenshannon', false],
    ]);
    // a mean shift of half a standard deviation: the normed distance is about 0.5
    expect(r.features[0].statistic).toBeGreaterThan(0.35);
    expect(r.features[0].statistic).toBeLessThan(0.65);
    // predictions went from half 'p' to four fifths 'p'
    expect(r.prediction).toMatchObject({ column: 'prediction', method: 'jensenshannon', drifted: true });
  });

  it('refuses bad input with E_PARAM naming the column and the fix', () => {
    const { d: _d, ...rest } = current.columns;
    expect(() => driftReport(reference, { rows: 600, columns: rest })).toThrow(/current data has no column "d"/);
    expect(() => driftReport(reference, { rows: 0, columns: {} })).toThrow(/an empty window/);
    expect(() => driftReport(reference, current, { columns: ['zz'] })).toThrow(/the reference has no column "zz"; it has a, b, c, d/);
    expect(() => driftReport(reference, current, { method: 'nope' as never })).toThrow(/unknown method "nope"/);
    expect(() => driftReport(reference, current, { method: { c: 'ks' } })).toThrow(/method 'ks' needs numbers; column "c" is categorical/);
    expect(() => driftReport(reference, current, { threshold: 0 })).toThrow(/threshold for "a" must be a number > 0/);
    expect(() => driftReport(reference, current, { driftShare: 1.5 })).toThrow(/driftShare must be in \(0, 1\]/);
    const allMissing = { rows: 3, columns: { a: Float64Array.from([Number.NaN, Number.NaN, Number.NaN]) } };
    expect(() => driftReport(reference, allMissing, { columns: ['a'] })).toThrow(/"a" has no current values \(all missing\)/);
    expect(() => driftReport(reference, current, { currentPredictions: ['p'] })).toThrow(/the reference has none; pass referencePredictions/);
  });

  it('writes a self-contained page that opens in chromium with every drifted column drawn', async () => {
    const html = await driftReport(reference, current).toHtml({ title: 'Drift <check>' });
    const file = join(dir, 'drift.html');
    writeFileSync(file, html);
    const page = await openInBrowser(file, 'drift-report.png');
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.title).toBe('Drift <check>');
    expect(page.headings).toEqual(['Summary', 'Drifted columns']);
    expect(page.chartMarks).toHaveLength(4); // a and c drifted: reference and current charts of each
    for (const m of page.chartMarks) expect(m).toBeGreaterThan(0);
  });
});
