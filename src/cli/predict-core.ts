/**
 * What one scoring run needs, shared by `kiln predict` on this machine and the batch-scoring
 * shards it sends to `kiln worker`s: the model's scoring function (labels, and probabilities in
 * one pass where predict is their argmax), the output header, and a batch of input rows turned into
 * output columns — so a shard scored on a worker is the same bytes as those rows scored here.
 */
import { extname } from 'node:path';
import { ParamError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { ModelManifest } from '../deploy/manifest.js';
import type { Label } from '../metrics/index.js';
import type { Table } from '../data/table.js';
import { CsvWriter, ParquetWriterOut, type PredictionWriter } from '../data/write.js';
import { featureTable, type FeatureSpec } from './data.js';
import { featureSpecOf, inputOrder, modelInput } from './model-ref.js';
import { finalStep } from './pipeline.js';

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

export interface Scoring {
  spec: FeatureSpec;
  /** Input columns to read: the kept ones, then the model's. */
  columns: string[];
  keep: string[];
  header: string[];
  /** A batch of input rows as output columns (kept columns, prediction, probabilities). */
  score(batch: Table): Promise<ArrayLike<unknown>[]>;
}

/** `--keep a,b` as a list. */
export function parseKeep(keep: string | undefined): string[] {
  return keep
    ? keep
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export function scoring(model: unknown, manifest: ModelManifest, label: string, opts: { keep: string[]; proba: boolean }): Scoring {
  const spec = featureSpecOf(manifest, label);
  const order = inputOrder(manifest, spec);
  const { keep } = opts;
  const { score, classes } = scorer(model, opts.proba);
  const header = [
    ...keep.map((k) => (k === 'prediction' ? 'input_prediction' : k)),
    'prediction',
    ...(opts.proba ? classes!.map((c) => `proba_${String(c)}`) : []),
  ];
  return {
    spec,
    keep,
    header,
    columns: [...new Set([...keep, ...order])],
    async score(batch) {
      const X = modelInput(featureTable(batch, spec), manifest, spec);
      const { labels, proba } = await score(X);
      const out: ArrayLike<unknown>[] = keep.map((k) => batch.columns[k]);
      out.push(labels);
      if (proba) for (let k = 0; k < proba.cols; k++) out.push(Float64Array.from({ length: proba.rows }, (_, r) => proba.data[r * proba.cols + k]));
      return out;
    },
  };
}

/** The output format a path names: .parquet, else CSV; formats predictions are never written in are E_PARAM. */
export function outputFormat(path: string, flag = '--out'): 'csv' | 'parquet' {
  const ext = extname(path).toLowerCase();
  if (['.json', '.arrow', '.feather', '.tsv'].includes(ext)) {
    throw new ParamError(`${flag}: predictions are written as CSV or Parquet; name the output .csv or .parquet (got ${path})`);
  }
  return ext === '.parquet' ? 'parquet' : 'csv';
}

export function predictionWriter(path: string, format: 'csv' | 'parquet', header: string[]): PredictionWriter {
  return format === 'parquet' ? new ParquetWriterOut(path, header) : new CsvWriter(path, header);
}
