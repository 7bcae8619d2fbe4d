/**
 * driftReport: per-feature data drift between a reference (a table, or the reference profile a
 * model carries) and current data, with Evidently's default method choice and thresholds, and the
 * dataset verdict (drift when the drifted share of features reaches `driftShare`, default 0.5).
 * Prediction and target drift run the same way when their columns are given. `.toJSON()` holds
 * every number; `.toHtml()` is a self-contained page (report/ charts).
 */
import { ParamError } from '../core/errors.js';
import type { Column, Table } from '../data/table.js';
import { barSpec, histogramSpec, renderChart } from '../report/charts.js';
import { el, htmlDocument, table, text, trusted, type Html } from '../report/html.js';
import { numericShares } from './drift-distances.js';
import { DRIFT_METHODS, METHODS, countsOf, defaultMethod, type DriftMethod, type DriftValues } from './drift-tests.js';
import { OTHER_CATEGORIES, type FeatureReference, type ReferenceProfile } from './reference-profile.js';

export interface DriftOptions {
  /** The columns to check. Default: every column of the reference (profile features, or table columns). */
  columns?: string[];
  /** A method for every column, or per column; default: Evidently's choice per column. */
  method?: DriftMethod | Record<string, DriftMethod>;
  /** A threshold for every column, or per column; default: the method's (0.05 for p-values, 0.1 for distances). */
  threshold?: number | Record<string, number>;
  /** Share of drifted columns from which the dataset drifts, in (0, 1]. Default: 0.5. */
  driftShare?: number;
  /** Predictions on the current rows: checked against the reference's predictions (a profile's, or `referencePredictions`). */
  currentPredictions?: Column | readonly unknown[];
  referencePredictions?: Column | readonly unknown[];
  /** The true target of the current rows, against the reference's target. */
  currentTarget?: Column | readonly unknown[];
  referenceTarget?: Column | readonly unknown[];
}

export interface FeatureDrift {
  column: string;
  kind: 'numeric' | 'categorical';
  method: DriftMethod;
  /** The p-value (ks, chisquare, z) or the distance. */
  statistic: number;
  /** 'pvalue': drift when statistic < threshold; 'distance': when statistic >= threshold. */
  scale: 'pvalue' | 'distance';
  threshold: number;
  drifted: boolean;
  reference: { count: number; missing: number };
  current: { count: number; missing: number };
}

export interface DriftResult {
  referenceRows: number;
  currentRows: number;
  features: FeatureDrift[];
  driftedColumns: number;
  driftedShare: number;
  driftShare: number;
  datasetDrift: boolean;
  prediction?: FeatureDrift;
  target?: FeatureDrift;
}

const isProfile = (r: unknown): r is ReferenceProfile => !!r && typeof r === 'object' && 'features' in r && 'version' in r;

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

/** A column's non-missing values as drift values; numbers stay numbers, anything else is a category. */
function valuesOf(col: Column | readonly unknown[], kind?: 'numeric' | 'categorical'): { v: DriftValues; count: number; missing: number } {
  const n = col.length;
  if (col instanceof Float64Array && kind !== 'categorical') {
    let missing = 0;
    for (let i = 0; i < n; i++) if (!Number.isFinite(col[i])) missing++;
    // no missing values: the column itself (every method copies before it sorts)
    const values = missing === 0 ? col : col.filter((x) => Number.isFinite(x));
    return { v: { kind: 'numeric', values }, count: n, missing };
  }
  const numeric = kind === 'numeric' || (kind === undefined && Array.from(col as ArrayLike<unknown>).every((x) => typeof x === 'number' || x === null));
  if (numeric) {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = (col as ArrayLike<unknown>)[i];
      if (typeof x === 'number' && Number.isFinite(x)) out.push(x);
      else if (!isMissing(x)) throw new ParamError(`driftReport: a numeric column holds ${JSON.stringify(x)}`);
    }
    return { v: { kind: 'numeric', values: Float64Array.from(out) }, count: n, missing: n - out.length };
  }
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const x = (col as ArrayLike<unknown>)[i];
    if (isMissing(x)) missing++;
    else counts.set(String(x), (counts.get(String(x)) ?? 0) + 1);
  }
  return { v: { kind: 'categorical', counts }, count: n, missing };
}

/** A profiled feature as drift values: the reservoir sample for numbers, the frequencies for categories. */
function valuesOfProfile(f: FeatureReference): { v: DriftValues; count: number; missing: number } {
  if (f.kind === 'numeric') return { v: { kind: 'numeric', values: Float64Array.from(f.sample) }, count: f.count, missing: f.missing };
  const counts = new Map(Object.entries(f.frequencies).filter(([k]) => k !== OTHER_CATEGORIES));
  return { v: { kind: 'categorical', counts }, count: f.count, missing: f.missing };
}

function distinct(a: DriftValues, b: DriftValues): number {
  return new Set([...countsOf(a).keys(), ...countsOf(b).keys()]).size;
}

function pick<T>(opt: T | Record<string, T> | undefined, column: string, isValue: (x: unknown) => x is T): T | undefined {
  if (opt === undefined) return undefined;
  if (isValue(opt)) return opt;
  return (opt as Record<string, T>)[column];
}

function compare(
  column: string,
  ref: { v: DriftValues; count: number; missing: number },
  cur: { v: DriftValues; count: number; missing: number },
  referenceRows: number,
  opts: DriftOptions,
): FeatureDrift {
  const empty = (x: DriftValues) => (x.kind === 'numeric' ? x.values.length === 0 : x.counts.size === 0);
  if (empty(ref.v)) throw new ParamError(`driftReport: column ${JSON.stringify(column)} has no reference values (all missing)`);
  if (empty(cur.v)) throw new ParamError(`driftReport: column ${JSON.stringify(column)} has no current values (all missing)`);
  // a side read as numbers against one read as categories: compare both as categories
  let r = ref.v,
    c = cur.v;
  if (r.kind !== c.kind) (r = { kind: 'categorical', counts: countsOf(r) }), (c = { kind: 'categorical', counts: countsOf(c) });
  const kind = r.kind;
  const method = pick(opts.method, column, (x): x is DriftMethod => typeof x === 'string') ?? defaultMethod(referenceRows, kind, distinct(r, c));
  if (!DRIFT_METHODS.includes(method))
    throw new ParamError(`driftReport: unknown method ${JSON.stringify(method)} for ${JSON.stringify(column)}; use one of ${DRIFT_METHODS.join(', ')}`);
  const spec = METHODS[method];
  if (spec.numericOnly && kind !== 'numeric')
    throw new ParamError(`driftReport: method '${method}' needs numbers; column ${JSON.stringify(column)} is categorical`);
  const threshold = pick(opts.threshold, column, (x): x is number => typeof x === 'number') ?? spec.defaultThreshold;
  if (!(threshold > 0)) throw new ParamError(`driftReport: threshold for ${JSON.stringify(column)} must be a number > 0, got ${threshold}`);
  const statistic = spec.run(r, c);
  const drifted = spec.scale === 'pvalue' ? statistic < threshold : statistic >= threshold;
  return {
    column,
    kind,
    method,
    statistic,
    scale: spec.scale,
    threshold,
    drifted,
    reference: { count: ref.count, missing: ref.missing },
    current: { count: cur.count, missing: cur.missing },
  };
}

export class DriftReport implements DriftResult {
  referenceRows!: number;
  currentRows!: number;
  features!: FeatureDrift[];
  driftedColumns!: number;
  driftedShare!: number;
  driftShare!: number;
  datasetDrift!: boolean;
  prediction?: FeatureDrift;
  target?: FeatureDrift;
  /** The values compared, for the charts of toHtml (not in toJSON). */
  readonly #values: Map<string, [DriftValues, DriftValues]>;

  constructor(result: DriftResult, values: Map<string, [DriftValues, DriftValues]>) {
    Object.assign(this, result);
    this.#values = values;
  }

  toJSON(): DriftResult {
    const { referenceRows, currentRows, features, driftedColumns, driftedShare, driftShare, datasetDrift, prediction, target } = this;
    return {
      referenceRows,
      currentRows,
      features,
      driftedColumns,
      driftedShare,
      driftShare,
      datasetDrift,
      ...(prediction ? { prediction } : {}),
      ...(target ? { target } : {}),
    };
  }

  /** A self-contained HTML page: the verdict, a table of every column, and a chart of each drifted one. */
  async toHtml(opts: { title?: string } = {}): Promise<string> {
    const rows = [...this.features, ...(this.prediction ? [this.prediction] : []), ...(this.target ? [this.target] : [])];
    const summary = table(
      ['column', 'type', 'method', 'statistic', 'threshold', 'drift', 'missing (ref → cur)'],
      rows.map((f) => [
        f.column,
        f.kind,
        f.method,
        f.statistic,
        f.threshold,
        f.drifted ? el('strong', { class: 'drift' }, 'drift') : 'no',
        `${f.reference.missing} → ${f.current.missing}`,
      ]),
    );
    const charts: string[] = [];
    for (const f of rows.filter((x) => x.drifted).slice(0, 40)) {
      const pair = this.#values.get(f.column);
      if (!pair) continue;
      charts.push(`<div class="card">${await sideBySide(f.column, pair[0], pair[1])}</div>`);
    }
    const verdict = this.datasetDrift
      ? el(
          'p',
          { class: 'alert' },
          `Dataset drift: ${this.driftedColumns} of ${this.features.length} columns drifted (share ${this.driftedShare.toFixed(2)} ≥ ${this.driftShare}).`,
        )
      : el(
          'p',
          {},
          `No dataset drift: ${this.driftedColumns} of ${this.features.length} columns drifted (share ${this.driftedShare.toFixed(2)} < ${this.driftShare}).`,
        );
    const body: Html = trusted(`${verdict.html}${summary.html}`);
    return htmlDocument({
      title: opts.title ?? 'Data drift',
      subtitle: `${this.referenceRows} reference rows, ${this.currentRows} current rows`,
      sections: [
        { id: 'summary', title: 'Summary', body },
        { id: 'drifted', title: 'Drifted columns', body: charts.length ? trusted(`<div class="grid">${charts.join('')}</div>`) : text('None.') },
      ],
    });
  }
}

/** Reference and current distributions of one column as two small charts (shares over the same bins). */
async function sideBySide(column: string, r: DriftValues, c: DriftValues): Promise<string> {
  if (r.kind === 'numeric' && c.kind === 'numeric') {
    const s = numericShares(r.values, c.values, false);
    const edges = s.edges!;
    const [a, b] = await Promise.all([
      renderChart(histogramSpec(edges, s.reference, { title: `${column}: reference`, x: column })),
      renderChart(histogramSpec(edges, s.current, { title: `${column}: current`, x: column })),
    ]);
    return a + b;
  }
  const rc = countsOf(r),
    cc = countsOf(c);
  const keys = [...new Set([...rc.keys(), ...cc.keys()])]
    .sort((x, y) => (cc.get(y) ?? 0) + (rc.get(y) ?? 0) - (cc.get(x) ?? 0) - (rc.get(x) ?? 0))
    .slice(0, 20);
  const tr = [...rc.values()].reduce((x, y) => x + y, 0),
    tc = [...cc.values()].reduce((x, y) => x + y, 0);
  const [a, b] = await Promise.all([
    renderChart(
      barSpec(
        keys,
        keys.map((k) => (rc.get(k) ?? 0) / tr),
        { title: `${column}: reference`, x: 'share' },
      ),
    ),
    renderChart(
      barSpec(
        keys,
        keys.map((k) => (cc.get(k) ?? 0) / tc),
        { title: `${column}: current`, x: 'share' },
      ),
    ),
  ]);
  return a + b;
}

/** Per-column drift of `current` against `reference` (a table or a model's reference profile), and the dataset verdict. */
export function driftReport(reference: ReferenceProfile | Table, current: Table, opts: DriftOptions = {}): DriftReport {
  if (!current || typeof current !== 'object' || typeof current.rows !== 'number' || typeof current.columns !== 'object') {
    throw new ParamError('driftReport: current must be a table { rows, columns }');
  }
  if (current.rows === 0) throw new ParamError('driftReport: current has no rows (an empty window); wait for traffic or widen the window');
  const driftShare = opts.driftShare ?? 0.5;
  if (!(driftShare > 0 && driftShare <= 1)) throw new ParamError(`driftReport: driftShare must be in (0, 1], got ${driftShare}`);
  const profile = isProfile(reference) ? reference : undefined;
  const refTable = profile ? undefined : (reference as Table);
  if (!profile && (!refTable || typeof refTable.columns !== 'object')) throw new ParamError('driftReport: reference must be a table or a reference profile');
  const referenceRows = profile ? profile.rows : refTable!.rows;
  if (referenceRows === 0) throw new ParamError('driftReport: reference has no rows');
  const available = Object.keys(profile ? profile.features : refTable!.columns);
  const columns = opts.columns ?? available;
  const values = new Map<string, [DriftValues, DriftValues]>();
  const features = columns.map((column) => {
    if (!available.includes(column)) throw new ParamError(`driftReport: the reference has no column ${JSON.stringify(column)}; it has ${available.join(', ')}`);
    const curCol = current.columns[column];
    if (!curCol)
      throw new ParamError(`driftReport: current data has no column ${JSON.stringify(column)} (the reference has it); send every feature the model takes`);
    const ref = profile ? valuesOfProfile(profile.features[column]) : valuesOf(refTable!.columns[column]);
    const cur = valuesOf(curCol, ref.v.kind === 'numeric' && curCol instanceof Float64Array ? 'numeric' : undefined);
    const f = compare(column, ref, cur, referenceRows, opts);
    values.set(column, [ref.v, cur.v]);
    return f;
  });
  const extra = (what: 'prediction' | 'target', cur: DriftOptions['currentPredictions'], ref: DriftOptions['referencePredictions']) => {
    if (cur === undefined) return undefined;
    const r = ref !== undefined ? valuesOf(ref) : profile?.[what] ? valuesOfProfile(profile[what]!) : undefined;
    if (!r)
      throw new ParamError(
        `driftReport: current ${what}s were given but the reference has none; pass reference${what === 'prediction' ? 'Predictions' : 'Target'}`,
      );
    const c = valuesOf(cur);
    values.set(what, [r.v, c.v]);
    return compare(what, r, c, referenceRows, opts);
  };
  const prediction = extra('prediction', opts.currentPredictions, opts.referencePredictions);
  const target = extra('target', opts.currentTarget, opts.referenceTarget);
  const driftedColumns = features.filter((f) => f.drifted).length;
  const driftedShare = features.length ? driftedColumns / features.length : 0;
  return new DriftReport(
    {
      referenceRows,
      currentRows: current.rows,
      features,
      driftedColumns,
      driftedShare,
      driftShare,
      datasetDrift: features.length > 0 && driftedShare >= driftShare,
      ...(prediction ? { prediction } : {}),
      ...(target ? { target } : {}),
    },
    values,
  );
}
