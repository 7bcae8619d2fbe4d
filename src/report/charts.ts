/**
 * Charts as inline SVG, rendered in Node: a Vega-Lite spec compiled by vega-lite and drawn by
 * vega's headless SVG renderer. Chosen because Vega-Lite is the declarative grammar analysts
 * already read, its renderer needs no browser, canvas or network, and one library then serves the
 * profile report and the monitoring dashboard. The spec builders below cover what those reports
 * draw; `renderChart` takes any Vega-Lite spec. Data travel inline: no URL is ever fetched.
 */
import { ParamError } from '../core/errors.js';

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html), data inline. */
export type ChartSpec = Record<string, unknown>;

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');
let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;

/** vega and vega-lite load on the first chart (about a second), not when kiln is imported. */
function load(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

/** Refuses specs that would fetch something: reports must open offline, with nothing loaded from outside. */
function checkInline(spec: unknown, at = 'spec'): void {
  if (spec === null || typeof spec !== 'object') return;
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'url' && !Array.isArray(spec)) throw new ParamError(`renderChart: ${at}.url: charts take their data inline (data.values), never from a URL`);
    checkInline(v, Array.isArray(spec) ? `${at}[${k}]` : `${at}.${k}`);
  }
}

/** Renders a Vega-Lite spec to a standalone <svg> element (text measured by vega's estimate, no fonts loaded). */
export async function renderChart(spec: ChartSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ParamError('renderChart: spec must be a Vega-Lite specification object');
  checkInline(spec);
  const [vega, vl] = await load();
  let compiled: ReturnType<VegaLiteModule['compile']>;
  try {
    compiled = vl.compile({ config: CHART_CONFIG, ...spec } as never);
  } catch (e) {
    throw new ParamError(`renderChart: not a valid Vega-Lite spec (${(e as Error).message})`);
  }
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One look for every chart: system fonts only (nothing to download), quiet axes. */
const CHART_CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11 },
};

const SMALL = { width: 260, height: 140 };

/** Bars of counts over precomputed bins (edges has one more value than counts). */
export function histogramSpec(edges: ArrayLike<number>, counts: ArrayLike<number>, opts: { title?: string; x?: string } = {}): ChartSpec {
  if (edges.length !== counts.length + 1) throw new ParamError(`histogramSpec: edges needs counts + 1 values (${counts.length + 1}), got ${edges.length}`);
  const values = Array.from(counts, (c, i) => ({ lo: edges[i], hi: edges[i + 1], count: c }));
  return {
    ...SMALL,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: opts.x ?? null },
      x2: { field: 'hi' },
      y: { field: 'count', type: 'quantitative', title: 'rows' },
    },
  };
}

/** Horizontal bars of category counts, in the order given (e.g. most frequent first). */
export function barSpec(categories: readonly string[], counts: ArrayLike<number>, opts: { title?: string; x?: string } = {}): ChartSpec {
  if (categories.length !== counts.length) throw new ParamError(`barSpec: ${categories.length} categories but ${counts.length} counts`);
  return {
    width: SMALL.width,
    height: { step: 14 },
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: categories.map((c, i) => ({ category: c, count: counts[i] })) },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      y: { field: 'category', type: 'nominal', sort: null, title: null },
      x: { field: 'count', type: 'quantitative', title: opts.x ?? 'rows' },
    },
  };
}

/** A square matrix (row-major) as a heatmap with values in [-1, 1] (correlations) or [0, 1]. */
export function heatmapSpec(names: readonly string[], values: ArrayLike<number>, opts: { title?: string; domain?: [number, number] } = {}): ChartSpec {
  const n = names.length;
  if (values.length !== n * n) throw new ParamError(`heatmapSpec: ${n} names need ${n * n} values, got ${values.length}`);
  const cells: { a: string; b: string; v: number | null }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) cells.push({ a: names[i], b: names[j], v: Number.isFinite(values[i * n + j]) ? values[i * n + j] : null });
  const domain = opts.domain ?? [-1, 1];
  return {
    width: { step: 18 },
    height: { step: 18 },
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: cells },
    mark: 'rect',
    encoding: {
      x: { field: 'b', type: 'nominal', sort: null, title: null },
      y: { field: 'a', type: 'nominal', sort: null, title: null },
      color: { field: 'v', type: 'quantitative', scale: { domain, scheme: domain[0] < 0 ? 'redblue' : 'blues', reverse: domain[0] < 0 }, title: null },
      tooltip: [{ field: 'a' }, { field: 'b' }, { field: 'v', format: '.3f' }],
    },
  };
}

/** Points (x, y), optionally coloured by a group label. */
export function scatterSpec(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: { group?: readonly (string | number)[]; title?: string; xTitle?: string; yTitle?: string } = {},
): ChartSpec {
  if (x.length !== y.length) throw new ParamError(`scatterSpec: x has ${x.length} values but y has ${y.length}`);
  if (opts.group && opts.group.length !== x.length) throw new ParamError(`scatterSpec: group has ${opts.group.length} labels for ${x.length} points`);
  return {
    ...SMALL,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: Array.from(x, (xv, i) => ({ x: xv, y: y[i], ...(opts.group ? { g: String(opts.group[i]) } : {}) })) },
    mark: { type: 'circle', size: 24, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? null, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? null, scale: { zero: false } },
      ...(opts.group ? { color: { field: 'g', type: 'nominal', title: null } } : {}),
    },
  };
}

/** Lines of one or more series over a shared x (e.g. a time series and its trend, or ACF lags). */
export function lineSpec(
  x: ArrayLike<number | string>,
  series: Record<string, ArrayLike<number>>,
  opts: { title?: string; xType?: 'quantitative' | 'temporal' | 'ordinal' } = {},
): ChartSpec {
  const values: { x: number | string; s: string; y: number | null }[] = [];
  for (const [name, ys] of Object.entries(series)) {
    if (ys.length !== x.length) throw new ParamError(`lineSpec: series ${JSON.stringify(name)} has ${ys.length} values for ${x.length} x values`);
    for (let i = 0; i < x.length; i++) values.push({ x: x[i], s: name, y: Number.isFinite(ys[i]) ? ys[i] : null });
  }
  return {
    width: 560,
    height: 140,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'x', type: opts.xType ?? 'quantitative', title: null },
      y: { field: 'y', type: 'quantitative', title: null, scale: { zero: false } },
      color: { field: 's', type: 'nominal', title: null },
    },
  };
}

/** Box plots of a value per group from precomputed five-number summaries (and the outlier count). */
export function boxSpec(
  groups: readonly { group: string; min: number; q1: number; median: number; q3: number; max: number }[],
  opts: { title?: string } = {},
): ChartSpec {
  return {
    width: SMALL.width,
    height: { step: 18 },
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: groups },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y: { field: 'group', type: 'nominal', title: null },
          x: { field: 'min', type: 'quantitative', title: null, scale: { zero: false } },
          x2: { field: 'max' },
        },
      },
      {
        mark: { type: 'bar', size: 12, color: '#9ecae9' },
        encoding: { y: { field: 'group', type: 'nominal' }, x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' } },
      },
      {
        mark: { type: 'tick', color: '#1f3b73', size: 12 },
        encoding: { y: { field: 'group', type: 'nominal' }, x: { field: 'median', type: 'quantitative' } },
      },
    ],
  };
}
