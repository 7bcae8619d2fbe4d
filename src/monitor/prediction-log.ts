/**
 * The prediction log in one SQLite file (better-sqlite3), the default store: every served
 * prediction (sampled) and the ground truth posted for it later, for drift and performance
 * monitoring. The queue in front of it (prediction-store.ts) keeps serving from waiting; each
 * batch is one transaction. Disk use is bounded: after each batch the oldest rows go when the log
 * holds more than `maxRows`, older than `maxAgeMs`, or more than `maxBytes` on disk (the file is
 * compacted incrementally, auto_vacuum=INCREMENTAL).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 } from '../core/sqlite.js';
import { IoError, ParamError } from '../core/errors.js';
import { ioError } from '../deploy/atomic-write.js';
import {
  checkQueryLimit,
  type LoggedPrediction,
  type Pending,
  type PredictionLogOptions,
  type PredictionQuery,
  parseLogged,
  QueuedPredictionLog,
  resolveLogOptions,
} from './prediction-store.js';

export type { LoggedPrediction, PredictionLogOptions, PredictionLogStats, PredictionQuery, PredictionRecord, PredictionStore } from './prediction-store.js';

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

export class PredictionLog extends QueuedPredictionLog {
  readonly path: string;
  private readonly insert: BetterSqlite3.Statement;
  private readonly byRequest: BetterSqlite3.Statement;
  private readonly byKey: BetterSqlite3.Statement;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    path: string,
    opts: Required<PredictionLogOptions>,
  ) {
    super(opts, 'PredictionLog');
    this.path = path;
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
    const o = resolveLogOptions(opts, 'PredictionLog.open');
    const abs = resolvePath(path);
    try {
      await mkdir(dirname(abs), { recursive: true });
    } catch (e) {
      throw ioError(e, `PredictionLog.open: creating ${dirname(abs)}`);
    }
    const Database = await loadBetterSqlite3('PredictionLog.open', IoError);
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

  protected get writable(): boolean {
    return this.db.open;
  }

  /** One transaction per batch: predictions inserted, feedback applied to the rows logged so far. */
  protected writeBatch(batch: Pending[]): void {
    this.db.transaction((items: Pending[]) => {
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
    })(batch);
  }

  /** Removes what is beyond the limits: too old, too many, too large on disk. */
  protected retain(): number {
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
    return removed;
  }

  private deleteOldest(count: number): number {
    return this.db.prepare('DELETE FROM predictions WHERE id IN (SELECT id FROM predictions ORDER BY id LIMIT ?)').run(count).changes;
  }

  /** Logged predictions (oldest first) of a time window, a model, a version; queued rows are written first. */
  query(q: PredictionQuery = {}): LoggedPrediction[] {
    this.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.since !== undefined) where.push('at >= ?'), args.push(q.since);
    if (q.until !== undefined) where.push('at < ?'), args.push(q.until);
    if (q.model !== undefined) where.push('model = ?'), args.push(q.model);
    if (q.version !== undefined) where.push('version = ?'), args.push(q.version);
    if (q.withFeedback) where.push('actual IS NOT NULL');
    const limit = checkQueryLimit(q.limit, 'PredictionLog.query');
    const rows = this.db
      .prepare(`SELECT * FROM predictions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`)
      .all(...args, limit) as Record<string, unknown>[];
    return rows.map((r) =>
      parseLogged({
        id: r.id as number,
        at: r.at as number,
        requestId: r.request_id as string,
        key: r.key as string | null,
        model: r.model as string,
        version: r.version as number | null,
        variant: r.variant as string,
        input: r.input as string,
        prediction: r.prediction as string,
        probabilities: r.probabilities as string | null,
        latencyMs: r.latency_ms as number,
        actual: r.actual as string | null,
      }),
    );
  }

  /** Bytes the database file uses now. */
  bytes(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  protected release(): void {
    if (this.db.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
