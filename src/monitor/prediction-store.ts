/**
 * What every prediction log shares: the record and query types, the options, and the queue that
 * keeps serving from waiting on a disk. `record` and `feedback` only append to a bounded
 * in-memory queue (rows beyond it are dropped and counted, never blocking); a timer hands the
 * queue to the store's `writeBatch` every `flushMs`, outside any request handler, then the store
 * applies its retention limits. `close()` writes what is queued, so a clean shutdown loses no
 * acknowledged row. The SQLite log (prediction-log.ts) and the Parquet log
 * (parquet-prediction-log.ts) differ only in where a batch goes and how it is read back.
 */
import { ParamError } from '../core/errors.js';

export interface PredictionLogOptions {
  /** Share of predictions kept, in (0, 1] (a deterministic hash of the request id decides). Default: 1. */
  sampleRate?: number;
  /** The most rows kept; the oldest go first. Default: 1,000,000. */
  maxRows?: number;
  /** Rows older than this many milliseconds go. Default: 30 days. */
  maxAgeMs?: number;
  /** The most bytes the log may use on disk. Default: 1 GiB. */
  maxBytes?: number;
  /** How often queued rows are written, in milliseconds. Default: 200. */
  flushMs?: number;
  /** The most rows waiting to be written; beyond it new rows are dropped (and counted). Default: 100,000. */
  maxQueue?: number;
}

/** One served prediction. `input` is the row as the client sent it (JSON-able). */
export interface PredictionRecord {
  requestId: string;
  model: string;
  version: number | null;
  variant: string;
  input: unknown;
  prediction: unknown;
  probabilities?: readonly number[] | null;
  latencyMs: number;
  /** Milliseconds since the epoch; default: now. */
  at?: number;
  /** A user key that feedback may name instead of the request id (e.g. an order id). */
  key?: string | null;
}

export interface LoggedPrediction extends Required<Omit<PredictionRecord, 'probabilities' | 'key'>> {
  id: number;
  probabilities: number[] | null;
  key: string | null;
  /** The ground truth posted for this prediction, if any. */
  actual: unknown;
}

export interface PredictionLogStats {
  queued: number;
  written: number;
  /** Not kept by sampling. */
  sampledOut: number;
  /** Dropped because the queue was full (the writer could not keep up). */
  dropped: number;
  /** Rows removed by the retention limits. */
  expired: number;
  feedback: number;
  /** Feedback for request ids or keys the log does not hold. */
  feedbackUnmatched: number;
  /** Writes that failed (the rows of that batch are lost and counted here). */
  writeErrors: number;
  /** With the log in a worker thread (PredictionLogWorker): how many times its thread died and was started again. */
  workerRestarts?: number;
}

export interface PredictionQuery {
  /** Rows logged at or after this time (milliseconds since the epoch). */
  since?: number;
  /** Rows logged before this time. */
  until?: number;
  model?: string;
  version?: number;
  /** Only rows with ground truth. */
  withFeedback?: boolean;
  /** The most rows returned (the oldest first). Default: 1,000,000. */
  limit?: number;
}

/** What the server, the drift schedule and `kiln monitor` need of a prediction log. */
export interface PredictionStore {
  /** Where the log lives (a SQLite file or a directory of Parquet segments). */
  readonly path: string;
  onError: (e: Error) => void;
  record(r: PredictionRecord): boolean;
  feedback(id: { requestId: string } | { key: string }, actual: unknown): void;
  flush(): void;
  query(q?: PredictionQuery): LoggedPrediction[] | Promise<LoggedPrediction[]>;
  stats(): PredictionLogStats;
  bytes(): number;
  /** Writes what is queued and releases the log (the worker's handle resolves once its thread has). */
  close(): void | Promise<void>;
}

export type Pending = { kind: 'prediction'; r: PredictionRecord } | { kind: 'feedback'; by: 'requestId' | 'key'; id: string; actual: string };

function positive(fn: string, name: string, v: number | undefined, dflt: number, integer = true): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ParamError(`${fn}: ${name} must be ${integer ? 'an integer' : 'a number'} > 0, got ${String(v)}`);
  }
  return v;
}

/** The options with their defaults, each checked; `fn` names the caller in errors. */
export function resolveLogOptions(opts: PredictionLogOptions, fn: string): Required<PredictionLogOptions> {
  const sampleRate = opts.sampleRate ?? 1;
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1))
    throw new ParamError(`${fn}: sampleRate must be in (0, 1], got ${String(sampleRate)}`);
  return {
    sampleRate,
    maxRows: positive(fn, 'maxRows', opts.maxRows, 1_000_000),
    maxAgeMs: positive(fn, 'maxAgeMs', opts.maxAgeMs, 30 * 24 * 3600 * 1000),
    maxBytes: positive(fn, 'maxBytes', opts.maxBytes, 2 ** 30),
    flushMs: positive(fn, 'flushMs', opts.flushMs, 200),
    maxQueue: positive(fn, 'maxQueue', opts.maxQueue, 100_000),
  };
}

/** An integer option > 0 of a store's own (e.g. the Parquet log's rotation limits). */
export const positiveOption = positive;

export function checkQueryLimit(limit: number | undefined, fn: string): number {
  const l = limit ?? 1_000_000;
  if (!Number.isInteger(l) || l < 1) throw new ParamError(`${fn}: limit must be an integer >= 1, got ${l}`);
  return l;
}

/** FNV-1a of the request id, as a fraction in [0, 1): the same id is always kept or always not. */
function sampleFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

/**
 * The queue, sampling, counters and flush timer of a prediction log; a store adds where batches go.
 * `Item` is what the queue holds: the rows themselves, or (the worker's handle) each row already
 * encoded, so the request's objects die young and no flush serializes a whole batch at once.
 */
export abstract class QueuedPredictionLog<Item = Pending> implements PredictionStore {
  abstract readonly path: string;
  protected queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  protected closed = false;
  protected readonly counts: PredictionLogStats = {
    queued: 0,
    written: 0,
    sampledOut: 0,
    dropped: 0,
    expired: 0,
    feedback: 0,
    feedbackUnmatched: 0,
    writeErrors: 0,
  };
  /** Called with each write failure (the server logs it); the log itself goes on. */
  onError: (e: Error) => void = () => {};

  constructor(
    protected readonly opts: Required<PredictionLogOptions>,
    private readonly name: string,
  ) {}

  /** Writes one batch (in queue order) durably — or, for the worker's handle, hands it on; throws when it cannot (the batch is counted as lost). */
  protected abstract writeBatch(batch: Item[]): void;
  /** Applies the retention limits after a batch; returns the rows removed. */
  protected abstract retain(): number;
  abstract query(q?: PredictionQuery): LoggedPrediction[] | Promise<LoggedPrediction[]>;
  abstract bytes(): number;
  /** Releases the store after the last flush. */
  protected abstract release(): void;
  /** Whether the store can still take a batch. */
  protected abstract get writable(): boolean;

  /** Queues a prediction (if sampled in); never blocks and never throws for a full queue. Returns whether it was queued. */
  record(r: PredictionRecord): boolean {
    if (this.closed) throw new ParamError(`${this.name}.record: the log is closed`);
    if (this.opts.sampleRate < 1 && sampleFraction(r.requestId) >= this.opts.sampleRate) {
      this.counts.sampledOut++;
      return false;
    }
    return this.enqueue({ kind: 'prediction', r });
  }

  /** Queues the ground truth of an earlier prediction, named by its request id or by the user key it carried. */
  feedback(id: { requestId: string } | { key: string }, actual: unknown): void {
    if (this.closed) throw new ParamError(`${this.name}.feedback: the log is closed`);
    const by = 'requestId' in id ? 'requestId' : 'key';
    const value = 'requestId' in id ? id.requestId : id.key;
    if (typeof value !== 'string' || value === '') throw new ParamError(`${this.name}.feedback: ${by} must be a non-empty string`);
    if (actual === undefined) throw new ParamError(`${this.name}.feedback: actual (the true label or value) is missing`);
    this.enqueue({ kind: 'feedback', by, id: value, actual: JSON.stringify(actual) });
  }

  /** Rows accepted and not yet written (what maxQueue bounds). */
  protected backlog(): number {
    return this.queue.length;
  }

  /** A row as the queue holds it; undefined when it cannot be held (counted and reported by the store). */
  protected encode(p: Pending): Item | undefined {
    return p as unknown as Item;
  }

  private enqueue(p: Pending): boolean {
    if (this.backlog() >= this.opts.maxQueue) {
      this.counts.dropped++;
      return false;
    }
    const item = this.encode(p);
    if (item === undefined) return false;
    this.queue.push(item);
    this.counts.queued = this.queue.length;
    this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs).unref();
    return true;
  }

  /** Writes everything queued now (one batch), then applies the retention limits. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 || !this.writable) return;
    const batch = this.queue;
    this.queue = [];
    this.counts.queued = 0;
    this.writeNow(batch);
  }

  /**
   * Writes one batch now and applies the retention limits; a failure counts the batch's rows as
   * lost and goes to onError. (The log's worker thread hands its store the batches the server queued.)
   */
  writeNow(batch: Item[]): void {
    try {
      if (!this.writable) throw new ParamError(`${this.name}: the log is closed`);
      this.writeBatch(batch);
      this.counts.expired += this.retain();
    } catch (e) {
      this.counts.writeErrors += batch.length;
      this.onError(e as Error);
    }
  }

  stats(): PredictionLogStats {
    return { ...this.counts, queued: this.queue.length };
  }

  /** Writes what is queued and closes the store; later record/feedback calls throw. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.release();
  }
}

/** A logged row's fields from its stored JSON texts (shared by the stores' readers). */
export function parseLogged(r: {
  id: number;
  at: number;
  requestId: string;
  key: string | null;
  model: string;
  version: number | null;
  variant: string;
  input: string;
  prediction: string;
  probabilities: string | null;
  latencyMs: number;
  actual: string | null;
}): LoggedPrediction {
  return {
    id: r.id,
    at: r.at,
    requestId: r.requestId,
    key: r.key ?? null,
    model: r.model,
    version: r.version ?? null,
    variant: r.variant,
    input: JSON.parse(r.input),
    prediction: JSON.parse(r.prediction),
    probabilities: r.probabilities === null ? null : JSON.parse(r.probabilities),
    latencyMs: r.latencyMs,
    actual: r.actual === null ? undefined : JSON.parse(r.actual),
  };
}
