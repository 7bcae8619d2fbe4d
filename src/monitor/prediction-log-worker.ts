/**
 * A prediction log kept in a worker thread, so that serving never shares its event loop with the
 * log's disk writes (better-sqlite3 is synchronous; the Parquet log encodes row groups in the
 * calling thread) nor with the scheduled drift computation. The handle is a PredictionStore like
 * the others: `record` and `feedback` queue in memory exactly as there (same sampling, bound and
 * counters, prediction-store.ts), each row encoded as JSON when queued; every `flushMs` the batch
 * crosses to the thread as one string (not an object per row), where the store (SQLite or Parquet, log-worker.ts) writes it
 * and applies retention. `query` and `drift` are asks answered by the thread after every batch
 * posted before them. Counters and disk use come back with each answer, so `stats()` and
 * `bytes()` stay synchronous for /metrics.
 *
 * Failures: a thread that dies (or whose open fails) loses only the batches it had not written —
 * counted in `stats().writeErrors`, reported to `onError` — and a new thread opens the log again;
 * after 3 deaths in a row with nothing written between, the handle gives up and counts each later
 * batch as lost. Pending asks reject with WorkerError. `close()` posts what is queued, lets the
 * thread close the store (a clean shutdown loses no acknowledged row) and resolves when it has;
 * a thread that gives no sign of life (a batch written, an answer) for `closeTimeoutMs` is
 * terminated and close rejects.
 */
import { Worker } from 'node:worker_threads';
import { decodeError } from '../core/error-wire.js';
import { WorkerError } from '../core/errors.js';
import { threadEntry } from '../core/thread-entry.js';
import type { DriftOutcome, DriftSpec } from './drift-snapshot.js';
import type { DriftSpecWire, FromLogWorker, LogState, LogWorkerHooks, ToLogWorker } from './log-worker.js';
import type { OpenPredictionLogOptions } from './open-prediction-log.js';
import {
  type LoggedPrediction,
  type Pending,
  type PredictionLogStats,
  type PredictionQuery,
  positiveOption,
  QueuedPredictionLog,
  resolveLogOptions,
} from './prediction-store.js';

export interface PredictionLogWorkerOptions extends OpenPredictionLogOptions {
  /** How long close() waits for a sign of life from the thread (a batch written, an answer, closed) before stopping it, ms. Default: 30,000. */
  closeTimeoutMs?: number;
  /** @internal failure drills (tests), given to every thread. */
  testHooks?: LogWorkerHooks;
}

const MAX_DEATHS = 3;
type Ask = { resolve: (v: never) => void; reject: (e: unknown) => void };
const ZERO: PredictionLogStats = { queued: 0, written: 0, sampledOut: 0, dropped: 0, expired: 0, feedback: 0, feedbackUnmatched: 0, writeErrors: 0 };

interface Thread {
  worker: Worker;
  /** Batches posted and not yet written: seq → rows; and their total. */
  inFlight: Map<number, number>;
  inFlightRows: number;
  asks: Map<number, Ask>;
  /** Reference profiles this thread holds, by key (sent once per thread). */
  references: Map<string, Record<string, unknown>>;
  /** The store's counters as the thread last reported them. */
  state: LogState;
  ended: boolean;
  /** The first thread, until its open settles: open() awaits it, and its death is open()'s error, not a restart. */
  first?: { resolve: (path: string) => void; reject: (e: Error) => void };
}

export class PredictionLogWorker extends QueuedPredictionLog<string> {
  /** Where the log lives, as the thread's store resolved it. */
  get path(): string {
    return this.where;
  }
  private thread!: Thread;
  /** Counters of threads that died (a new thread's store counts from zero). */
  private past: PredictionLogStats = { ...ZERO };
  private deaths = 0;
  private restarts = 0;
  private failed: Error | undefined;
  private seq = 0;
  private askId = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private where: string,
    private readonly storeOpts: OpenPredictionLogOptions,
    opts: ReturnType<typeof resolveLogOptions>,
    private readonly closeTimeoutMs: number,
    private readonly hooks: LogWorkerHooks | undefined,
  ) {
    super(opts, 'PredictionLogWorker');
  }

  /** Starts the thread and opens the log there (SQLite or Parquet, as openPredictionLog); rejects with the open's own error. */
  static async open(path: string, opts: PredictionLogWorkerOptions = {}): Promise<PredictionLogWorker> {
    const fn = 'PredictionLogWorker.open';
    const { closeTimeoutMs, testHooks, ...storeOpts } = opts;
    const { format: _f, rotateRows: _r, rotateBytes: _b, rotateMs: _m, ...common } = storeOpts;
    const log = new PredictionLogWorker(
      path,
      storeOpts,
      resolveLogOptions(common, fn),
      positiveOption(fn, 'closeTimeoutMs', closeTimeoutMs, 30_000),
      testHooks,
    );
    const opened = new Promise<string>((resolve, reject) => log.spawn({ resolve, reject }));
    try {
      log.where = await opened;
    } catch (e) {
      log.closed = true;
      throw e;
    }
    return log;
  }

  /** Starts a thread and asks it to open the log; `first` settles with the open's outcome. */
  private spawn(first?: { resolve: (path: string) => void; reject: (e: Error) => void }): void {
    const { entry, eval: isEval } = threadEntry('log-worker', import.meta.url);
    const worker = new Worker(entry, { eval: isEval });
    const t: Thread = {
      worker,
      inFlight: new Map(),
      inFlightRows: 0,
      asks: new Map(),
      references: new Map(),
      state: { stats: { ...ZERO }, bytes: 0 },
      ended: false,
      first,
    };
    this.thread = t;
    worker.unref(); // an idle log never holds the process open; asks and close() hold it while they wait
    worker.on('message', (m: FromLogWorker) => {
      if (m.type === 'open-failed') {
        this.died(t, decodeError(m.error));
        return;
      }
      if ('stats' in m) t.state = { stats: m.stats, bytes: m.bytes };
      if (m.type === 'opened') {
        t.first?.resolve(m.path);
        t.first = undefined;
      } else if (m.type === 'written') {
        t.inFlightRows -= t.inFlight.get(m.seq) ?? 0;
        t.inFlight.delete(m.seq);
        this.deaths = 0;
      } else if (m.type === 'write-error') {
        this.onError(decodeError(m.error));
      } else if (m.type === 'reply' || m.type === 'failed') {
        const ask = t.asks.get(m.id);
        t.asks.delete(m.id);
        this.holdOpen(t);
        if (m.type === 'reply') ask?.resolve(m.value as never);
        else ask?.reject(decodeError(m.error));
      }
    });
    worker.on('error', (e) => this.died(t, e));
    worker.on('exit', (code) => this.died(t, new WorkerError(`PredictionLogWorker: the log's thread exited with code ${code}`)));
    worker.postMessage({ type: 'open', path: this.where, opts: this.storeOpts, ...(this.hooks ? { hooks: this.hooks } : {}) } satisfies ToLogWorker);
  }

  /** A thread ended without being asked to: its unwritten batches are lost (counted), asks reject, a new thread takes over. */
  private died(t: Thread, cause: Error): void {
    if (t.ended) return;
    t.ended = true;
    void t.worker.terminate();
    if (t.first) {
      t.first.reject(cause); // the log never opened: open() rejects with why
      return;
    }
    const lost = this.lose(t);
    this.past = sum(this.past, t.state.stats);
    const err = new WorkerError(`PredictionLogWorker: the log's thread stopped (${cause.message}); ${lost} rows it had not written are lost`, { cause });
    for (const a of t.asks.values()) a.reject(err);
    t.asks.clear();
    if (this.closed || this.thread !== t) return;
    this.onError(err);
    if (++this.deaths >= MAX_DEATHS) {
      this.failed = new WorkerError(
        `PredictionLogWorker: the log's thread died ${MAX_DEATHS} times in a row (last: ${cause.message}); rows are no longer written`,
        {
          cause,
        },
      );
      this.onError(this.failed);
      return;
    }
    this.restarts++;
    this.spawn();
  }

  /** Counts a thread's unwritten batches as lost; returns their rows. */
  private lose(t: Thread): number {
    const lost = t.inFlightRows;
    this.counts.writeErrors += lost;
    t.inFlight.clear();
    t.inFlightRows = 0;
    return lost;
  }

  /** Rows queued here and rows the thread has not written yet: together bounded by maxQueue, so a slow disk drops rows (counted) instead of growing memory. */
  protected override backlog(): number {
    return this.queue.length + this.thread.inFlightRows;
  }

  /** The thread keeps the process alive only while someone awaits it. */
  private holdOpen(t: Thread): void {
    if (t.asks.size > 0 || this.closing) t.worker.ref();
    else t.worker.unref();
  }

  protected get writable(): boolean {
    return !this.closed;
  }

  /** Each row is encoded as it is queued (a few µs), stamped with the time it was served. */
  protected override encode(p: Pending): string | undefined {
    try {
      if (p.kind === 'prediction' && p.r.at === undefined) return JSON.stringify({ kind: p.kind, r: { ...p.r, at: Date.now() } });
      return JSON.stringify(p);
    } catch (e) {
      this.counts.writeErrors++;
      this.onError(e as Error);
      return undefined;
    }
  }

  /** Hands the batch to the thread as one string. */
  protected writeBatch(batch: string[]): void {
    if (this.failed) throw this.failed;
    const rows = `[${batch.join(',')}]`;
    const seq = ++this.seq;
    this.thread.inFlight.set(seq, batch.length);
    this.thread.inFlightRows += batch.length;
    this.thread.worker.postMessage({ type: 'batch', seq, rows } satisfies ToLogWorker);
  }

  /** Retention runs in the thread; its count comes back with the thread's counters. */
  protected retain(): number {
    return 0;
  }

  protected release(): void {}

  private ask<T>(m: { type: 'query'; q: PredictionQuery } | { type: 'drift'; specs: DriftSpecWire[]; window: { since: number; minRows: number } }): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const t = this.thread;
    const id = ++this.askId;
    return new Promise<T>((resolve, reject) => {
      t.asks.set(id, { resolve: resolve as (v: never) => void, reject });
      this.holdOpen(t);
      t.worker.postMessage({ ...m, id } as ToLogWorker);
    });
  }

  /** Logged predictions as the store answers them (queued rows are posted first, so they are included). */
  query(q: PredictionQuery = {}): Promise<LoggedPrediction[]> {
    this.flush();
    return this.ask<LoggedPrediction[]>({ type: 'query', q });
  }

  /** The drift computation of one scheduled run, in the thread (monitor/drift-snapshot.ts). */
  drift(specs: readonly DriftSpec[], window: { since: number; minRows: number }): Promise<DriftOutcome[]> {
    this.flush();
    const held = this.thread.references;
    const keys = new Set(specs.map((s) => `${s.model}\u0000${s.version}\u0000${s.variant}`));
    for (const k of held.keys()) if (!keys.has(k)) held.delete(k); // the thread forgets them too (log-worker.ts)
    const wire: DriftSpecWire[] = specs.map(({ reference, ...s }) => {
      const referenceKey = `${s.model}\u0000${s.version}\u0000${s.variant}`;
      if (held.get(referenceKey) === reference) return { ...s, referenceKey };
      held.set(referenceKey, reference);
      return { ...s, referenceKey, reference };
    });
    return this.ask<DriftOutcome[]>({ type: 'drift', specs: wire, window });
  }

  override stats(): PredictionLogStats {
    const w = sum(this.past, this.thread.state.stats);
    return {
      ...w,
      queued: this.backlog(),
      sampledOut: this.counts.sampledOut,
      dropped: this.counts.dropped,
      writeErrors: w.writeErrors + this.counts.writeErrors,
      workerRestarts: this.restarts,
    };
  }

  /** Bytes the log uses on disk, as the thread last reported. */
  bytes(): number {
    return this.thread.state.bytes;
  }

  /** Posts what is queued, lets the thread write it and close the store; resolves when it has. */
  override close(): Promise<void> {
    if (this.closing) return this.closing;
    this.flush();
    this.closed = true;
    const t = this.thread;
    this.closing = new Promise<void>((resolve, reject) => {
      if (t.ended) {
        if (this.failed) reject(this.failed);
        else resolve();
        return;
      }
      t.ended = true; // from here an exit is expected
      t.worker.ref();
      const hung = () => {
        const lost = this.lose(t);
        void t.worker.terminate();
        reject(
          new WorkerError(
            `PredictionLogWorker.close: the log's thread gave no sign of life for ${this.closeTimeoutMs} ms while closing and was stopped; ${lost} rows it had not written are lost`,
          ),
        );
      };
      let timer = setTimeout(hung, this.closeTimeoutMs);
      t.worker.on('message', (m: FromLogWorker) => {
        clearTimeout(timer);
        // a thread still writing batches or finishing a drift run is working, not hung
        if (m.type !== 'closed') {
          timer = setTimeout(hung, this.closeTimeoutMs);
          return;
        }
        t.state = { stats: m.stats, bytes: t.state.bytes };
        t.inFlight.clear();
        t.inFlightRows = 0;
        resolve();
      });
      t.worker.once('exit', (code) => {
        for (const a of t.asks.values()) a.reject(new WorkerError('PredictionLogWorker.close: the log closed before answering'));
        t.asks.clear();
        if (!t.inFlight.size) return;
        clearTimeout(timer);
        const lost = this.lose(t);
        reject(new WorkerError(`PredictionLogWorker.close: the log's thread exited with code ${code} before writing ${lost} rows`));
      });
      t.worker.postMessage({ type: 'close' } satisfies ToLogWorker);
    });
    return this.closing;
  }
}

const COUNTS = Object.keys(ZERO) as (keyof typeof ZERO & keyof Required<PredictionLogStats>)[];

function sum(a: PredictionLogStats, b: PredictionLogStats): PredictionLogStats {
  const out = { ...a };
  for (const k of COUNTS) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}
