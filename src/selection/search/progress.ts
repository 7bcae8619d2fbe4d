/**
 * A search's progress: the onProgress callback after every fit, and one redrawn line on stderr
 * when (and only when) stderr is a terminal — never into a pipe, a log file or CI output.
 */

export interface SearchProgress {
  /** Fits (candidate × fold) finished so far. */
  done: number;
  /** Fits planned (a halving search knows its whole schedule up front). */
  total: number;
  /** The best mean test score of the candidates finished so far (NaN before the first). */
  bestScore: number;
}

export class ProgressLine {
  private last = 0;
  private readonly started = Date.now();
  private readonly tty = typeof process !== 'undefined' && process.stderr?.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly callback?: (p: SearchProgress) => void,
  ) {}

  update(p: SearchProgress): void {
    this.callback?.(p);
    if (!this.tty) return;
    const now = Date.now();
    if (p.done < p.total && now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const eta = p.done > 0 && p.done < p.total ? `  eta ${((secs / p.done) * (p.total - p.done)).toFixed(1)} s` : '';
    const best = Number.isNaN(p.bestScore) ? '' : `  best ${p.bestScore.toPrecision(6)}`;
    process.stderr.write(`\r\x1b[2K${this.label} ${p.done}/${p.total} fits${best}  ${secs.toFixed(1)} s${eta}`);
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
