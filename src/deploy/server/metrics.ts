/**
 * Prometheus metrics in a registry private to one server instance (two servers in a process
 * never share counters): requests, rows, latency and errors, each labelled by model, version
 * and variant. Label children for a live model are made once, not looked up per request.
 */
import type * as PromClient from 'prom-client';

type Prom = Pick<typeof PromClient, 'Registry' | 'Counter' | 'Gauge' | 'Histogram' | 'collectDefaultMetrics'>;
import type { Variant } from './types.js';

const LABELS = ['model', 'version', 'variant'] as const;

/** Seconds: 0.25 ms … 2.5 s, fine where single-row predictions land. */
const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface VariantMetrics {
  ok(seconds: number, rows: number): void;
  error(code: string, status: number, seconds: number): void;
}

export interface ServerMetrics {
  registry: PromClient.Registry;
  /** The pre-bound recorder for one live model version serving one variant. */
  forModel(model: string, version: string, variant: Variant): VariantMetrics;
  /** An error before any model was chosen (auth, size, bad JSON, not ready); `predict` when it was a /predict request. */
  unrouted(code: string, status: number, predict: boolean): void;
  /** Marks exactly these model versions as live (kiln_model_info = 1). */
  setLive(live: { model: string; version: string; variant: Variant }[]): void;
  swapped(): void;
}

export function createMetrics(prom: Prom, opts: { defaultMetrics: boolean; inflight: () => number }): ServerMetrics {
  const registry = new prom.Registry();
  const registers = [registry];
  const requests = new prom.Counter({
    name: 'kiln_predict_requests_total',
    help: 'Prediction requests answered, by model version, variant and HTTP status',
    labelNames: [...LABELS, 'status'],
    registers,
  });
  const rows = new prom.Counter({ name: 'kiln_predict_rows_total', help: 'Rows predicted', labelNames: LABELS, registers });
  const latency = new prom.Histogram({
    name: 'kiln_predict_duration_seconds',
    help: 'Time from request arrival to response, prediction requests',
    labelNames: LABELS,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const errors = new prom.Counter({
    name: 'kiln_errors_total',
    help: 'Error responses by error code (model, version and variant empty when no model was chosen)',
    labelNames: [...LABELS, 'code'],
    registers,
  });
  const info = new prom.Gauge({ name: 'kiln_model_info', help: 'Model versions being served (1 = live)', labelNames: LABELS, registers });
  const swaps = new prom.Counter({ name: 'kiln_model_swaps_total', help: 'Hot swaps of the served models', registers });
  new prom.Gauge({
    name: 'kiln_inflight_requests',
    help: 'Prediction requests being handled',
    registers,
    collect() {
      this.set(opts.inflight());
    },
  });
  if (opts.defaultMetrics) prom.collectDefaultMetrics({ register: registry });

  return {
    registry,
    forModel(model, version, variant) {
      const okRequests = requests.labels(model, version, variant, '200');
      const okRows = rows.labels(model, version, variant);
      const okLatency = latency.labels(model, version, variant);
      return {
        ok(seconds, n) {
          okRequests.inc();
          okRows.inc(n);
          okLatency.observe(seconds);
        },
        error(code, status, seconds) {
          requests.labels(model, version, variant, String(status)).inc();
          errors.labels(model, version, variant, code).inc();
          okLatency.observe(seconds);
        },
      };
    },
    unrouted(code, status, predict) {
      if (predict) requests.labels('', '', '', String(status)).inc();
      errors.labels('', '', '', code).inc();
    },
    setLive(live) {
      info.reset();
      for (const m of live) info.labels(m.model, m.version, m.variant).set(1);
    },
    swapped() {
      swaps.inc();
    },
  };
}
