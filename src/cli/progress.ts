/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never into a pipe, a
 * log file or CI output): `training [██████░░░░░░] 45/100 rounds  loss 0.1234  3.1 s`.
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  label: string;
  /** The amount that is 100% (unknown: a counter without a bar). */
  total?: number;
  unit?: string;
  /** Least time between two redraws, ms (default 100). */
  intervalMs?: number;
}

export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  private done = 0;
  private note = '';
  private ended = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly opts: ProgressOptions,
  ) {}

  /** Sets the amount done, with an optional note (e.g. the current loss); redraws at most every intervalMs. */
  update(done: number, note = ''): void {
    if (this.ended) return;
    this.done = done;
    this.note = note;
    const now = Date.now();
    const complete = this.opts.total !== undefined && done >= this.opts.total;
    if (!complete && now - this.last < (this.opts.intervalMs ?? 100)) return;
    this.last = now;
    this.draw(note);
  }

  /** Draws the final state (with the last note unless given one) and ends the line. */
  finish(note?: string): void {
    if (this.ended) return;
    this.draw(note ?? this.note);
    this.stream.write('\n');
    this.ended = true;
  }

  private draw(note: string): void {
    const { label, total, unit = '' } = this.opts;
    const secs = (Date.now() - this.started) / 1000;
    const count = total === undefined ? `${group(this.done)}${unit ? ` ${unit}` : ''}` : `${group(this.done)}/${group(total)}${unit ? ` ${unit}` : ''}`;
    const tail = `${count}${note ? `  ${note}` : ''}  ${secs.toFixed(1)} s`;
    let bar = '';
    if (total !== undefined && total > 0) {
      const width = Math.max(10, Math.min(30, (this.stream.columns || 80) - label.length - tail.length - 6));
      const filled = Math.round(Math.min(1, this.done / total) * width);
      bar = ` [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
    }
    this.stream.write(`\r\x1b[2K${label}${bar} ${tail}`);
  }
}

/** A progress bar on `stream` (default stderr) when it is a TTY and progress is wanted; else undefined. */
export function progressBar(opts: ProgressOptions, stream: ProgressStream = process.stderr, wanted = true): ProgressBar | undefined {
  return wanted && stream.isTTY ? new ProgressBar(stream, opts) : undefined;
}

/** 1234567 → "1,234,567". */
export function group(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
