/** createServer / serve options, their defaults and checks. */
import { ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { Logger } from 'pino';
import type { ModelLoader, RegistryLike } from './registry-source.js';
import type { ModelSource, ServedModel } from './types.js';
import type { PredictionLogOption } from './monitoring.js';
import type { DriftScheduleOptions } from './drift-schedule.js';
import type { MicroBatchOptions } from './micro-batch.js';
import type { RetrainOptions } from './retrain-trigger.js';
import type { AlertEvent, AlertRule, Severity, WebhookSink } from '../../monitor/alerts.js';

export interface LogOptions {
  /** pino level (default 'info'; 'silent' for none). */
  level?: string;
  /** File descriptor or file path (default 1, stdout), written asynchronously in 4 KiB blocks. */
  destination?: number | string;
}

export interface ServerOptions {
  /** Serve a fitted model held in memory ({ name, version, model, inputSchema? }). */
  model?: ServedModel;
  /** A second in-memory model for A/B or canary traffic. */
  candidate?: ServedModel;
  /** Any other source of models (see ModelSource). */
  source?: ModelSource;
  /** A model registry (SQLite file path, or an open registry): serves `name@alias`, and `name@candidateAlias` when it exists. */
  registry?: string | RegistryLike;
  /** The registered model's name (with `registry`). */
  name?: string;
  /** Alias or version the primary variant serves (default 'production'). */
  alias?: string | number;
  /** Alias or version the candidate variant serves (default 'candidate'; null for none). */
  candidateAlias?: string | number | null;
  /** How often the registry is checked for moved aliases, ms (default 500). */
  pollMs?: number;
  /** How a registry artifact is loaded (default: kiln's model-file `load` and `readManifest`). */
  loadModel?: ModelLoader;

  /** Percent of traffic (0–100) routed to the candidate when one is live (default 0). */
  candidatePercent?: number;
  /** Request header holding the sticky routing key (default 'x-kiln-key'). */
  keyHeader?: string;
  /** Body field holding the sticky routing key when the header is absent (default 'key'). */
  keyField?: string;

  /** Largest request body in bytes (default 1 MiB); larger answers 413. */
  bodyLimit?: number;
  /** Most rows per request (default 10,000). */
  maxRows?: number;
  /**
   * Numbers outside the schema's [min, max] and strings outside its values (the training ranges):
   * false (default) lets them through, true answers 400 naming the field, 'warn' answers with a
   * `warnings` list in the body and an `x-kiln-warnings: <count>` header.
   */
  checkRanges?: boolean | 'warn';
  /** Row fields the schema does not name: 'reject' (default) or 'ignore'. */
  extraFields?: 'reject' | 'ignore';
  /** Batches up to this many rows use the model's predictSync when it has one (default 64). */
  syncMaxRows?: number;
  /** Gather concurrent requests to a busy model into one call (see micro-batch.ts): true, or { maxRows, maxWaitMs }. Default: false. */
  microBatch?: boolean | MicroBatchOptions;

  /** A whole request (headers and body) must arrive within this many ms (default 30,000); a slower client gets 408 and is disconnected. */
  requestTimeout?: number;
  /** Request headers must arrive within this many ms (default 10,000, at most requestTimeout). */
  headersTimeout?: number;
  /** An idle keep-alive connection is closed after this many ms (default 5,000). */
  keepAliveTimeout?: number;
  /** A connection on which nothing moves for this many ms is closed, also mid-response (default 120,000). */
  idleTimeout?: number;

  /** Bearer token required on every route but /health and /ready (default: env KILN_SERVER_TOKEN; none when unset or empty). */
  token?: string;

  /** false for no logs, a pino logger, or where and what to log (default: info to stdout, JSON lines). */
  logger?: false | Logger | LogOptions;
  /** Log each prediction's input rows and outputs too (default false: latency, version, variant, rows only). */
  logPredictions?: boolean;
  /** Include prom-client's process metrics (CPU, memory, event-loop lag) in /metrics (default true). */
  defaultMetrics?: boolean;
  /**
   * Log every served row (inputs, outputs, version, variant, latency, request id) for monitoring,
   * and take ground truth on POST /feedback: an open PredictionLog, or { path, ...its options }
   * (the server then opens and closes it). Default: none (POST /feedback answers 404).
   */
  predictionLog?: PredictionLogOption;
  /** Compute drift of the logged rows against each model's reference profile on a schedule (needs predictionLog); true for the defaults. */
  drift?: boolean | DriftScheduleOptions;
  /**
   * Alert rules evaluated on the primary variant's values after each drift run (drift.dataset,
   * drift.share, drift.detected.<feature>, drift.score.<feature>, quality.missing|outOfRange|unseen.<feature>,
   * performance.accuracy|rmse, window.rows), with webhook and callback sinks; firing alerts are
   * logged and in /metrics (kiln_alert_firing). Needs drift.
   */
  alerts?: {
    rules: AlertRule[];
    webhooks?: WebhookSink[];
    onAlert?: (e: AlertEvent) => void | Promise<void>;
    /**
     * With a registry source: when an alert of this severity (or higher) fires, move the served
     * alias back to its previous version (ModelRegistry.rollback, recorded in the audit log as
     * actor 'kiln-monitor') and reload. Default: no automatic rollback.
     */
    rollbackOn?: Severity;
  };
  /** A retraining job run on dataset drift, a serious alert or a schedule (see retrain-trigger.ts). */
  retrain?: RetrainOptions;
}

export interface ListenOptions {
  /** Default: env PORT or 8080 (0 picks a free port). */
  port?: number;
  /** Default '127.0.0.1' (this machine only); '0.0.0.0' takes traffic from other machines (containers). */
  host?: string;
}

export interface ResolvedOptions {
  candidatePercent: number;
  keyHeader: string;
  keyField: string;
  bodyLimit: number;
  maxRows: number;
  checkRanges: boolean | 'warn';
  extraFields: 'reject' | 'ignore';
  syncMaxRows: number;
  microBatch: { maxRows: number; maxWaitMs: number } | undefined;
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  idleTimeout: number;
  token: string | undefined;
  logPredictions: boolean;
  defaultMetrics: boolean;
}

const KEYS = [
  'model',
  'candidate',
  'source',
  'registry',
  'name',
  'alias',
  'candidateAlias',
  'pollMs',
  'loadModel',
  'candidatePercent',
  'keyHeader',
  'keyField',
  'bodyLimit',
  'maxRows',
  'checkRanges',
  'extraFields',
  'syncMaxRows',
  'microBatch',
  'requestTimeout',
  'headersTimeout',
  'keepAliveTimeout',
  'idleTimeout',
  'token',
  'logger',
  'logPredictions',
  'defaultMetrics',
  'predictionLog',
  'drift',
  'alerts',
  'retrain',
];

function positiveInt(v: unknown, name: string, dflt: number, fn: Mount): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ParamError(`${fn}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** Options about connections, which a host app owns when kiln is mounted inside it. */
const CONNECTION_KEYS = ['requestTimeout', 'headersTimeout', 'keepAliveTimeout', 'idleTimeout'];

/** Who is being configured: kiln's own server, or kiln mounted in another app (which owns its connections). */
export type Mount = 'createServer' | 'kilnPlugin' | 'kilnMiddleware';

function microBatchOption(v: unknown, fn: Mount): ResolvedOptions['microBatch'] {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { maxRows: 512, maxWaitMs: 2 };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ParamError(`${fn}: microBatch must be true, false or { maxRows, maxWaitMs }`);
  checkOptions(v, ['maxRows', 'maxWaitMs'], `${fn}: microBatch`);
  const w = (v as MicroBatchOptions).maxWaitMs ?? 2;
  if (typeof w !== 'number' || !(w >= 0 && w <= 1000))
    throw new ParamError(`${fn}: microBatch.maxWaitMs must be a number of ms from 0 to 1000, got ${String(w)}`);
  return { maxRows: positiveInt((v as MicroBatchOptions).maxRows, 'microBatch.maxRows', 512, fn), maxWaitMs: w };
}

export function resolveOptions(opts: ServerOptions, fn: Mount = 'createServer'): ResolvedOptions {
  if (opts === null || typeof opts !== 'object') throw new ParamError(`${fn}: options must be an object`);
  const mounted = fn !== 'createServer';
  if (mounted) {
    const owned = CONNECTION_KEYS.find((k) => (opts as Record<string, unknown>)[k] !== undefined);
    if (owned) throw new ParamError(`${fn}: ${owned} is a connection setting, which the host app owns; set it on your own server`);
  }
  checkOptions(opts as Record<string, unknown>, mounted ? KEYS.filter((k) => !CONNECTION_KEYS.includes(k)) : KEYS, fn);
  const sources = [opts.model !== undefined, opts.source !== undefined, opts.registry !== undefined].filter(Boolean).length;
  if (sources !== 1) {
    throw new ParamError(`${fn}: give exactly one of model (in memory), source or registry; got ${sources === 0 ? 'none' : 'several'}`);
  }
  if (opts.candidate !== undefined && opts.model === undefined)
    throw new ParamError(`${fn}: candidate (in memory) goes with model; with a registry the candidate is an alias (candidateAlias)`);
  if (opts.registry !== undefined && (typeof opts.name !== 'string' || opts.name === ''))
    throw new ParamError(`${fn}: registry needs name, the registered model to serve`);
  const pct = opts.candidatePercent ?? 0;
  if (typeof pct !== 'number' || !(pct >= 0 && pct <= 100)) throw new ParamError(`${fn}: candidatePercent must be a number from 0 to 100, got ${String(pct)}`);
  const checkRanges = opts.checkRanges ?? false;
  if (checkRanges !== true && checkRanges !== false && checkRanges !== 'warn')
    throw new ParamError(`${fn}: checkRanges must be true, false or 'warn', got ${JSON.stringify(checkRanges)}`);
  const extraFields = opts.extraFields ?? 'reject';
  if (extraFields !== 'reject' && extraFields !== 'ignore') throw new ParamError(`${fn}: extraFields must be 'reject' or 'ignore', got ${String(extraFields)}`);
  const requestTimeout = positiveInt(opts.requestTimeout, 'requestTimeout', 30_000, fn);
  const headersTimeout = positiveInt(opts.headersTimeout, 'headersTimeout', Math.min(10_000, requestTimeout), fn);
  if (headersTimeout > requestTimeout)
    throw new ParamError(`${fn}: headersTimeout (${headersTimeout} ms) must not exceed requestTimeout (${requestTimeout} ms)`);
  const token = opts.token ?? process.env.KILN_SERVER_TOKEN;
  if (token !== undefined && typeof token !== 'string') throw new ParamError(`${fn}: token must be a string`);
  return {
    candidatePercent: pct,
    keyHeader: (opts.keyHeader ?? 'x-kiln-key').toLowerCase(),
    keyField: opts.keyField ?? 'key',
    bodyLimit: positiveInt(opts.bodyLimit, 'bodyLimit', 1 << 20, fn),
    maxRows: positiveInt(opts.maxRows, 'maxRows', 10_000, fn),
    checkRanges,
    extraFields,
    syncMaxRows: positiveInt(opts.syncMaxRows, 'syncMaxRows', 64, fn),
    microBatch: microBatchOption(opts.microBatch, fn),
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: positiveInt(opts.keepAliveTimeout, 'keepAliveTimeout', 5_000, fn),
    idleTimeout: positiveInt(opts.idleTimeout, 'idleTimeout', 120_000, fn),
    token: token === '' ? undefined : token,
    logPredictions: opts.logPredictions ?? false,
    defaultMetrics: opts.defaultMetrics ?? true,
  };
}
