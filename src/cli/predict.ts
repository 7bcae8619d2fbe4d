/**
 * `kiln predict --model M --in data.{csv,parquet} --out preds.csv`: batch scoring in constant
 * memory. Rows stream in batches (batches.ts), each batch is typed like the training features,
 * scored, and appended to the output (writer.ts) before more input is read; one batch is read
 * ahead while the current one is scored, so reading and native scoring overlap. Reports rows/s
 * and the process's peak RSS.
 */
import { extname, resolve } from 'node:path';
import { ParamError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { loadWithManifest } from '../deploy/model-file.js';
import type { Label } from '../metrics/index.js';
import { openBatches, type Batch } from '../data/batches.js';
import { featureTable } from './data.js';
import { featureSpecOf, inputOrder, modelInput, resolveModel } from './model-ref.js';
import { finalStep } from './pipeline.js';
import { jobSignal } from './interrupt.js';
import { group, progressBar } from './progress.js';
import { resolveSource } from '../data/source.js';
import { CsvWriter, ParquetWriterOut, type PredictionWriter } from '../data/write.js';

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
}

export const DEFAULT_BATCH_SIZE = 65_536;

/** Classifiers whose predict is classes[argmax(predictProba)]: one pass gives both outputs. */
const ARGMAX_OF_PROBA = new Set([
  'GradientBoostingClassifier',
  'RandomForestClassifier',
  'DecisionTreeClassifier',
  'LogisticRegression',
  'KNeighborsClassifier',
]);

type Scorer = (X: unknown) => Promise<{ labels: ArrayLike<unknown>; proba?: Matrix }>;

function scorer(model: unknown, withProba: boolean): { score: Scorer; classes?: Label[] } {
  const m = model as { predict(x: unknown): Promise<unknown>; predictProba?(x: unknown): Promise<unknown> };
  const last = finalStep(model);
  let classes: Label[] | undefined;
  try {
    classes = Array.isArray(last.classes) ? [...(last.classes as Label[])] : undefined;
  } catch {
    /* not a classifier */
  }
  if (!withProba) return { score: async (X) => ({ labels: (await m.predict(X)) as ArrayLike<unknown> }), classes };
  if (typeof m.predictProba !== 'function' || !classes) throw new ParamError('--proba: this model gives no class probabilities');
  const fromProba = ARGMAX_OF_PROBA.has((last as { constructor?: { name?: string } }).constructor?.name ?? '');
  return {
    classes,
    score: async (X) => {
      const proba = (await m.predictProba!(X)) as Matrix;
      if (!fromProba) return { labels: (await m.predict(X)) as ArrayLike<unknown>, proba };
      const labels = new Array<Label>(proba.rows);
      for (let r = 0; r < proba.rows; r++) {
        let best = 0;
        for (let k = 1; k < proba.cols; k++) if (proba.data[r * proba.cols + k] > proba.data[r * proba.cols + best]) best = k;
        labels[r] = classes![best];
      }
      return { labels, proba };
    },
  };
}

export async function scoreFile(flags: PredictFlags): Promise<PredictSummary> {
  const started = performance.now();
  const batchSize = flags.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ParamError(`--batch-size: must be a positive integer, got ${flags.batchSize}`);
  const ref = await resolveModel(flags.model, flags.registry);
  const spec = featureSpecOf(ref.manifest, ref.label);
  const order = inputOrder(ref.manifest, spec);
  const keep = flags.keep
    ? flags.keep
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const { model } = await loadWithManifest(ref.path, ref.sha256 === undefined ? {} : { sha256: ref.sha256 });
  const { score, classes } = scorer(model, flags.proba === true);

  const output = resolve(flags.out);
  const format = extname(output).toLowerCase() === '.parquet' ? 'parquet' : 'csv';
  if (['.json', '.arrow', '.feather', '.tsv'].includes(extname(output).toLowerCase())) {
    throw new ParamError(`--out: predictions are written as CSV or Parquet; name the output .csv or .parquet (got ${flags.out})`);
  }

  const src = resolveSource(flags.in, process.cwd(), '--in');
  const columns = [...new Set([...keep, ...order])];
  const reader = await openBatches(src, { columns, batchSize, limit: flags.limit, missing: spec.missing });
  const header = [
    ...keep.map((k) => (k === 'prediction' ? 'input_prediction' : k)),
    'prediction',
    ...(flags.proba ? classes!.map((c) => `proba_${String(c)}`) : []),
  ];
  const writer: PredictionWriter = format === 'parquet' ? new ParquetWriterOut(output, header) : new CsvWriter(output, header);
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
      const X = modelInput(featureTable(batch, spec), ref.manifest, spec);
      const { labels, proba } = await score(X);
      const out: ArrayLike<unknown>[] = keep.map((k) => batch.columns[k]);
      out.push(labels);
      if (proba) for (let k = 0; k < proba.cols; k++) out.push(Float64Array.from({ length: proba.rows }, (_, r) => proba.data[r * proba.cols + k]));
      signal.throwIfAborted();
      await writer.write(out, batch.rows);
      rows += batch.rows;
      batches++;
      maxBatchRows = Math.max(maxBatchRows, batch.rows);
      if (bar) bar.update(reader.totalRows !== undefined ? rows : reader.bytes!.read / MiB, reader.totalRows !== undefined ? '' : `${group(rows)} rows`);
    }
    signal.throwIfAborted();
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  if (bar) bar.finish(`${group(rows)} rows`);
  const seconds = (performance.now() - started) / 1000;
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
    peakRssMb: process.resourceUsage().maxRSS / 1024,
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
