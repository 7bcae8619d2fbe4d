/**
 * Drift on a schedule: every `everyMs`, for each live variant whose model carries a reference
 * profile, the last `windowMs` of its logged rows are compared with the reference (driftReport)
 * and checked for data quality — computed where the log lives (monitor/drift-snapshot.ts; in the
 * log's worker thread when the server opened the log) — and the results become Prometheus gauges (per feature: the drift
 * statistic, the drifted flag, missing / out-of-range / unseen ratios; per variant: dataset drift,
 * the drifted share, the window's rows). Runs on a timer that never holds the process open.
 */
import type { Gauge, Registry } from 'prom-client';
import { ParamError } from '../../core/errors.js';
import type { DriftOutcome, DriftSnapshot, DriftSpec } from '../../monitor/drift-snapshot.js';
import type { LiveVariant } from './live.js';

export type { DriftSnapshot } from '../../monitor/drift-snapshot.js';

export interface DriftScheduleOptions {
  /** How often drift is computed, ms. Default: 60,000. */
  everyMs?: number;
  /** How far back each run looks, ms. Default: 3,600,000 (an hour). */
  windowMs?: number;
  /** Fewer logged rows than this in the window: the run skips the variant. Default: 100. */
  minRows?: number;
}

/** The named values alert rules watch, from one variant's snapshot (see monitor/alerts.ts). */
export function alertValues(s: DriftSnapshot): Record<string, number> {
  const v: Record<string, number> = { 'drift.dataset': s.drift.datasetDrift ? 1 : 0, 'drift.share': s.drift.driftedShare, 'window.rows': s.rows };
  for (const f of [...s.drift.features, ...(s.drift.prediction ? [s.drift.prediction] : [])]) {
    v[`drift.detected.${f.column}`] = f.drifted ? 1 : 0;
    v[`drift.score.${f.column}`] = f.statistic;
  }
  for (const q of s.quality) {
    v[`quality.missing.${q.column}`] = q.missingShare;
    if (q.outOfRangeShare !== undefined) v[`quality.outOfRange.${q.column}`] = q.outOfRangeShare;
    if (q.unseenShare !== undefined) v[`quality.unseen.${q.column}`] = q.unseenShare;
  }
  if (s.performance.value !== null) v[`performance.${s.performance.metric}`] = s.performance.value;
  return v;
}

export interface DriftSchedule {
  /** Computes drift now (also what the timer calls); resolves to one snapshot per checked variant. */
  run(): Promise<DriftSnapshot[]>;
  /** The latest snapshots. */
  readonly latest: readonly DriftSnapshot[];
  /** Snapshots of the last 60 runs, oldest first. */
  readonly history: readonly DriftSnapshot[];
  stop(): void;
}

function positive(v: number | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ParamError(`createServer: drift.${name} must be an integer >= 1, got ${String(v)}`);
  return v;
}

export function scheduleDrift(
  opts: DriftScheduleOptions,
  deps: {
    /** Runs the computation where the log lives (its worker thread, or in process over an open store). */
    compute: (specs: DriftSpec[], window: { since: number; minRows: number }) => Promise<DriftOutcome[]>;
    live: () => LiveVariant[];
    prom: typeof import('prom-client');
    registry: Registry;
    onError: (e: unknown) => void;
    /** Called with every run's snapshots (the server evaluates its alert rules on them). */
    onRun?: (s: DriftSnapshot[]) => void;
  },
): DriftSchedule {
  const everyMs = positive(opts.everyMs, 'everyMs', 60_000),
    windowMs = positive(opts.windowMs, 'windowMs', 3_600_000),
    minRows = positive(opts.minRows, 'minRows', 100);
  const registers = [deps.registry];
  const gauge = (name: string, help: string, labelNames: string[]): Gauge => new deps.prom.Gauge({ name, help, labelNames, registers });
  const perVariant = ['model', 'version', 'variant'];
  const perFeature = [...perVariant, 'feature'];
  const g = {
    score: gauge('kiln_drift_score', 'The drift statistic of each feature in the last window (a p-value for ks/chisquare/z, else a distance)', [
      ...perFeature,
      'method',
    ]),
    drifted: gauge('kiln_drift_detected', '1 when the feature drifted in the last window', perFeature),
    dataset: gauge('kiln_dataset_drift', '1 when the share of drifted features reached the dataset threshold in the last window', perVariant),
    share: gauge('kiln_drift_share_ratio', 'Share of features that drifted in the last window', perVariant),
    rows: gauge('kiln_drift_window_rows', 'Logged rows in the last drift window', perVariant),
    missing: gauge('kiln_feature_missing_ratio', 'Share of rows missing the feature in the last window', perFeature),
    range: gauge('kiln_feature_out_of_range_ratio', "Share of a numeric feature's values outside the training range in the last window", perFeature),
    unseen: gauge('kiln_feature_unseen_ratio', 'Share of a categorical feature’s values training never saw, in the last window', perFeature),
    last: gauge('kiln_drift_last_run_timestamp_seconds', 'When drift was last computed (Unix time)', []),
    performance: gauge('kiln_model_performance', 'Accuracy or RMSE on the last window’s rows with feedback', [...perVariant, 'metric']),
  };
  let latest: DriftSnapshot[] = [];
  const history: DriftSnapshot[] = [];
  let running: Promise<DriftSnapshot[]> | undefined;

  const once = async (): Promise<DriftSnapshot[]> => {
    const specs: DriftSpec[] = [];
    for (const v of deps.live()) {
      if (!v.served.reference) continue;
      const loggedVersion = typeof v.served.version === 'number' ? v.served.version : undefined;
      specs.push({ model: v.served.name, version: v.version, loggedVersion, variant: v.variant, reference: v.served.reference });
    }
    const outcomes = await deps.compute(specs, { since: Date.now() - windowMs, minRows });
    const out: DriftSnapshot[] = [];
    // only the live variants' series: a swapped-out version's labels go (bounded cardinality)
    for (const x of [g.score, g.drifted, g.dataset, g.share, g.rows, g.missing, g.range, g.unseen, g.performance]) x.reset();
    for (const { spec, rows, snapshot: s } of outcomes) {
      const labels = { model: spec.model, version: spec.version, variant: spec.variant };
      g.rows.set(labels, rows);
      if (!s) continue;
      for (const f of [...s.drift.features, ...(s.drift.prediction ? [s.drift.prediction] : [])]) {
        g.score.set({ ...labels, feature: f.column, method: f.method }, f.statistic);
        g.drifted.set({ ...labels, feature: f.column }, f.drifted ? 1 : 0);
      }
      for (const q of s.quality) {
        g.missing.set({ ...labels, feature: q.column }, q.missingShare);
        if (q.outOfRangeShare !== undefined) g.range.set({ ...labels, feature: q.column }, q.outOfRangeShare);
        if (q.unseenShare !== undefined) g.unseen.set({ ...labels, feature: q.column }, q.unseenShare);
      }
      g.dataset.set(labels, s.drift.datasetDrift ? 1 : 0);
      g.share.set(labels, s.drift.driftedShare);
      if (s.performance.value !== null) g.performance.set({ ...labels, metric: s.performance.metric }, s.performance.value);
      out.push(s);
    }
    g.last.set(Date.now() / 1000);
    latest = out;
    history.push(...out);
    while (history.length > 60) history.shift();
    deps.onRun?.(out);
    return out;
  };

  const run = () => {
    // one run at a time: a slow run is joined, not doubled
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => run().catch(deps.onError), everyMs).unref();
  return {
    run,
    get latest() {
      return latest;
    },
    get history() {
      return history;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
