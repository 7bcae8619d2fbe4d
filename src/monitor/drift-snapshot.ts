/**
 * One scheduled drift run's computation, apart from where it runs: for each variant, the logged
 * rows of the window are read from the store and compared with the variant's reference profile
 * (driftReport, data quality, performance on the rows with feedback, prediction shares). The
 * server runs it in the prediction log's worker thread (log-worker.ts) when it opened the log,
 * in process when it was handed an open store; the Prometheus gauges and alert rules take the
 * snapshots on the main thread (deploy/server/drift-schedule.ts).
 */
import { accuracyScore, rootMeanSquaredError } from '../metrics/index.js';
import { driftReport, type DriftResult } from './drift-report.js';
import type { PredictionStore } from './prediction-store.js';
import { readReference } from './reference-profile.js';
import { dataQuality, type FeatureQuality, logWindow } from './window.js';

export interface DriftSnapshot {
  model: string;
  version: string;
  variant: string;
  rows: number;
  drift: DriftResult;
  quality: FeatureQuality[];
  /** On the window's rows with feedback: accuracy (classifier) or rmse (regressor); value null without feedback. */
  performance: { rows: number; metric: 'accuracy' | 'rmse'; value: number | null };
  /** A classifier's prediction shares in the window and in the reference (the dashboard draws them). */
  predictionShares?: { reference: Record<string, number>; current: Record<string, number> };
  /** When the run finished, ms since the epoch. */
  at: number;
}

/** One live variant to check: its labels, the version its rows carry, and its stored reference profile (plain data, so it can cross a thread). */
export interface DriftSpec {
  model: string;
  /** The version as a label. */
  version: string;
  /** The version the logged rows carry (numeric versions only; others are not filtered on). */
  loggedVersion: number | undefined;
  variant: string;
  reference: Record<string, unknown>;
}

/** Per spec: the window's rows, and the snapshot when there were at least `minRows`. */
export interface DriftOutcome {
  spec: Omit<DriftSpec, 'reference'>;
  rows: number;
  snapshot?: DriftSnapshot;
}

function shares(counts: Map<string, number>): Record<string, number> {
  let total = 0;
  for (const c of counts.values()) total += c;
  return Object.fromEntries([...counts].map(([k, c]) => [k, c / total]));
}

/** Drift of each spec's logged window `since` (ms since the epoch) against its reference. */
export async function driftSnapshots(
  store: Pick<PredictionStore, 'query'>,
  specs: readonly DriftSpec[],
  window: { since: number; minRows: number },
): Promise<DriftOutcome[]> {
  const out: DriftOutcome[] = [];
  for (const s of specs) {
    const { reference: raw, ...spec } = s;
    const reference = readReference(raw);
    const logged = await store.query({ since: window.since, model: s.model, ...(s.loggedVersion !== undefined ? { version: s.loggedVersion } : {}) });
    const rows = logged.filter((r) => r.variant === s.variant);
    if (rows.length < window.minRows) {
      out.push({ spec, rows: rows.length });
      continue;
    }
    const w = logWindow(rows, Object.keys(reference.features));
    const drift = driftReport(reference, w.inputs, reference.prediction ? { currentPredictions: w.predictions } : {}).toJSON();
    const quality = dataQuality(reference, w.inputs);
    const truth = rows.filter((r) => r.actual !== undefined);
    const classifier = reference.prediction?.kind !== 'numeric';
    const performance: DriftSnapshot['performance'] = {
      rows: truth.length,
      metric: classifier ? 'accuracy' : 'rmse',
      value: !truth.length
        ? null
        : classifier
          ? accuracyScore(
              truth.map((r) => String(r.actual)),
              truth.map((r) => String(r.prediction)),
            )
          : (rootMeanSquaredError(
              truth.map((r) => Number(r.actual)),
              truth.map((r) => Number(r.prediction)),
            ) as number),
    };
    const refPred = reference.prediction;
    const predictionShares =
      refPred?.kind === 'categorical'
        ? {
            reference: shares(new Map(Object.entries(refPred.frequencies))),
            current: shares(w.predictions.reduce((m: Map<string, number>, p) => m.set(String(p), (m.get(String(p)) ?? 0) + 1), new Map())),
          }
        : undefined;
    const snapshot: DriftSnapshot = {
      model: s.model,
      version: s.version,
      variant: s.variant,
      rows: rows.length,
      drift,
      quality,
      performance,
      ...(predictionShares ? { predictionShares } : {}),
      at: Date.now(),
    };
    out.push({ spec, rows: rows.length, snapshot });
  }
  return out;
}
