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

export class CsvWriter {
  /** Where the bytes go first: a temporary file, or the output itself when it is not a regular file (/dev/stdout, a pipe). */
  private readonly tmp: string;
  private readonly out: WriteStream;
  private failed: Error | undefined;
  rows = 0;

  constructor(readonly path: string, header: string[]) {
    let special = false;
    try { special = !statSync(path).isFile(); } catch { /* absent: a new regular file */ }
    this.tmp = special ? path : `${path}.${process.pid}.tmp`;
    this.out = createWriteStream(this.tmp);
    this.out.on('error', (e) => { this.failed = e; });
    this.out.write(`${header.map(csvField).join(',')}\n`);
  }

  /** Appends rows (column arrays of equal length); resolves once the stream can take more. */
  async write(columns: ArrayLike<unknown>[], rows: number): Promise<void> {
    if (this.failed) throw new IoError(`writing ${this.path}: ${this.failed.message}`, { cause: this.failed });
    const lines = new Array<string>(rows);
    for (let r = 0; r < rows; r++) {
      let line = csvField(columns[0][r]);
      for (let c = 1; c < columns.length; c++) line += `,${csvField(columns[c][r])}`;
      lines[r] = line;
    }
    this.rows += rows;
    if (!this.out.write(`${lines.join('\n')}\n`)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => { this.out.off('drain', onDrain); reject(new IoError(`writing ${this.path}: ${e.message}`, { cause: e })); };
        const onDrain = () => { this.out.off('error', onError); resolve(); };
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
