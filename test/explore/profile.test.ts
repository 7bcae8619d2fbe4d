/**
 * profile(): the penguins of vega-datasets (missing values, categoricals, a target) with a leak
 * and a constant column added, and seattle-weather over time; numbers checked against the data
 * themselves and the stats room, the alerts that must (and must not) appear, the page opened in
 * chromium, and bad input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chi2Contingency, contingencyTable, cramersV, fOneway, Frame, fromRecords, mutualInfo, PCA, pearsonr, profile, readCsv } from '../../src/index.js';
import { openInBrowser } from '../helpers/browser.js';
import { root } from '../helpers/dist.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = JSON.parse(readFileSync(join(root, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, unknown>[];
const species = [...new Set(records.map((r) => r.Species as string))].sort();
// a leak (the species as a number) and a constant column
const rows = records.map((r) => ({ ...r, leak: species.indexOf(r.Species as string) + 0.5, constant: 7 }));
const frame = Frame.fromTable(fromRecords(rows));

describe('profile', () => {
  it('profiles penguins: overview, variables, target relations and the alerts that apply', async () => {
    const report = await profile(frame, { target: 'Species', sample: 200 });
    const p = report.toJSON();
    const cells = rows.flatMap((r) => Object.values(r));
    expect(p.overview).toMatchObject({ rows: 344, columns: 9, missingCells: cells.filter((v) => v === null).length, duplicateRows: 0 });
    const mass = p.variables.find((v) => v.name === 'Body Mass (g)')!;
    expect((mass.summary as { mean: number }).mean).toBeCloseTo(4201.754385964912, 9);
    expect(mass.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(342);
    expect(mass.normality!.test).toBe('shapiro');
    expect(p.target).toMatchObject({ column: 'Species', task: 'classification' });
    expect(p.target!.classes!.map((c) => c.count).reduce((a, b) => a + b, 0)).toBe(344);
    // the ANOVA of flipper length across species is the stats room's, on the same groups
    const flipper = p.target!.relations.find((r) => r.feature === 'Flipper Length (mm)')!;
    const groups = species.map((s) =>
      records.filter((r) => r.Species === s && typeof r['Flipper Length (mm)'] === 'number').map((r) => r['Flipper Length (mm)'] as number),
    );
    expect(flipper.test).toBe('fOneway');
    expect(flipper.statistic).toBeCloseTo(fOneway(groups).statistic, 9);
    expect(flipper.pvalue).toBeLessThan(1e-50);
    expect(flipper.byClass!.map((b) => b.group)).toEqual(species);
    // a categorical feature: chi-square and mutual information of the complete (island, species) pairs, as the stats room gives them
    const island = p.target!.relations.find((r) => r.feature === 'Island')!;
    const pairs = records.filter((r) => r.Island !== null && r.Species !== null);
    const [a, b] = [pairs.map((r) => r.Island as string), pairs.map((r) => r.Species as string)];
    expect(island.test).toBe('chi2Contingency');
    expect(island.mutualInfo).toBeCloseTo(mutualInfo(a, b), 12);
    expect(island.statistic).toBeCloseTo(chi2Contingency(contingencyTable(a, b).observed).statistic, 9);
    // a numeric feature: mutual information of its deciles with the species
    expect(flipper.mutualInfo).toBeGreaterThan(0.5);
    // relations ranked by mutual information: the leak first
    expect(p.target!.relations[0].feature).toBe('leak');
    const kinds = p.alerts.map((a) => `${a.kind}:${a.column ?? ''}`);
    expect(kinds).toContain('leakage:leak');
    expect(kinds).toContain('constant:constant');
    expect(kinds.filter((k) => k.startsWith('leakage:'))).toEqual(['leakage:leak']);
    expect(kinds).not.toContain('duplicates:');
    expect(p.pca!.points.length).toBe(200);
    expect(p.pca!.explainedVarianceRatio[0]).toBeGreaterThan(p.pca!.explainedVarianceRatio[1]);
    expect(p.pairPlot!.columns[0]).toBe('leak');
    expect(p.correlations.pearson!.columns).not.toContain('constant');
    expect(p.correlations.topPairs[0].value).toBeGreaterThan(0.8); // flipper length and body mass, r ≈ 0.87
  });

  it('computes its categorical, missingness and PCA sections as the stats room and a direct computation do', async () => {
    const p = (await profile(frame, { target: 'Species', sample: 200 })).toJSON();
    // top categories: the counts of each island, most frequent first
    const islands = new Map<string, number>();
    for (const r of records) if (r.Island !== null) islands.set(r.Island as string, (islands.get(r.Island as string) ?? 0) + 1);
    const expected = [...islands].sort((a, b) => b[1] - a[1]).map(([category, count]) => ({ category, count }));
    expect(p.variables.find((v) => v.name === 'Island')!.topCategories).toEqual(expected);
    // Cramér's V of (Island, Species, Sex) pairs: the stats room's on the label arrays
    const cv = p.correlations.cramersV!;
    const labels = (c: string) => records.map((r) => r[c] as string | null);
    for (let i = 0; i < cv.columns.length; i++)
      for (let j = 0; j < cv.columns.length; j++)
        expect(cv.matrix[i * cv.columns.length + j]).toBeCloseTo(i === j ? 1 : cramersV(labels(cv.columns[i]), labels(cv.columns[j])), 12);
    // co-missingness: Pearson's r of the missing indicators
    const cm = p.missing.coMissing!;
    const isna = (c: string) => rows.map((r) => ((r as Record<string, unknown>)[c] === null ? 1 : 0));
    expect(cm.matrix[1]).toBeCloseTo(pearsonr(isna(cm.columns[0]), isna(cm.columns[1])).statistic, 12);
    // PCA: the explained variance of the standardised complete rows, as PCA gives it directly
    const cols = p.pca!.columns;
    const complete = rows.filter((r) => cols.every((c) => typeof (r as Record<string, unknown>)[c] === 'number'));
    const Z = cols.map((c) => {
      const v = complete.map((r) => (r as Record<string, unknown>)[c] as number);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      return v.map((x) => (x - mean) / sd);
    });
    const direct = await new PCA({ nComponents: 2 }).fit(complete.map((_, r) => Z.map((z) => z[r])));
    expect(p.pca!.explainedVarianceRatio[0]).toBeCloseTo(direct.explainedVarianceRatio[0], 9);
    expect(p.pca!.explainedVarianceRatio[1]).toBeCloseTo(direct.explainedVarianceRatio[1], 9);
  });

  it('writes a page that opens in chromium with every section and every chart drawn', async () => {
    const html = await (await profile(frame, { target: 'Species', sample: 200 })).toHtml({ title: 'Penguins' });
    const file = join(dir, 'penguins.html');
    writeFileSync(file, html);
    const page = await openInBrowser(file, 'profile-penguins.png');
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.headings).toEqual(['Overview', 'Alerts', 'Variables', 'Correlations', 'Missing values', 'Target: Species', 'PCA and pair plot']);
    expect(page.chartMarks.length).toBeGreaterThan(15);
    for (const m of page.chartMarks) expect(m).toBeGreaterThan(0);
    expect(page.text).toMatch(/leak determines Species almost exactly/);
  });

  it('adds a time section over a date column (seattle-weather)', async () => {
    const t = await readCsv(join(root, 'node_modules/vega-datasets/data/seattle-weather.csv'));
    const weather = Frame.fromTable(t, { date: 'datetime' }); // readCsv reads ISO dates as epoch ms
    const p = (await profile(weather, { target: 'weather', timeColumn: 'date' })).toJSON();
    expect(p.timeSeries!.column).toBe('date');
    expect(Object.keys(p.timeSeries!.series)).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    const temps = p.timeSeries!.series.temp_max;
    expect(temps.length).toBeGreaterThan(100);
    expect(temps.every((q, i) => i === 0 || q.t >= temps[i - 1].t)).toBe(true);
  });

  it('refuses bad input with E_PARAM', async () => {
    await expect(profile(frame, { target: 'nope' })).rejects.toMatchObject({ code: 'E_PARAM', message: /target "nope" is not a column/ });
    await expect(profile(frame, { sample: 2 })).rejects.toMatchObject({ code: 'E_PARAM', message: /sample must be an integer >= 10/ });
    await expect(profile(Frame.fromTable({ rows: 0, columns: { a: new Float64Array(0) } }))).rejects.toMatchObject({ code: 'E_PARAM', message: /no rows/ });
    await expect(profile({} as never)).rejects.toMatchObject({ code: 'E_PARAM', message: /must be a Frame/ });
    await expect(profile(frame, { timeColumn: 'Island' })).rejects.toMatchObject({ code: 'E_PARAM', message: /must hold dates or numbers/ });
  });
});
