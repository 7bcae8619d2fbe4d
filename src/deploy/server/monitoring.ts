/**
 * The server's side of monitoring: each served row goes to the prediction log (queued, then
 * written in the log's worker thread when the server opened the log, so off the request path and
 * off its event loop), POST /feedback takes ground truth by request id or by the routing key,
 * and /metrics counts what the log wrote, sampled out and dropped. Rows of a multi-row request
 * are logged as `<request id>:<row>` so feedback can name each one.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ParamError } from '../../core/errors.js';
import { type DriftOutcome, type DriftSpec, driftSnapshots } from '../../monitor/drift-snapshot.js';
import { PredictionLogWorker, type PredictionLogWorkerOptions } from '../../monitor/prediction-log-worker.js';
import type { PredictionStore } from '../../monitor/prediction-store.js';
import { HttpError } from './errors.js';

/**
 * An open log (SQLite or Parquet, written in the calling thread), or where to open one:
 * { path, format?, ...its options } — the server then keeps it in a worker thread (PredictionLogWorker).
 */
export type PredictionLogOption = PredictionStore | (PredictionLogWorkerOptions & { path: string });

const isStore = (o: unknown): o is PredictionStore =>
  o !== null && typeof o === 'object' && typeof (o as PredictionStore).record === 'function' && typeof (o as PredictionStore).query === 'function';

export interface Monitoring {
  readonly log: PredictionStore;
  /** Logs the rows of one answered request. */
  record(r: {
    requestId: string;
    key: string | undefined;
    model: string;
    version: number | string;
    variant: string;
    body: Record<string, unknown>;
    predictions: unknown;
    probabilities: unknown;
    latencyMs: number;
  }): void;
  /** Drift of the live variants' windows, computed where the log lives (its thread, or here over a store handed in). */
  drift(specs: DriftSpec[], window: { since: number; minRows: number }): Promise<DriftOutcome[]>;
  /** Writes what is queued and closes the log (when the server opened it). */
  close(): Promise<void>;
}

/** The rows the client sent, as it sent them (the input contract accepts `rows`, `row` or `instances`). */
function sentRows(body: Record<string, unknown>): unknown[] {
  if (Array.isArray(body.rows)) return body.rows;
  if (Array.isArray(body.instances)) return body.instances;
  if (body.row !== undefined) return [body.row];
  return [];
}

export async function openMonitoring(opt: PredictionLogOption): Promise<Monitoring> {
  const owned = !isStore(opt);
  let log: PredictionStore;
  if (isStore(opt)) log = opt;
  else {
    if (!opt || typeof opt !== 'object' || typeof opt.path !== 'string') {
      throw new ParamError('createServer: predictionLog must be a PredictionLog, a ParquetPredictionLog or { path, format?, ...their options }');
    }
    const { path, ...rest } = opt;
    log = await PredictionLogWorker.open(path, rest);
  }
  return {
    log,
    record(r) {
      const rows = sentRows(r.body);
      const preds = Array.isArray(r.predictions) ? r.predictions : [r.predictions];
      const probs = Array.isArray(r.probabilities) ? (r.probabilities as unknown[]) : undefined;
      const version = typeof r.version === 'number' ? r.version : Number.isFinite(Number(r.version)) ? Number(r.version) : null;
      const each = r.latencyMs / Math.max(1, rows.length);
      for (let i = 0; i < rows.length; i++) {
        log.record({
          requestId: rows.length === 1 ? r.requestId : `${r.requestId}:${i}`,
          key: r.key ?? null,
          model: r.model,
          version,
          variant: r.variant,
          input: rows[i],
          prediction: preds[i] ?? null,
          probabilities: probs && Array.isArray(probs[i]) ? (probs[i] as number[]) : null,
          latencyMs: each,
        });
      }
    },
    drift(specs, window) {
      return log instanceof PredictionLogWorker ? log.drift(specs, window) : driftSnapshots(log, specs, window);
    },
    async close() {
      if (owned) await log.close();
      else log.flush();
    },
  };
}

/** POST /feedback: { requestId | key, actual } or { items: [that, …] } → 202 { accepted }. */
export function feedbackRoute(app: FastifyInstance, monitoring: Monitoring): void {
  app.post('/feedback', async (req, reply) => {
    const body = req.body as Record<string, unknown> | null;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'E_PARAM', 'the body must be a JSON object { requestId | key, actual } or { items: [...] }');
    }
    const items = Array.isArray(body.items) ? body.items : [body];
    if (items.length === 0) throw new HttpError(400, 'E_PARAM', 'items is empty; send at least one { requestId | key, actual }');
    if (items.length > 10_000) throw new HttpError(413, 'E_PARAM', `at most 10,000 items per request, got ${items.length}`);
    // every item is checked before any is queued: a bad batch changes nothing
    const parsed = items.map((it, i) => {
      const at = Array.isArray(body.items) ? `items[${i}]` : 'the body';
      if (it === null || typeof it !== 'object') throw new HttpError(400, 'E_PARAM', `${at} must be an object { requestId | key, actual }`);
      const o = it as Record<string, unknown>;
      if (!('actual' in o)) throw new HttpError(400, 'E_PARAM', `${at} has no actual (the true label or value)`);
      const id =
        typeof o.requestId === 'string' && o.requestId !== '' ? { requestId: o.requestId } : typeof o.key === 'string' && o.key !== '' ? { key: o.key } : null;
      if (!id) throw new HttpError(400, 'E_PARAM', `${at} names no prediction: give requestId (from the x-request-id header) or key`);
      return { id, actual: o.actual };
    });
    for (const p of parsed) monitoring.log.feedback(p.id, p.actual);
    reply.code(202);
    return { accepted: parsed.length };
  });
}

/** Prometheus counters of the prediction log, brought up to date at scrape time (from the log's own counts). */
export function logMetrics(prom: typeof import('prom-client'), registry: Registry, monitoring: Monitoring): void {
  const seen = { written: 0, sampled_out: 0, dropped: 0, expired: 0, write_error: 0, matched: 0, unmatched: 0 };
  const now = () => {
    const s = monitoring.log.stats();
    return {
      written: s.written,
      sampled_out: s.sampledOut,
      dropped: s.dropped,
      expired: s.expired,
      write_error: s.writeErrors,
      matched: s.feedback,
      unmatched: s.feedbackUnmatched,
    };
  };
  new prom.Counter({
    name: 'kiln_prediction_log_rows_total',
    help: 'Rows the prediction log handled, by outcome (written, sampled_out, dropped: queue full, expired: retention, write_error)',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const n = now();
      for (const outcome of ['written', 'sampled_out', 'dropped', 'expired', 'write_error'] as const) {
        if (n[outcome] > seen[outcome]) this.inc({ outcome }, n[outcome] - seen[outcome]);
        seen[outcome] = n[outcome];
      }
    },
  });
  new prom.Counter({
    name: 'kiln_feedback_rows_total',
    help: 'Feedback rows written, by whether a logged prediction matched them',
    labelNames: ['matched'],
    registers: [registry],
    collect() {
      const n = now();
      if (n.matched > seen.matched) this.inc({ matched: 'true' }, n.matched - seen.matched);
      if (n.unmatched > seen.unmatched) this.inc({ matched: 'false' }, n.unmatched - seen.unmatched);
      seen.matched = n.matched;
      seen.unmatched = n.unmatched;
    },
  });
  let restarts = 0;
  new prom.Counter({
    name: 'kiln_prediction_log_worker_restarts_total',
    help: "Times the prediction log's worker thread died and a new one opened the log",
    registers: [registry],
    collect() {
      const n = monitoring.log.stats().workerRestarts ?? 0;
      if (n > restarts) this.inc(n - restarts);
      restarts = n;
    },
  });
  new prom.Gauge({
    name: 'kiln_prediction_log_bytes',
    help: 'Bytes the prediction log database uses on disk',
    registers: [registry],
    collect() {
      this.set(monitoring.log.bytes());
    },
  });
}
