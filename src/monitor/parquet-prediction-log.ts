/**
 * The prediction log as a directory of Parquet segments, for teams whose monitoring reads files
 * (Spark, DuckDB, pandas) rather than a database. Same queue, sampling and counters as the SQLite
 * log (prediction-store.ts); what differs is the storage:
 *
 * - Rows go to the open segment `segment-<n>.parquet.partial`, one row group per batch, flushed to
 *   the file at once. The segment is closed (its footer written, renamed to `segment-<n>.parquet`)
 *   when it reaches `rotateRows` rows or `rotateBytes` bytes, has been open `rotateMs`, or the log
 *   closes: a clean shutdown leaves only complete files. (A crash leaves a `.partial` without a
 *   footer, unreadable; the next open removes it and adds one per such segment to
 *   `stats().writeErrors`, its row count being unknown without the footer.)
 * - Feedback is appended as rows of its own, in the same order as predictions, and joined when the
 *   log is read: it labels every earlier row with its request id or key, as the SQLite log's
 *   UPDATE does. So whether feedback matched is known when the log is read: `stats().feedbackUnmatched`
 *   is the retained feedback that matched no prediction at the last `query`, and `feedback` the
 *   feedback this process wrote less that.
 * - Retention removes whole segments: the oldest go while the log holds more than `maxRows`
 *   predictions or `maxBytes` on disk, and a segment goes when its newest row is older than
 *   `maxAgeMs`. Reads apply the same limits row by row, so a reader never sees a row the limits
 *   exclude; the disk holds at most one segment more than the limits.
 *
 * The open segment's rows are also held in memory (at most `rotateRows`), so reads see them
 * without closing the segment early.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { IoError, ParamError } from '../core/errors.js';
import { readParquet } from '../data/parquet.js';
import {
  checkQueryLimit,
  type LoggedPrediction,
  type Pending,
  type PredictionLogOptions,
  type PredictionQuery,
  parseLogged,
  positiveOption,
  QueuedPredictionLog,
  resolveLogOptions,
} from './prediction-store.js';

export interface ParquetPredictionLogOptions extends PredictionLogOptions {
  /** A segment closes at this many rows (predictions and feedback). Default: 100,000. */
  rotateRows?: number;
  /** A segment closes at this many bytes. Default: 64 MiB, and at most a quarter of maxBytes. */
  rotateBytes?: number;
  /** A segment closes when it has been open this many milliseconds (checked as batches arrive). Default: 1 hour. */
  rotateMs?: number;
}

/** A stored row: a prediction or a feedback, as the Parquet columns hold it. */
interface StoredRow {
  kind: 'prediction' | 'feedback';
  id: number | null;
  at: number;
  requestId: string | null;
  key: string | null;
  model: string | null;
  version: number | null;
  variant: string | null;
  input: string | null;
  prediction: string | null;
  probabilities: string | null;
  latencyMs: number | null;
  actual: string | null;
}

const COLUMNS: { name: string; field: keyof StoredRow; type: 'STRING' | 'DOUBLE' }[] = [
  { name: 'kind', field: 'kind', type: 'STRING' },
  { name: 'id', field: 'id', type: 'DOUBLE' },
  { name: 'at', field: 'at', type: 'DOUBLE' },
  { name: 'request_id', field: 'requestId', type: 'STRING' },
  { name: 'key', field: 'key', type: 'STRING' },
  { name: 'model', field: 'model', type: 'STRING' },
  { name: 'version', field: 'version', type: 'DOUBLE' },
  { name: 'variant', field: 'variant', type: 'STRING' },
  { name: 'input', field: 'input', type: 'STRING' },
  { name: 'prediction', field: 'prediction', type: 'STRING' },
  { name: 'probabilities', field: 'probabilities', type: 'STRING' },
  { name: 'latency_ms', field: 'latencyMs', type: 'DOUBLE' },
  { name: 'actual', field: 'actual', type: 'STRING' },
];

interface Segment {
  seq: number;
  path: string;
  /** Prediction rows in it. */
  predictions: number;
  bytes: number;
  newestAt: number;
}

type HyparquetWriter = typeof import('hyparquet-writer');
type FileSink = ReturnType<HyparquetWriter['fileWriter']> & { flush?: () => void; finish(): void };
interface OpenSegment {
  seq: number;
  partial: string;
  sink: FileSink;
  writer: { write(o: { columnData: unknown[]; rowGroupSize: number }): void; finish(): void };
  openedAt: number;
  rows: StoredRow[];
  /** Prediction rows among `rows` (retention counts them after every batch). */
  predictions: number;
}

const SEGMENT = /^segment-(\d{10})\.parquet$/;
const PARTIAL = /^segment-(\d{10})\.parquet\.partial$/;
const segmentName = (seq: number) => `segment-${String(seq).padStart(10, '0')}.parquet`;

function toStored(p: Pending, id: number): StoredRow {
  if (p.kind === 'prediction') {
    const r = p.r;
    return {
      kind: 'prediction',
      id,
      at: r.at ?? Date.now(),
      requestId: r.requestId,
      key: r.key ?? null,
      model: r.model,
      version: r.version,
      variant: r.variant,
      input: JSON.stringify(r.input ?? null),
      prediction: JSON.stringify(r.prediction ?? null),
      probabilities: r.probabilities ? JSON.stringify(Array.from(r.probabilities)) : null,
      latencyMs: r.latencyMs,
      actual: null,
    };
  }
  const empty = { id: null, model: null, version: null, variant: null, input: null, prediction: null, probabilities: null, latencyMs: null };
  return {
    kind: 'feedback',
    ...empty,
    at: Date.now(),
    requestId: p.by === 'requestId' ? p.id : null,
    key: p.by === 'key' ? p.id : null,
    actual: p.actual,
  };
}

function append(m: Map<string, StoredRow[]>, k: string, r: StoredRow): void {
  const list = m.get(k);
  if (list) list.push(r);
  else m.set(k, [r]);
}

export class ParquetPredictionLog extends QueuedPredictionLog {
  readonly path: string;
  private readonly segments: Segment[] = [];
  private open: OpenSegment | undefined;
  private nextSeq: number;
  private nextId: number;
  private feedbackWritten = 0;

  private constructor(
    dir: string,
    opts: Required<PredictionLogOptions>,
    private readonly rotate: { rows: number; bytes: number; ms: number },
    private readonly hw: HyparquetWriter,
    found: { segments: Segment[]; nextSeq: number; nextId: number; lost: number },
  ) {
    super(opts, 'ParquetPredictionLog');
    this.path = dir;
    this.segments = found.segments;
    this.nextSeq = found.nextSeq;
    this.nextId = found.nextId;
    this.counts.writeErrors = found.lost;
  }

  /** Opens (creating when needed) the log in directory `dir`, reading what earlier runs left there. */
  static async open(dir: string, opts: ParquetPredictionLogOptions = {}): Promise<ParquetPredictionLog> {
    const fn = 'ParquetPredictionLog.open';
    if (typeof dir !== 'string' || dir === '') throw new ParamError(`${fn}: dir must be a directory path, got ${JSON.stringify(dir)}`);
    const { rotateRows, rotateBytes, rotateMs, ...common } = opts;
    const o = resolveLogOptions(common, fn);
    const rotate = {
      rows: positiveOption(fn, 'rotateRows', rotateRows, 100_000),
      bytes: positiveOption(fn, 'rotateBytes', rotateBytes, Math.max(1, Math.min(64 * 2 ** 20, Math.floor(o.maxBytes / 4)))),
      ms: positiveOption(fn, 'rotateMs', rotateMs, 3_600_000),
    };
    if (rotate.bytes > o.maxBytes) throw new ParamError(`${fn}: rotateBytes (${rotate.bytes}) must not exceed maxBytes (${o.maxBytes})`);
    const abs = resolvePath(dir);
    let names: string[];
    try {
      mkdirSync(abs, { recursive: true });
      names = readdirSync(abs).sort();
    } catch (e) {
      throw new IoError(`${fn}: cannot use ${abs} as a prediction log directory (${(e as Error).message})`, { cause: e });
    }
    const segments: Segment[] = [];
    let nextSeq = 1,
      nextId = 1,
      lost = 0;
    for (const name of names) {
      const partial = PARTIAL.exec(name);
      if (partial) {
        // a crash's open segment: no footer, unreadable; its rows are lost (and counted)
        lost++;
        rmSync(join(abs, name), { force: true });
        nextSeq = Math.max(nextSeq, Number(partial[1]) + 1);
        continue;
      }
      const m = SEGMENT.exec(name);
      if (!m) continue;
      const path = join(abs, name);
      const t = await readParquet(path, { columns: ['kind', 'id', 'at'] }).catch((e) => {
        throw new IoError(`${fn}: ${path} is not a segment of a prediction log (${(e as Error).message}); move it out of ${abs}`, { cause: e });
      });
      const kind = t.columns.kind as (string | null)[],
        ids = t.columns.id as Float64Array,
        at = t.columns.at as Float64Array;
      let predictions = 0,
        newestAt = -Infinity;
      for (let r = 0; r < t.rows; r++) {
        if (kind[r] === 'prediction') {
          predictions++;
          nextId = Math.max(nextId, ids[r] + 1);
        }
        newestAt = Math.max(newestAt, at[r]);
      }
      segments.push({ seq: Number(m[1]), path, predictions, bytes: statSync(path).size, newestAt });
      nextSeq = Math.max(nextSeq, Number(m[1]) + 1);
    }
    const hw = (await import('hyparquet-writer')) as unknown as HyparquetWriter;
    return new ParquetPredictionLog(abs, o, rotate, hw, { segments, nextSeq, nextId, lost });
  }

  protected get writable(): boolean {
    return !this.closed;
  }

  /** The batch as one row group of the open segment (opened when none is), on disk before this returns. */
  protected writeBatch(batch: Pending[]): void {
    const rows = batch.map((p) => toStored(p, p.kind === 'prediction' ? this.nextId++ : 0));
    const columnData = COLUMNS.map((c) => ({ name: c.name, type: c.type, nullable: true, data: rows.map((r) => r[c.field]) }));
    if (!this.open) {
      const seq = this.nextSeq++;
      const partial = join(this.path, `${segmentName(seq)}.partial`);
      const sink = this.hw.fileWriter(partial) as FileSink;
      // ParquetWriter calls flush after each row group: the batch reaches the file now, not at 1 MB
      sink.flush = () => sink.finish();
      const schema = this.hw.schemaFromColumnData({ columnData: columnData as never });
      const writer = new this.hw.ParquetWriter({ writer: sink, schema }) as unknown as OpenSegment['writer'];
      this.open = { seq, partial, sink, writer, openedAt: Date.now(), rows: [], predictions: 0 };
    }
    this.open.writer.write({ columnData, rowGroupSize: rows.length });
    for (const r of rows) {
      this.open.rows.push(r);
      if (r.kind === 'prediction') {
        this.counts.written++;
        this.open.predictions++;
      } else {
        this.feedbackWritten++;
        this.counts.feedback = Math.max(0, this.feedbackWritten - this.counts.feedbackUnmatched);
      }
    }
    const o = this.open;
    if (o.rows.length >= this.rotate.rows || o.sink.offset >= this.rotate.bytes || Date.now() - o.openedAt >= this.rotate.ms) this.closeSegment();
  }

  /** Writes the open segment's footer and gives it its final name. */
  private closeSegment(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    o.writer.finish();
    const path = join(this.path, segmentName(o.seq));
    renameSync(o.partial, path);
    let newestAt = -Infinity;
    for (const r of o.rows) newestAt = Math.max(newestAt, r.at);
    this.segments.push({ seq: o.seq, path, predictions: o.predictions, bytes: statSync(path).size, newestAt });
  }

  /** Removes whole segments beyond the limits, oldest first; returns the prediction rows removed. */
  protected retain(): number {
    let removed = 0;
    const drop = () => {
      const s = this.segments.shift()!;
      rmSync(s.path, { force: true });
      removed += s.predictions;
    };
    const cutoff = Date.now() - this.opts.maxAgeMs;
    while (this.segments.length && this.segments[0].newestAt < cutoff) drop();
    const open = this.open?.predictions ?? 0;
    let total = this.segments.reduce((n, s) => n + s.predictions, 0) + open;
    while (this.segments.length && total - this.segments[0].predictions >= this.opts.maxRows) {
      total -= this.segments[0].predictions;
      drop();
    }
    if (this.bytes() > this.opts.maxBytes && this.open) this.closeSegment();
    while (this.segments.length > 1 && this.bytes() > this.opts.maxBytes) drop();
    return removed;
  }

  /** Bytes the segments use on disk now (the open one included). */
  bytes(): number {
    return this.segments.reduce((n, s) => n + s.bytes, 0) + (this.open?.sink.offset ?? 0);
  }

  /** Logged predictions (oldest first) with their feedback joined; queued rows are written first. */
  async query(q: PredictionQuery = {}): Promise<LoggedPrediction[]> {
    const limit = checkQueryLimit(q.limit, 'ParquetPredictionLog.query');
    this.flush();
    const stored: StoredRow[] = [];
    for (const s of [...this.segments]) stored.push(...(await this.readSegment(s.path)));
    if (this.open) stored.push(...this.open.rows);
    // feedback labels every earlier row with its request id or key (the last feedback wins)
    const predictions: StoredRow[] = [];
    const byRequest = new Map<string, StoredRow[]>(),
      byKey = new Map<string, StoredRow[]>();
    let unmatched = 0;
    for (const r of stored) {
      if (r.kind === 'prediction') {
        const copy = { ...r };
        predictions.push(copy);
        if (copy.requestId !== null) append(byRequest, copy.requestId, copy);
        if (copy.key !== null) append(byKey, copy.key, copy);
        continue;
      }
      const targets = r.requestId !== null ? byRequest.get(r.requestId) : byKey.get(r.key ?? '');
      if (targets?.length) {
        for (const t of targets) t.actual = r.actual;
      } else unmatched++;
    }
    this.counts.feedbackUnmatched = unmatched;
    this.counts.feedback = Math.max(0, this.feedbackWritten - unmatched);
    // the retention limits, row by row: the newest maxRows, none older than maxAgeMs
    const cutoff = Date.now() - this.opts.maxAgeMs;
    const out: LoggedPrediction[] = [];
    for (const r of predictions.slice(Math.max(0, predictions.length - this.opts.maxRows))) {
      if (r.at < cutoff) continue;
      if (q.since !== undefined && !(r.at >= q.since)) continue;
      if (q.until !== undefined && !(r.at < q.until)) continue;
      if (q.model !== undefined && r.model !== q.model) continue;
      if (q.version !== undefined && r.version !== q.version) continue;
      if (q.withFeedback && r.actual === null) continue;
      out.push(
        parseLogged({
          id: r.id!,
          at: r.at,
          requestId: r.requestId!,
          key: r.key,
          model: r.model!,
          version: r.version,
          variant: r.variant!,
          input: r.input!,
          prediction: r.prediction!,
          probabilities: r.probabilities,
          latencyMs: r.latencyMs!,
          actual: r.actual,
        }),
      );
      if (out.length === limit) break;
    }
    return out;
  }

  private async readSegment(path: string): Promise<StoredRow[]> {
    const t = await readParquet(path);
    const text = (name: string) => t.columns[name] as (string | null)[];
    const num = (name: string) => t.columns[name] as Float64Array;
    const nullable = (v: number) => (Number.isNaN(v) ? null : v);
    const rows: StoredRow[] = [];
    for (let i = 0; i < t.rows; i++) {
      rows.push({
        kind: text('kind')[i] === 'feedback' ? 'feedback' : 'prediction',
        id: nullable(num('id')[i]),
        at: num('at')[i],
        requestId: text('request_id')[i],
        key: text('key')[i],
        model: text('model')[i],
        version: nullable(num('version')[i]),
        variant: text('variant')[i],
        input: text('input')[i],
        prediction: text('prediction')[i],
        probabilities: text('probabilities')[i],
        latencyMs: nullable(num('latency_ms')[i]),
        actual: text('actual')[i],
      });
    }
    return rows;
  }

  protected release(): void {
    this.closeSegment();
  }
}
