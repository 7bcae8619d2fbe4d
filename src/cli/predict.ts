/**
 * `kiln predict --model M --in data.{csv,parquet} --out preds.csv`: batch scoring in constant
 * memory. Rows stream in batches (batches.ts), each batch is typed like the training features,
 * scored, and appended to the output (data/write.ts) before more than one further batch is read;
 * one batch is read ahead, and the previous batch's output is written, while the current one is
 * scored natively, so reading, writing and native scoring overlap. Reports rows/s and the
 * process's peak RSS.
 */
import { resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import { loadWithManifest } from '../deploy/model-file.js';
import { openBatches, type Batch } from '../data/batches.js';
import { resolveModel } from './model-ref.js';
import { jobSignal } from './interrupt.js';
import { outputFormat, parseKeep, predictionWriter, scoring } from './predict-core.js';
import { group, progressBar } from './progress.js';
import { resolveSource } from '../data/source.js';

export interface PredictFlags {
  model: string;
  in: string;
  out: string;
  registry?: string;
  /** Rows scored per model call (default 65,536). */
  batchSize?: number;
  /** Only the first rows. */
  limit?: number;
  /** Add one probability column per class. */
  proba?: boolean;
  /** Input columns copied to the output (comma-separated), e.g. an id. */
  keep?: string;
  json?: boolean;
  progress?: boolean;
}

export interface PredictSummary {
  model: string;
  input: string;
  output: string;
  format: 'csv' | 'parquet';
  rows: number;
  batches: number;
  batchSize: number;
  /** The largest batch the model was given. */
  maxBatchRows: number;
  /** The most input rows the reader held at once (a batch for CSV, a row group for Parquet). */
  peakBufferedRows: number;
  seconds: number;
  rowsPerSecond: number;
  /** The process's peak resident set size, MiB. */
  peakRssMb: number;
  /** The process's CPU time so far (user + system, all threads, start-up included), seconds. */
  cpuSeconds: number;
}

export const DEFAULT_BATCH_SIZE = 65_536;

export async function scoreFile(flags: PredictFlags): Promise<PredictSummary> {
  const started = performance.now();
  const batchSize = flags.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ParamError(`--batch-size: must be a positive integer, got ${flags.batchSize}`);
  const ref = await resolveModel(flags.model, flags.registry);
  const { model } = await loadWithManifest(ref.path, ref.sha256 === undefined ? {} : { sha256: ref.sha256 });
  const sc = scoring(model, ref.manifest, ref.label, { keep: parseKeep(flags.keep), proba: flags.proba === true });
  const output = resolve(flags.out);
  const format = outputFormat(output);

  const src = resolveSource(flags.in, process.cwd(), '--in');
  const reader = await openBatches(src, { columns: sc.columns, batchSize, limit: flags.limit, missing: sc.spec.missing });
  const writer = predictionWriter(output, format, sc.header);
  const MiB = 2 ** 20;
  const bar = progressBar(
    reader.totalRows !== undefined
      ? { label: 'scoring', total: reader.totalRows, unit: 'rows' }
      : { label: 'scoring', total: reader.bytes!.total / MiB, unit: 'MiB' },
    process.stderr,
    flags.progress !== false,
  );

  let rows = 0,
    batches = 0,
    maxBatchRows = 0;
  const signal = jobSignal(); // checked between batches: an interrupted run removes its partial output
  // The previous batch's output, written while this one is scored natively (off this thread).
  let scoredBefore: { out: ArrayLike<unknown>[]; rows: number } | undefined;
  const writeScored = async () => {
    if (!scoredBefore) return;
    const { out, rows: n } = scoredBefore;
    scoredBefore = undefined;
    await writer.write(out, n);
    rows += n;
    if (bar) bar.update(reader.totalRows !== undefined ? rows : reader.bytes!.read / MiB, reader.totalRows !== undefined ? '' : `${group(rows)} rows`);
  };
  try {
    const it = reader.batches();
    let next = it.next();
    for (;;) {
      const step = await next;
      signal.throwIfAborted();
      if (step.done) break;
      const batch: Batch = step.value;
      next = it.next(); // read ahead while this batch is scored
      next.catch(() => undefined); // a read error surfaces at the next await, not as an unhandled rejection
      const scored = sc.score(batch);
      scored.catch(() => undefined); // as for next: awaited below
      if (scoredBefore) {
        // let the scoring run up to its native call (microtasks run before an immediate), then
        // write the previous batch's lines meanwhile
        await new Promise<void>((resolve) => setImmediate(resolve));
        await writeScored();
      }
      const out = await scored;
      signal.throwIfAborted();
      scoredBefore = { out, rows: batch.rows };
      batches++;
      maxBatchRows = Math.max(maxBatchRows, batch.rows);
    }
    await writeScored();
    signal.throwIfAborted();
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  if (bar) bar.finish(`${group(rows)} rows`);
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  return {
    model: ref.label,
    input: src.spec,
    output,
    format,
    rows,
    batches,
    batchSize,
    maxBatchRows,
    peakBufferedRows: reader.peakBufferedRows,
    seconds,
    rowsPerSecond: rows / seconds,
    peakRssMb: usage.maxRSS / 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  };
}

export async function predictCommand(flags: PredictFlags): Promise<void> {
  const s = await scoreFile(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  process.stderr.write(
    `scored ${group(s.rows)} rows in ${s.seconds.toFixed(2)} s (${group(s.rowsPerSecond)} rows/s) in ${s.batches} batches of ≤ ${group(s.batchSize)}; ` +
      `peak RSS ${s.peakRssMb.toFixed(0)} MiB → ${s.output}\n`,
  );
}
