/**
 * Charts rendered to SVG in Node, put in a self-contained HTML document, and opened in a real
 * browser (chromium): no console error, no request, every chart drew marks, every section there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { barSpec, boxSpec, heatmapSpec, histogramSpec, lineSpec, renderChart, scatterSpec } from '../../src/index.js';
import { el, escapeHtml, formatNumber, htmlDocument, table, text, trusted } from '../../src/report/html.js';
import { openInBrowser } from '../helpers/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECS = {
  histogram: histogramSpec([0, 1, 2, 3, 4], [3, 7, 5, 1], { title: 'delay', x: 'minutes' }),
  bar: barSpec(['LAS', 'ORD', 'SFO'], [120, 80, 40], { title: 'origin' }),
  heatmap: heatmapSpec(['a', 'b', 'c'], [1, 0.5, -0.2, 0.5, 1, 0.1, -0.2, 0.1, 1], { title: 'Pearson' }),
  scatter: scatterSpec([1, 2, 3, 4], [2, 1, 4, 3], { group: ['x', 'x', 'y', 'y'], title: 'PCA' }),
  line: lineSpec([0, 1, 2, 3], { acf: [1, 0.6, 0.3, 0.1] }, { title: 'ACF' }),
  box: boxSpec([{ group: 'yes', min: 0, q1: 1, median: 2, q3: 3, max: 5 }], { title: 'by class' }),
};

describe('charts', () => {
  it('render every chart kind to a standalone SVG with drawn marks', async () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      const svg = await renderChart(spec);
      expect(svg.startsWith('<svg'), name).toBe(true);
      expect(svg, name).toMatch(/class="mark-(rect|symbol|line|rule|tick)/);
    }
  });

  it('refuse specs that would fetch data, and malformed input, with E_PARAM', async () => {
    await expect(renderChart({ data: { url: 'https://example.com/x.csv' }, mark: 'bar' })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /spec\.data\.url: .*inline/,
    });
    await expect(renderChart({ mark: 'nonsense-mark', data: { values: [] } })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /not a valid Vega-Lite spec/,
    });
    await expect(renderChart(null as never)).rejects.toMatchObject({ code: 'E_PARAM' });
    expect(() => histogramSpec([0, 1], [1, 2])).toThrow(/edges needs counts \+ 1 values/);
    expect(() => heatmapSpec(['a', 'b'], [1, 2, 3])).toThrow(/2 names need 4 values/);
    expect(() => scatterSpec([1], [1, 2])).toThrow(/x has 1 values but y has 2/);
    expect(() => lineSpec([0, 1], { s: [1] })).toThrow(/series "s" has 1 values for 2 x values/);
  });
});

describe('html', () => {
  it('escapes user text everywhere it goes', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(el('td', { title: '"><img src=x>' }, '<b>').html).toBe('<td title="&quot;&gt;&lt;img src=x&gt;">&lt;b&gt;</td>');
    expect(table(['col <1>'], [[1234567], [0.000012346], [null], [text('<i>')]]).html).toBe(
      '<table><thead><tr><th>col &lt;1&gt;</th></tr></thead><tbody><tr><td class="num">1,234,567</td></tr><tr><td class="num">1.235e-5</td></tr><tr><td class="na">–</td></tr><tr><td>&lt;i&gt;</td></tr></tbody></table>',
    );
    expect([formatNumber(Number.NaN), formatNumber(Infinity), formatNumber(2 / 3)]).toEqual(['NaN', '∞', '0.6667']);
    expect(() => el('scr ipt', {})).toThrow(/bad tag name/);
    expect(() => htmlDocument({ title: 't', sections: [{ id: '1 x', title: 'x', body: text('') }] })).toThrow(/section id/);
  });

  it('a document of every chart opens in chromium with no error, no request, and every chart drawn', async () => {
    const charts = await Promise.all(Object.values(SPECS).map(renderChart));
    const html = htmlDocument({
      title: 'Charts <test>',
      subtitle: 'every chart kind',
      sections: [
        { id: 'charts', title: 'Charts', body: trusted(`<div class="grid">${charts.map((c) => `<div class="card">${c}</div>`).join('')}</div>`) },
        { id: 'table', title: 'A table', body: table(['name', 'value'], [['<b>bold?</b>', 1.5]]) },
      ],
    });
    const file = join(dir, 'charts.html');
    writeFileSync(file, html);
    const page = await openInBrowser(file, 'report-charts.png');
    expect(page.consoleErrors).toEqual([]);
    expect(page.pageErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.title).toBe('Charts <test>');
    expect(page.headings).toEqual(['Charts', 'A table']);
    expect(page.chartMarks).toHaveLength(Object.keys(SPECS).length);
    for (const marks of page.chartMarks) expect(marks).toBeGreaterThan(0);
  });
});
