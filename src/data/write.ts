/**
 * Writing predictions incrementally: CSV text appended batch by batch (waiting for the stream to
 * drain, so memory stays bounded), into a temporary file renamed over the output at the end — a
 * failed run never leaves a half-written file under the output's name. Large numeric batches
 * (predictions) are formatted on a worker thread while the caller scores the next batch.
 */
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { IoError } from '../core/errors.js';
import { threadEntry } from '../core/thread-entry.js';
import type { CsvLinesDone, CsvLinesJob } from './csv-lines-worker.js';

/** A CSV field: quoted when it holds a comma, quote, or line break. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of column arrays as CSV lines, each ended by \n (a lone numeric column — predictions — without a call per cell). */
export function csvLines(columns: ArrayLike<unknown>[], rows: number): string {
  let text = '';
  const only = columns.length === 1 ? columns[0] : undefined;
  if (only instanceof Float64Array) {
    for (let r = 0; r < rows; r++) {
      const v = only[r];
      text += v === v ? `${v}\n` : '\n'; // v !== v: NaN, written empty
    }
    return text;
  }
  for (let r = 0; r < rows; r++) {
    let line = csvField(columns[0][r]);
    for (let c = 1; c < columns.length; c++) line += `,${csvField(columns[c][r])}`;
    text += `${line}\n`;
  }
  return text;
}

export class CsvWriter {
  /** Where the bytes go first: a temporary file, or the output itself when it is not a regular file (/dev/stdout, a pipe). */
  private readonly tmp: string;
  private readonly out: WriteStream;
  private failed: Error | undefined;
  /** The last batch's append (each waits for the one before), and those not yet waited for. */
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void>[] = [];
  private thread: CsvLinesThread | undefined;
  rows = 0;

  constructor(
    readonly path: string,
    header: string[],
  ) {
    let special = false;
    try {
      special = !statSync(path).isFile();
    } catch {
      /* absent: a new regular file */
    }
    this.tmp = special ? path : `${path}.${process.pid}.tmp`;
    this.out = createWriteStream(this.tmp);
    this.out.on('error', (e) => {
      this.failed = e;
    });
    this.out.write(`${header.map(csvField).join(',')}\n`);
  }

  /**
   * Appends rows (column arrays of equal length), in the order written; resolves once at most one
   * batch is still being formatted or waiting for the stream. Numeric batches of THREAD_MIN_ROWS
   * rows or more are formatted on a worker thread (a copy goes there), the rest here.
   */
  async write(columns: ArrayLike<unknown>[], rows: number): Promise<void> {
    if (this.failed) throw this.ioError(this.failed);
    this.rows += rows;
    const numeric = rows >= THREAD_MIN_ROWS && columns.length > 0 && columns.every((c) => c instanceof Float64Array);
    let text: string | Promise<Uint8Array>;
    if (numeric) {
      this.thread ??= new CsvLinesThread();
      text = this.thread.format(
        columns.map((c) => (c as Float64Array).slice(0, rows)),
        rows,
      );
      text.catch(() => undefined); // awaited below, unless an earlier batch failed first
    } else text = csvLines(columns, rows);
    const done = this.tail.then(async () => this.append(await text));
    this.tail = done;
    this.queued.push(done);
    done.catch(() => undefined); // surfaces below, at a later write, or at close
    while (this.queued.length > 1) await this.queued.shift()!.catch((e) => Promise.reject(this.ioError(e as Error)));
  }

  private ioError(e: Error): IoError {
    return e instanceof IoError ? e : new IoError(`writing ${this.path}: ${e.message}`, { cause: e });
  }

  /** Into the stream, waiting for it to drain when it holds too much. */
  private async append(text: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.ioError(this.failed);
    if (this.out.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => {
        this.out.off('drain', onDrain);
        reject(this.ioError(e));
      };
      const onDrain = () => {
        this.out.off('error', onError);
        resolve();
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** Flushes, closes and moves the file into place. */
  async close(): Promise<void> {
    try {
      await this.tail;
    } catch (e) {
      throw this.ioError(e as Error);
    } finally {
      await this.thread?.close();
    }
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failed) throw this.ioError(this.failed);
    if (this.tmp !== this.path) await rename(this.tmp, this.path);
  }

  /** Drops the temporary file (after a failure). */
  async abort(): Promise<void> {
    await this.thread?.close();
    this.out.destroy();
    if (this.tmp !== this.path) await rm(this.tmp, { force: true });
  }
}

/** Numeric batches of at least this many rows are formatted on CsvWriter's thread. */
export const THREAD_MIN_ROWS = 8192;

/** CsvWriter's formatting thread (csv-lines-worker.ts), started at its first numeric batch. */
class CsvLinesThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private next = 0;
  private dead: Error | undefined;

  constructor() {
    const { entry, eval: isEval } = threadEntry('csv-lines-worker', import.meta.url);
    this.worker = new Worker(entry, { eval: isEval });
    this.worker.unref(); // held (ref) only while a batch is out
    this.worker.on('message', (m: CsvLinesDone) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('error' in m) w?.reject(new Error(m.error));
      else w?.resolve(m.bytes);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the CSV formatting thread exited with code ${code}`)));
  }

  format(columns: Float64Array[], rows: number): Promise<Uint8Array> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(
        { id, columns, rows } satisfies CsvLinesJob,
        columns.map((c) => c.buffer as ArrayBuffer),
      );
    });
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.dead ??= new Error('the CSV formatting thread was closed');
    await this.worker.terminate();
  }
}

/** Where predictions go: CSV text, or Parquet row groups. */
export interface PredictionWriter {
  rows: number;
  write(columns: ArrayLike<unknown>[], rows: number): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Parquet written incrementally with hyparquet-writer (loaded on first use): one row group per
 * batch, numeric columns as DOUBLE (a missing value is NaN), anything else as a nullable
 * STRING, the types fixed by the first batch. Into a temporary file renamed at the end.
 */
export class ParquetWriterOut implements PredictionWriter {
  private readonly tmp: string;
  private writer: { write(o: { columnData: unknown[]; rowGroupSize: number }): void | Promise<void>; finish(): void | Promise<void> } | undefined;
  private numeric: boolean[] | undefined;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly header: string[],
  ) {
    this.tmp = `${path}.${process.pid}.tmp`;
  }

  async write(columns: ArrayLike<unknown>[], rows: number): Promise<void> {
    try {
      if (!this.numeric) {
        this.numeric = columns.map((c) => {
          for (let r = 0; r < rows; r++) if (c[r] !== null && c[r] !== undefined && typeof c[r] !== 'number') return false;
          return true;
        });
      }
      const columnData = columns.map((c, i) =>
        this.numeric![i]
          ? {
              name: this.header[i],
              type: 'DOUBLE',
              nullable: false,
              data: Float64Array.from({ length: rows }, (_, r) => (typeof c[r] === 'number' ? (c[r] as number) : NaN)),
            }
          : {
              name: this.header[i],
              type: 'STRING',
              nullable: true,
              data: Array.from({ length: rows }, (_, r) => (c[r] === null || c[r] === undefined ? null : String(c[r]))),
            },
      );
      if (!this.writer) {
        const hw = await import('hyparquet-writer');
        const schema = hw.schemaFromColumnData({ columnData: columnData as never });
        this.writer = new hw.ParquetWriter({ writer: hw.fileWriter(this.tmp), schema }) as unknown as ParquetWriterOut['writer'];
      }
      await this.writer!.write({ columnData, rowGroupSize: rows });
      this.rows += rows;
    } catch (e) {
      throw new IoError(`writing ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    if (!this.writer)
      await this.write(
        this.header.map(() => []),
        0,
      ); // an empty input still gives a valid file
    await this.writer!.finish();
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    await rm(this.tmp, { force: true });
  }
}
