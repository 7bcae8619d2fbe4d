/**
 * Adaptive micro-batching (as BentoML does): requests that reach the same model while it is busy
 * are gathered and answered by one model call. Idle, a request runs at once (no added latency);
 * under load, requests queue while the current call runs, and the queue goes next as one batch
 * (up to maxRows rows), so the batch size follows the load. `maxWaitMs` bounds how long a request
 * may queue behind a busy model before its batch is started anyway (a second call in flight).
 * Only the asynchronous path is batched: small requests to a model with a synchronous predictor
 * are answered inline, which is cheaper than any batching.
 */
import { Matrix } from '../../core/matrix.js';
import type { Column, Table } from '../../data/table.js';
import { predictLater, type Capabilities, type PredictResult } from './predict.js';
import type { Predictor } from './types.js';

export interface MicroBatchOptions {
  /** Most rows one gathered call may carry. Default: 512. */
  maxRows?: number;
  /** Longest a request waits behind a busy model before its batch starts anyway, in ms. Default: 2. */
  maxWaitMs?: number;
}

interface Pending {
  X: Matrix<Float64Array> | Table;
  rows: number;
  resolve: (r: PredictResult) => void;
  reject: (e: unknown) => void;
}

function stackMatrices(parts: Matrix<Float64Array>[], rows: number): Matrix<Float64Array> {
  const cols = parts[0].cols;
  const data = new Float64Array(rows * cols);
  let at = 0;
  for (const p of parts) {
    data.set(p.data.subarray(0, p.rows * cols), at);
    at += p.rows * cols;
  }
  return new Matrix(data, rows, cols);
}

function stackTables(parts: Table[], rows: number): Table {
  const columns: Record<string, Column> = {};
  for (const name of Object.keys(parts[0].columns)) {
    const first = parts[0].columns[name];
    if (first instanceof Float64Array) {
      const out = new Float64Array(rows);
      let at = 0;
      for (const p of parts) {
        out.set(p.columns[name] as Float64Array, at);
        at += p.rows;
      }
      columns[name] = out;
    } else {
      columns[name] = parts.flatMap((p) => p.columns[name] as (string | null)[]);
    }
  }
  return { rows, columns };
}

/** The rows [from, from + n) of a JSON prediction output (one entry per row). */
function sliceRows(out: unknown, from: number, n: number): unknown {
  return Array.isArray(out) ? out.slice(from, from + n) : out;
}

/** One batcher per live model variant and probability choice. */
export class MicroBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Model calls made and rows they carried (for tests and metrics). */
  calls = 0;

  constructor(
    private readonly model: Predictor,
    private readonly caps: Capabilities,
    private readonly withProba: boolean,
    private readonly maxRows: number,
    private readonly maxWaitMs: number,
  ) {}

  submit(X: Matrix<Float64Array> | Table, rows: number): Promise<PredictResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ X, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.running === 0 || this.queuedRows >= this.maxRows) this.dispatch();
      else this.timer ??= setTimeout(() => this.dispatch(), this.maxWaitMs);
    });
  }

  private dispatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length === 0) return;
    // take whole requests up to maxRows (a larger single request goes alone)
    let take = 0,
      rows = 0;
    while (take < this.queue.length && (take === 0 || rows + this.queue[take].rows <= this.maxRows)) rows += this.queue[take++].rows;
    const batch = this.queue.splice(0, take);
    this.queuedRows -= rows;
    this.running++;
    this.run(batch, rows).finally(() => {
      this.running--;
      if (this.queue.length) this.dispatch();
    });
  }

  private async run(batch: Pending[], rows: number): Promise<void> {
    this.calls++;
    if (batch.length === 1) {
      const one = batch[0];
      await predictLater(this.model, this.caps, one.X, this.withProba).then(one.resolve, one.reject);
      return;
    }
    const X =
      batch[0].X instanceof Matrix
        ? stackMatrices(
            batch.map((p) => p.X as Matrix<Float64Array>),
            rows,
          )
        : stackTables(
            batch.map((p) => p.X as Table),
            rows,
          );
    let res: PredictResult;
    try {
      res = await predictLater(this.model, this.caps, X, this.withProba);
    } catch {
      // one request's rows may be what the model refuses: answer each alone, so only its own fails
      for (const p of batch) await predictLater(this.model, this.caps, p.X, this.withProba).then(p.resolve, p.reject);
      return;
    }
    let at = 0;
    for (const p of batch) {
      const part: PredictResult = { predictions: sliceRows(res.predictions, at, p.rows) };
      if (res.probabilities !== undefined) part.probabilities = sliceRows(res.probabilities, at, p.rows);
      p.resolve(part);
      at += p.rows;
    }
  }
}
