/** The profile as one self-contained HTML page: every section of profile.ts, charts as inline SVG. */
import { barSpec, boxSpec, heatmapSpec, histogramSpec, lineSpec, renderChart, scatterSpec } from '../report/charts.js';
import { el, formatNumber, htmlDocument, table, text, trusted, type Html, type Section } from '../report/html.js';
import type { CategoricalSummary, NumericSummary } from '../data/frame.js';
import type { ProfileResult, VariableProfile } from './profile-types.js';

const card = (svg: string) => `<div class="card">${svg}</div>`;
const grid = (cards: string[]) => trusted(`<div class="grid">${cards.join('')}</div>`);

function overview(p: ProfileResult): Html {
  const o = p.overview;
  const rows: (string | number)[][] = [
    ['rows', o.rows],
    ['columns', o.columns],
    ...Object.entries(o.types).map(([k, v]) => [`${k} columns`, v] as (string | number)[]),
    ['missing cells', `${o.missingCells} (${(o.missingShare * 100).toFixed(2)}%)`],
    ['duplicate rows', o.duplicateRows],
    ['memory', `${(o.memoryBytes / 2 ** 20).toFixed(2)} MiB`],
  ];
  return table(['', ''], rows);
}

function alerts(p: ProfileResult): Html {
  if (p.alerts.length === 0) return text('No alerts.');
  return trusted(
    p.alerts
      .map((a) => el('div', { class: a.kind === 'leakage' || a.kind === 'constant' ? 'alert' : 'alert warn', 'data-alert': a.kind }, a.message).html)
      .join(''),
  );
}

async function variable(v: VariableProfile): Promise<string> {
  const s = v.summary;
  const facts: (string | number | null)[][] =
    s.kind === 'categorical'
      ? [
          ['count', s.count],
          ['missing', s.missing],
          ['distinct', (s as CategoricalSummary).unique],
          ['most frequent', (s as CategoricalSummary).top],
        ]
      : [
          ['count', s.count],
          ['missing', `${s.missing} (${(s as NumericSummary).missingPct.toFixed(1)}%)`],
          ['zeros', `${(s as NumericSummary).zerosPct.toFixed(1)}%`],
          ['distinct', (s as NumericSummary).distinct],
          ['mean ± std', `${formatNumber((s as NumericSummary).mean)} ± ${formatNumber((s as NumericSummary).std)}`],
          [
            'min / median / max',
            `${formatNumber((s as NumericSummary).min)} / ${formatNumber((s as NumericSummary).median)} / ${formatNumber((s as NumericSummary).max)}`,
          ],
          ['skew / kurtosis', `${formatNumber((s as NumericSummary).skew)} / ${formatNumber((s as NumericSummary).kurtosis)}`],
          ['IQR outliers', v.iqrOutliers ?? null],
          ...(v.normality ? [[`normality (${v.normality.test})`, `p = ${formatNumber(v.normality.pvalue)}`]] : []),
        ];
  let chart = '';
  if (v.histogram?.counts.length) chart = await renderChart(histogramSpec(v.histogram.edges, v.histogram.counts, { title: v.name, x: v.name }));
  else if (v.topCategories?.length)
    chart = await renderChart(
      barSpec(
        v.topCategories.map((c) => c.category),
        v.topCategories.map((c) => c.count),
        { title: v.name },
      ),
    );
  return card(`${el('h3', {}, `${v.name} (${v.kind})`).html}${table(['', ''], facts).html}${chart}`);
}

async function correlations(p: ProfileResult): Promise<Html> {
  const c = p.correlations;
  const charts: Promise<string>[] = [];
  if (c.pearson) charts.push(renderChart(heatmapSpec(c.pearson.columns, c.pearson.matrix, { title: 'Pearson' })));
  if (c.spearman) charts.push(renderChart(heatmapSpec(c.spearman.columns, c.spearman.matrix, { title: 'Spearman' })));
  if (c.cramersV) charts.push(renderChart(heatmapSpec(c.cramersV.columns, c.cramersV.matrix, { title: "Cramér's V", domain: [0, 1] })));
  if (!charts.length) return text('Fewer than two numeric or two categorical columns: nothing to correlate.');
  const top = table(
    ['column', 'column', 'measure', 'value'],
    c.topPairs.map((t) => [t.a, t.b, t.method, t.value]),
  );
  return trusted(grid(await Promise.all(charts).then((s) => s.map(card))).html + el('h3', {}, 'Strongest pairs').html + top.html);
}

async function missing(p: ProfileResult): Promise<Html> {
  const m = p.missing;
  const charts = [
    renderChart(
      barSpec(
        m.perColumn.map((c) => c.column),
        m.perColumn.map((c) => c.share),
        { title: 'Missing share per column', x: 'share' },
      ),
    ),
  ];
  if (m.coMissing)
    charts.push(renderChart(heatmapSpec(m.coMissing.columns, m.coMissing.matrix, { title: 'Co-missingness (correlation of missing indicators)' })));
  return grid((await Promise.all(charts)).map(card));
}

async function target(p: ProfileResult): Promise<Html> {
  const t = p.target!;
  const charts: Promise<string>[] = [];
  if (t.classes)
    charts.push(
      renderChart(
        barSpec(
          t.classes.map((c) => c.label),
          t.classes.map((c) => c.count),
          { title: `${t.column}: class balance` },
        ),
      ),
    );
  if (t.histogram) charts.push(renderChart(histogramSpec(t.histogram.edges, t.histogram.counts, { title: `${t.column}: distribution`, x: t.column })));
  for (const r of t.relations.slice(0, 6)) if (r.byClass) charts.push(renderChart(boxSpec(r.byClass, { title: `${r.feature} by ${t.column}` })));
  const relations = table(
    ['feature', 'test', 'statistic', 'p-value', 'mutual information'],
    t.relations.map((r) => [r.feature, r.test, r.statistic, r.pvalue, r.mutualInfo]),
  );
  return trusted(grid((await Promise.all(charts)).map(card)).html + el('h3', {}, `Each feature against ${t.column}`).html + relations.html);
}

async function pcaAndPairs(p: ProfileResult): Promise<Html> {
  const charts: Promise<string>[] = [];
  if (p.pca) {
    const labels = p.pca.points.some((q) => q.label !== null) ? p.pca.points.map((q) => q.label ?? '(missing)') : undefined;
    charts.push(
      renderChart(
        scatterSpec(
          p.pca.points.map((q) => q.x),
          p.pca.points.map((q) => q.y),
          {
            ...(labels ? { group: labels } : {}),
            title: `PCA of ${p.pca.columns.length} numeric columns`,
            xTitle: `PC1 (${(p.pca.explainedVarianceRatio[0] * 100).toFixed(1)}%)`,
            yTitle: `PC2 (${(p.pca.explainedVarianceRatio[1] * 100).toFixed(1)}%)`,
          },
        ),
      ),
    );
  }
  if (p.pairPlot) {
    const { columns, points, labels } = p.pairPlot;
    const group = labels.some((l) => l !== null) ? labels.map((l) => l ?? '(missing)') : undefined;
    for (let i = 0; i < columns.length; i++)
      for (let j = i + 1; j < columns.length; j++)
        charts.push(
          renderChart(
            scatterSpec(
              points.map((q) => q[columns[i]]),
              points.map((q) => q[columns[j]]),
              { ...(group ? { group } : {}), xTitle: columns[i], yTitle: columns[j] },
            ),
          ),
        );
  }
  return charts.length ? grid((await Promise.all(charts)).map(card)) : text('Fewer than two numeric columns with complete rows.');
}

async function timeSeries(p: ProfileResult): Promise<Html> {
  const ts = p.timeSeries!;
  const charts = Object.entries(ts.series)
    .filter(([, pts]) => pts.length > 1)
    .map(([name, pts]) =>
      renderChart(
        lineSpec(
          pts.map((q) => q.t),
          { [name]: pts.map((q) => q.v) },
          { title: `${name} over ${ts.column}` },
        ),
      ),
    );
  return charts.length ? grid((await Promise.all(charts)).map(card)) : text('No numeric column to plot over time.');
}

export async function profileHtml(p: ProfileResult, title: string): Promise<string> {
  const sections: Section[] = [
    { id: 'overview', title: 'Overview', body: overview(p) },
    { id: 'alerts', title: 'Alerts', body: alerts(p) },
    { id: 'variables', title: 'Variables', body: grid(await Promise.all(p.variables.map(variable))) },
    { id: 'correlations', title: 'Correlations', body: await correlations(p) },
    { id: 'missing', title: 'Missing values', body: await missing(p) },
  ];
  if (p.target) sections.push({ id: 'target', title: `Target: ${p.target.column}`, body: await target(p) });
  sections.push({ id: 'pca', title: 'PCA and pair plot', body: await pcaAndPairs(p) });
  if (p.timeSeries) sections.push({ id: 'time', title: `Over time: ${p.timeSeries.column}`, body: await timeSeries(p) });
  return htmlDocument({ title, subtitle: `${p.overview.rows} rows × ${p.overview.columns} columns`, sections });
}
