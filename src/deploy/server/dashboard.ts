/**
 * GET /dashboard: one self-contained page (no outside script, font or image) showing throughput
 * and latency over time, errors, the live versions, per-feature drift now and over time, the
 * prediction distribution against the reference, rolling performance with feedback, and alerts.
 * Charts are SVG rendered on the server (report/). The page itself holds no data and is open; it
 * polls GET /dashboard/fragment (behind the server's auth: the token, when there is one, is read
 * from the page URL's #token=… fragment, which browsers never send) and swaps its content.
 * GET /dashboard/data is the same state as JSON.
 */
import type { FastifyInstance } from 'fastify';
import { barSpec, lineSpec, renderChart } from '../../report/charts.js';
import { el, escapeHtml, htmlDocument, table, text, trusted, type Html } from '../../report/html.js';
import type { AlertEvent } from '../../monitor/alerts.js';
import type { DriftSnapshot } from './drift-schedule.js';
import type { SeriesPoint } from './request-series.js';

export interface DashboardState {
  generatedAt: string;
  live: { variant: string; name: string; version: number | string }[];
  series: SeriesPoint[];
  drift: { latest: readonly DriftSnapshot[]; history: readonly DriftSnapshot[] } | null;
  alerts: { firing: string[]; recent: AlertEvent[] } | null;
}

/** The page's refresh: fetch the fragment with the token from the URL fragment, replace <main>. */
const POLL = `
const token = new URLSearchParams(location.hash.slice(1)).get('token');
async function refresh() {
  try {
    const res = await fetch('/dashboard/fragment', { headers: token ? { authorization: 'Bearer ' + token } : {} });
    const html = await res.text();
    document.querySelector('main').innerHTML = res.ok ? html : '<section><h2>Unavailable</h2><p>' + res.status + '</p></section>';
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    document.body.dataset.error = String(e);
  }
}
refresh();
setInterval(refresh, 5000);
`;

export function dashboardShell(): string {
  return htmlDocument({
    title: 'kiln server',
    subtitle: 'traffic, drift, performance and alerts — refreshed every 5 s',
    sections: [{ id: 'loading', title: 'Loading…', body: text('Fetching the state of the server.') }],
    script: POLL,
  });
}

const fmtTime = (t: number) => new Date(t).toISOString().slice(11, 19);

async function trafficCharts(series: SeriesPoint[]): Promise<Html> {
  if (series.length === 0) return text('No requests yet.');
  const x = series.map((p) => fmtTime(p.t));
  const [req, lat] = await Promise.all([
    renderChart(
      lineSpec(x, { requests: series.map((p) => p.requests), errors: series.map((p) => p.errors) }, { title: 'Requests per 10 s', xType: 'ordinal' }),
    ),
    renderChart(
      lineSpec(x, { 'p50 ms': series.map((p) => p.p50 * 1000), 'p99 ms': series.map((p) => p.p99 * 1000) }, { title: 'Latency (ms)', xType: 'ordinal' }),
    ),
  ]);
  return trusted(`<div class="grid"><div class="card">${req}</div><div class="card">${lat}</div></div>`);
}

async function driftSection(drift: DashboardState['drift']): Promise<Html> {
  if (!drift) return text('Drift is off: start the server with predictionLog and drift.');
  if (drift.latest.length === 0) return text('No drift computed yet (too few logged rows in the window, or no model with a reference profile).');
  const parts: string[] = [];
  for (const s of drift.latest) {
    const head = `${s.model} v${s.version} (${s.variant}), ${s.rows} rows: ${s.drift.datasetDrift ? 'DATASET DRIFT' : 'no dataset drift'}, ${s.drift.driftedColumns} of ${s.drift.features.length} features drifted`;
    const rows = s.drift.features.map((f) => {
      const q = s.quality.find((x) => x.column === f.column);
      return [
        f.column,
        f.method,
        f.statistic,
        f.drifted ? el('strong', {}, 'drift') : 'no',
        q ? q.missingShare : null,
        q?.outOfRangeShare ?? q?.unseenShare ?? null,
      ] as (string | number | Html | null)[];
    });
    parts.push(el('h3', {}, head).html, table(['feature', 'method', 'statistic', 'drift', 'missing', 'out of range / unseen'], rows).html);
    const mine = drift.history.filter((h) => h.model === s.model && h.version === s.version && h.variant === s.variant);
    const charts: Promise<string>[] = [];
    if (mine.length > 1) {
      const x = mine.map((h) => fmtTime(h.at));
      const series = Object.fromEntries(
        s.drift.features.slice(0, 8).map((f) => [f.column, mine.map((h) => h.drift.features.find((g) => g.column === f.column)?.statistic ?? Number.NaN)]),
      );
      charts.push(renderChart(lineSpec(x, series, { title: 'Drift statistic over time', xType: 'ordinal' })));
      const perf = mine.map((h) => h.performance.value ?? Number.NaN);
      if (perf.some((v) => !Number.isNaN(v)))
        charts.push(renderChart(lineSpec(x, { [s.performance.metric]: perf }, { title: 'Performance on feedback', xType: 'ordinal' })));
    }
    if (s.predictionShares) {
      const keys = [...new Set([...Object.keys(s.predictionShares.reference), ...Object.keys(s.predictionShares.current)])].sort().slice(0, 20);
      charts.push(
        renderChart(
          barSpec(
            keys,
            keys.map((k) => s.predictionShares!.reference[k] ?? 0),
            { title: 'Predictions: reference', x: 'share' },
          ),
        ),
      );
      charts.push(
        renderChart(
          barSpec(
            keys,
            keys.map((k) => s.predictionShares!.current[k] ?? 0),
            { title: 'Predictions: window', x: 'share' },
          ),
        ),
      );
    }
    if (s.performance.value !== null)
      parts.push(el('p', {}, `${s.performance.metric} on ${s.performance.rows} rows with feedback: ${s.performance.value.toPrecision(4)}`).html);
    const svgs = await Promise.all(charts);
    if (svgs.length) parts.push(`<div class="grid">${svgs.map((c) => `<div class="card">${c}</div>`).join('')}</div>`);
  }
  return trusted(parts.join(''));
}

function alertsSection(alerts: DashboardState['alerts']): Html {
  if (!alerts) return text('No alert rules configured.');
  const firing = alerts.firing.length
    ? alerts.firing.map((r) => el('div', { class: 'alert', 'data-alert': r }, `FIRING: ${r}`).html).join('')
    : el('p', {}, 'Nothing firing.').html;
  const recent = alerts.recent.length
    ? table(
        ['time', 'rule', 'status', 'severity', 'value', 'threshold'],
        [...alerts.recent].reverse().map((e) => [new Date(e.at).toISOString(), e.rule, e.status, e.severity, e.value, `${e.op} ${e.threshold}`]),
      ).html
    : '';
  return trusted(firing + recent);
}

/** The sections of the page as one HTML fragment (what /dashboard/fragment answers). */
export async function dashboardFragment(state: DashboardState): Promise<string> {
  const sections: { id: string; title: string; body: Html }[] = [
    {
      id: 'live',
      title: 'Live models',
      body: state.live.length
        ? table(
            ['variant', 'model', 'version'],
            state.live.map((v) => [v.variant, v.name, String(v.version)]),
          )
        : text('No model loaded yet.'),
    },
    { id: 'traffic', title: 'Traffic and latency', body: await trafficCharts(state.series) },
    { id: 'alerts', title: 'Alerts', body: alertsSection(state.alerts) },
    { id: 'drift', title: 'Drift, data quality and performance', body: await driftSection(state.drift) },
  ];
  return (
    sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.body.html}</section>`).join('\n') +
    `<p class="muted">generated ${escapeHtml(state.generatedAt)}</p>`
  );
}

export function dashboardRoutes(app: FastifyInstance, state: () => DashboardState): void {
  app.get('/dashboard', { config: { open: true } }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return dashboardShell();
  });
  app.get('/dashboard/fragment', async (_req, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return dashboardFragment(state());
  });
  app.get('/dashboard/data', async () => state());
}
