/**
 * Writing predictions incrementally: CSV text appended batch by batch (waiting for the stream to
 * drain, so memory stays bounded), into a temporary file renamed over the output at the end — a
 * failed run never leaves a half-written file under the output's name.
 */
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { IoError } from '../core/errors.js';

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

  /** Appends rows (column arrays of equal length); resolves once the stream can take more. */
  async write(columns: ArrayLike<unknown>[], rows: number): Promise<void> {
    if (this.failed) throw new IoError(`writing ${this.path}: ${this.failed.message}`, { cause: this.failed });
    this.rows += rows;
    if (!this.out.write(csvLines(columns, rows))) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => {
          this.out.off('drain', onDrain);
          reject(new IoError(`writing ${this.path}: ${e.message}`, { cause: e }));
        };
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }

  /** Flushes, closes and moves the file into place. */
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (this.failed) throw new IoError(`writing ${this.path}: ${this.failed.message}`, { cause: this.failed });
    if (this.tmp !== this.path) await rename(this.tmp, this.path);
  }

  /** Drops the temporary file (after a failure). */
  async abort(): Promise<void> {
    this.out.destroy();
    if (this.tmp !== this.path) await rm(this.tmp, { force: true });
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
