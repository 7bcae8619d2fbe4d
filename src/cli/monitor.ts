/**
 * `kiln monitor --model M --log predictions.db [--since 1h]`: the drift and data-quality report of
 * a window of the prediction log against the reference profile the model carries, and the
 * performance on the rows whose ground truth arrived (against the holdout metrics recorded at
 * training). Exit 0 whatever the verdict (alerts come from the server's rules), 1 on bad input.
 */
import { resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import { writeFileAtomic } from '../deploy/atomic-write.js';
import { readManifest } from '../deploy/model-file.js';
import { accuracyScore, rootMeanSquaredError, type Label } from '../metrics/index.js';
import { driftReport, type DriftResult } from '../monitor/drift-report.js';
import { openPredictionLog } from '../monitor/open-prediction-log.js';
import type { LoggedPrediction } from '../monitor/prediction-store.js';
import { readReference } from '../monitor/reference-profile.js';
import { dataQuality, logWindow, type FeatureQuality } from '../monitor/window.js';
import { fmt, textTable } from './metrics.js';
import { resolveModel } from './model-ref.js';

export interface MonitorFlags {
  model: string;
  log: string;
  registry?: string;
  since?: string;
  until?: string;
  html?: string;
  json?: boolean;
}

export interface MonitorResult {
  model: string;
  window: { rows: number; from: string | null; to: string | null };
  drift: DriftResult;
  quality: FeatureQuality[];
  /** On the rows with feedback: accuracy (classifier) or RMSE (regressor), with the training holdout's for comparison. */
  performance: { rows: number; metric: string; value: number | null; reference: number | null };
}

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

/** "90m", "2h", "7d" back from now, or an ISO date/time. */
export function parseWhen(text: string, flag: string, now = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * UNITS[m[2]];
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ParamError(`${flag}: ${JSON.stringify(text)} is neither a duration (30m, 2h, 7d) nor an ISO date`);
  return t;
}

export async function monitor(flags: MonitorFlags): Promise<MonitorResult> {
  const since = flags.since ? parseWhen(flags.since, '--since') : undefined;
  const until = flags.until ? parseWhen(flags.until, '--until') : undefined;
  const ref = await resolveModel(flags.model, flags.registry);
  const manifest = ref.registry ? ref.manifest : await readManifest(ref.path);
  if (!manifest.reference) {
    throw new ParamError(
      `--model: ${ref.label} carries no reference profile; retrain it with kiln train (or save it with { reference: referenceProfile(...) })`,
    );
  }
  const reference = readReference(manifest.reference);
  const log = await openPredictionLog(resolve(flags.log));
  let rows: LoggedPrediction[];
  try {
    rows = await log.query({ since, until, ...(ref.registry ? { model: ref.registry.name, version: ref.registry.version } : {}) });
  } finally {
    log.close();
  }
  if (rows.length === 0) throw new ParamError(`--log: no predictions of ${ref.label} in that window; widen --since or check --log`);
  const w = logWindow(rows, Object.keys(reference.features));
  const drift = driftReport(reference, w.inputs, reference.prediction ? { currentPredictions: w.predictions } : {});
  const withTruth = rows.filter((r) => r.actual !== undefined);
  const classifier = reference.prediction?.kind === 'categorical';
  const metric = classifier ? 'accuracy' : 'rmse';
  const value = withTruth.length
    ? classifier
      ? accuracyScore(
          withTruth.map((r) => r.actual as Label),
          withTruth.map((r) => r.prediction as Label),
        )
      : (rootMeanSquaredError(
          withTruth.map((r) => Number(r.actual)),
          withTruth.map((r) => Number(r.prediction)),
        ) as number)
    : null;
  const result: MonitorResult = {
    model: ref.label,
    window: { rows: rows.length, from: w.from ? new Date(w.from).toISOString() : null, to: w.to ? new Date(w.to).toISOString() : null },
    drift: drift.toJSON(),
    quality: dataQuality(reference, w.inputs),
    performance: { rows: withTruth.length, metric, value, reference: reference.metrics?.[metric] ?? null },
  };
  if (flags.html) await writeFileAtomic(resolve(flags.html), new TextEncoder().encode(await drift.toHtml({ title: `Drift of ${ref.label}` })));
  return result;
}

export async function monitorCommand(flags: MonitorFlags): Promise<void> {
  const r = await monitor(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
  const lines = [
    `${r.model}: ${r.window.rows} predictions from ${r.window.from} to ${r.window.to}`,
    textTable(
      ['column', 'method', 'statistic', 'drift', 'missing', 'out of range', 'unseen'],
      r.drift.features.map((f) => {
        const q = r.quality.find((x) => x.column === f.column);
        return [
          f.column,
          f.method,
          fmt(Number(f.statistic.toPrecision(4))),
          f.drifted ? 'DRIFT' : 'no',
          pct(q?.missingShare),
          pct(q?.outOfRangeShare),
          pct(q?.unseenShare),
        ];
      }),
    ),
    r.drift.prediction
      ? `predictions: ${r.drift.prediction.method} ${fmt(Number(r.drift.prediction.statistic.toPrecision(4)))} ${r.drift.prediction.drifted ? 'DRIFT' : 'no drift'}`
      : '',
    `dataset drift: ${r.drift.datasetDrift ? 'yes' : 'no'} (${r.drift.driftedColumns} of ${r.drift.features.length} columns)`,
    r.performance.value === null
      ? 'performance: no feedback in this window'
      : `performance: ${r.performance.metric} ${fmt(Number(r.performance.value.toPrecision(4)))} on ${r.performance.rows} rows with feedback (training holdout ${r.performance.reference === null ? 'not recorded' : fmt(r.performance.reference)})`,
  ];
  process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
}
