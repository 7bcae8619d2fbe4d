/**
 * The prediction log: every served prediction (sampled) and the ground truth posted for it later,
 * in one SQLite file (better-sqlite3), for drift and performance monitoring.
 *
 * Serving never waits for it: `record` only appends to an in-memory queue (bounded; rows beyond
 * it are dropped and counted, never blocking), and a timer writes the queue in one transaction
 * every `flushMs`, outside any request handler. `close()` writes what is queued, so a clean
 * shutdown loses no acknowledged row. Disk use is bounded: after each batch the oldest rows go
 * when the log holds more than `maxRows`, older than `maxAgeMs`, or more than `maxBytes` on disk
 * (the file is compacted incrementally, auto_vacuum=INCREMENTAL).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { IoError, ParamError } from '../core/errors.js';
import { ioError } from '../deploy/atomic-write.js';

export interface PredictionLogOptions {
  /** Share of predictions kept, in (0, 1] (a deterministic hash of the request id decides). Default: 1. */
  sampleRate?: number;
  /** The most rows kept; the oldest go first. Default: 1,000,000. */
  maxRows?: number;
  /** Rows older than this many milliseconds go. Default: 30 days. */
  maxAgeMs?: number;
  /** The most bytes the database file may use. Default: 1 GiB. */
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
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS predictions (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  key TEXT,
  model TEXT NOT NULL,
  version INTEGER,
  variant TEXT NOT NULL,
  input TEXT NOT NULL,
  prediction TEXT NOT NULL,
  probabilities TEXT,
  latency_ms REAL NOT NULL,
  actual TEXT
);
CREATE INDEX IF NOT EXISTS predictions_at ON predictions (at);
CREATE INDEX IF NOT EXISTS predictions_request ON predictions (request_id);
CREATE INDEX IF NOT EXISTS predictions_key ON predictions (key) WHERE key IS NOT NULL;
`;

function positive(name: string, v: number | undefined, dflt: number, integer = true): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ParamError(`PredictionLog.open: ${name} must be ${integer ? 'an integer' : 'a number'} > 0, got ${String(v)}`);
  }
  return v;
}

/** FNV-1a of the request id, as a fraction in [0, 1): the same id is always kept or always not. */
function sampleFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32;
}

type Pending = { kind: 'prediction'; r: PredictionRecord } | { kind: 'feedback'; by: 'requestId' | 'key'; id: string; actual: string };

export class PredictionLog {
  readonly path: string;
  private readonly opts: Required<PredictionLogOptions>;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counts: PredictionLogStats = {
    queued: 0,
    written: 0,
    sampledOut: 0,
    dropped: 0,
    expired: 0,
    feedback: 0,
    feedbackUnmatched: 0,
    writeErrors: 0,
  };
  private readonly insert: BetterSqlite3.Statement;
  private readonly byRequest: BetterSqlite3.Statement;
  private readonly byKey: BetterSqlite3.Statement;
  /** Called with each write failure (the server logs it); the log itself goes on. */
  onError: (e: Error) => void = () => {};

  private constructor(
    private readonly db: BetterSqlite3.Database,
    path: string,
    opts: Required<PredictionLogOptions>,
  ) {
    this.path = path;
    this.opts = opts;
    this.insert = db.prepare(
      'INSERT INTO predictions (at, request_id, key, model, version, variant, input, prediction, probabilities, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.byRequest = db.prepare('UPDATE predictions SET actual = ? WHERE request_id = ?');
    this.byKey = db.prepare('UPDATE predictions SET actual = ? WHERE key = ?');
  }

  /** Opens (creating when needed) the log at `path`. */
  static async open(path: string, opts: PredictionLogOptions = {}): Promise<PredictionLog> {
    if (typeof path !== 'string' || path === '' || path === ':memory:')
      throw new ParamError(`PredictionLog.open: path must be a database file path, got ${JSON.stringify(path)}`);
    const sampleRate = opts.sampleRate ?? 1;
    if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1))
      throw new ParamError(`PredictionLog.open: sampleRate must be in (0, 1], got ${String(sampleRate)}`);
    const o: Required<PredictionLogOptions> = {
      sampleRate,
      maxRows: positive('maxRows', opts.maxRows, 1_000_000),
      maxAgeMs: positive('maxAgeMs', opts.maxAgeMs, 30 * 24 * 3600 * 1000),
      maxBytes: positive('maxBytes', opts.maxBytes, 2 ** 30),
      flushMs: positive('flushMs', opts.flushMs, 200),
      maxQueue: positive('maxQueue', opts.maxQueue, 100_000),
    };
    const abs = resolvePath(path);
    try {
      await mkdir(dirname(abs), { recursive: true });
    } catch (e) {
      throw ioError(e, `PredictionLog.open: creating ${dirname(abs)}`);
    }
    const Database = (await import('better-sqlite3')).default;
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new Database(abs);
      // incremental vacuum must be chosen before the first table exists
      db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a crash may lose the last batch, never corrupt the log; a clean close loses nothing
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      return new PredictionLog(db, abs, o);
    } catch (e) {
      db?.close();
      throw new IoError(`PredictionLog.open: cannot use ${abs} as a prediction log (${(e as Error).message})`, { cause: e });
    }
  }

  /** Queues a prediction (if sampled in); never blocks and never throws for a full queue. Returns whether it was queued. */
  record(r: PredictionRecord): boolean {
    if (this.closed) throw new ParamError('PredictionLog.record: the log is closed');
    if (this.opts.sampleRate < 1 && sampleFraction(r.requestId) >= this.opts.sampleRate) {
      this.counts.sampledOut++;
      return false;
    }
    return this.enqueue({ kind: 'prediction', r });
  }

  /** Queues the ground truth of an earlier prediction, named by its request id or by the user key it carried. */
  feedback(id: { requestId: string } | { key: string }, actual: unknown): void {
    if (this.closed) throw new ParamError('PredictionLog.feedback: the log is closed');
    const by = 'requestId' in id ? 'requestId' : 'key';
    const value = 'requestId' in id ? id.requestId : id.key;
    if (typeof value !== 'string' || value === '') throw new ParamError(`PredictionLog.feedback: ${by} must be a non-empty string`);
    if (actual === undefined) throw new ParamError('PredictionLog.feedback: actual (the true label or value) is missing');
    this.enqueue({ kind: 'feedback', by, id: value, actual: JSON.stringify(actual) });
  }

  private enqueue(p: Pending): boolean {
    if (this.queue.length >= this.opts.maxQueue) {
      this.counts.dropped++;
      return false;
    }
    this.queue.push(p);
    this.counts.queued = this.queue.length;
    this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs).unref();
    return true;
  }

  /** Writes everything queued now (one transaction), then applies the retention limits. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 || !this.db.open) return;
    const batch = this.queue;
    this.queue = [];
    this.counts.queued = 0;
    try {
      const write = this.db.transaction((items: Pending[]) => {
        for (const p of items) {
          if (p.kind === 'prediction') {
            const r = p.r;
            this.insert.run(
              r.at ?? Date.now(),
              r.requestId,
              r.key ?? null,
              r.model,
              r.version,
              r.variant,
              JSON.stringify(r.input ?? null),
              JSON.stringify(r.prediction ?? null),
              r.probabilities ? JSON.stringify(Array.from(r.probabilities)) : null,
              r.latencyMs,
            );
            this.counts.written++;
          } else {
            const changed = (p.by === 'requestId' ? this.byRequest : this.byKey).run(p.actual, p.id).changes;
            if (changed > 0) this.counts.feedback++;
            else this.counts.feedbackUnmatched++;
          }
        }
      });
      write(batch);
      this.retain();
    } catch (e) {
      this.counts.writeErrors += batch.length;
      this.onError(e as Error);
    }
  }

  /** Removes what is beyond the limits: too old, too many, too large on disk. */
  private retain(): void {
    const old = this.db.prepare('DELETE FROM predictions WHERE at < ?').run(Date.now() - this.opts.maxAgeMs).changes;
    const { n } = this.db.prepare('SELECT count(*) AS n FROM predictions').get() as { n: number };
    let extra = n - this.opts.maxRows;
    const bytes = () => (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
    let removed = old;
    if (extra > 0) removed += this.deleteOldest(extra);
    // over the byte budget: drop the oldest tenth (at least one row) until under it
    for (let guard = 0; guard < 20 && bytes() > this.opts.maxBytes; guard++) {
      const left = (this.db.prepare('SELECT count(*) AS n FROM predictions').get() as { n: number }).n;
      if (left === 0) break;
      extra = Math.max(1, Math.ceil(left / 10));
      removed += this.deleteOldest(extra);
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.pragma('incremental_vacuum');
    }
    if (removed > 0) this.db.pragma('incremental_vacuum');
    this.counts.expired += removed;
  }

  private deleteOldest(count: number): number {
    return this.db.prepare('DELETE FROM predictions WHERE id IN (SELECT id FROM predictions ORDER BY id LIMIT ?)').run(count).changes;
  }

  stats(): PredictionLogStats {
    return { ...this.counts, queued: this.queue.length };
  }

  /** Logged predictions (oldest first) of a time window, a model, a version; queued rows are written first. */
  query(q: { since?: number; until?: number; model?: string; version?: number; withFeedback?: boolean; limit?: number } = {}): LoggedPrediction[] {
    this.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.since !== undefined) where.push('at >= ?'), args.push(q.since);
    if (q.until !== undefined) where.push('at < ?'), args.push(q.until);
    if (q.model !== undefined) where.push('model = ?'), args.push(q.model);
    if (q.version !== undefined) where.push('version = ?'), args.push(q.version);
    if (q.withFeedback) where.push('actual IS NOT NULL');
    const limit = q.limit ?? 1_000_000;
    if (!Number.isInteger(limit) || limit < 1) throw new ParamError(`PredictionLog.query: limit must be an integer >= 1, got ${limit}`);
    const rows = this.db
      .prepare(`SELECT * FROM predictions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`)
      .all(...args, limit) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number,
      at: r.at as number,
      requestId: r.request_id as string,
      key: (r.key as string | null) ?? null,
      model: r.model as string,
      version: (r.version as number | null) ?? null,
      variant: r.variant as string,
      input: JSON.parse(r.input as string),
      prediction: JSON.parse(r.prediction as string),
      probabilities: r.probabilities === null ? null : JSON.parse(r.probabilities as string),
      latencyMs: r.latency_ms as number,
      actual: r.actual === null ? undefined : JSON.parse(r.actual as string),
    }));
  }

  /** Bytes the database file uses now. */
  bytes(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  /** Writes what is queued and closes the file; later record/feedback calls throw. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.db.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
