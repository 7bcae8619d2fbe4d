/**
 * A batch-scoring shard on a `kiln worker` (registered as the 'kiln:shard' job kind): the model and
 * the shard's rows come from the data store by digest (the model is kept loaded per digest, so a
 * worker child scores many shards with one load), the rows are scored in batches exactly as
 * `kiln predict` scores them, and the part is written under a temporary name and renamed into
 * the output directory — a part that exists is finished. A part already there (a retry after the
 * rename) is not written again.
 */
import { stat } from 'node:fs/promises';
import { DataFormatError } from '../core/errors.js';
import { decodeModel } from '../deploy/model-file.js';
import type { Table } from '../data/table.js';
import { decodeData } from '../distributed/data-codec.js';
import type { JobStamp } from '../distributed/queue-jobs.js';
import type { DataStore } from '../distributed/store.js';
import { predictionWriter, type Scoring, scoring } from './predict-core.js';

export const SHARD_JOB = 'kiln:shard';

export interface ShardJobData extends JobStamp {
  /** The model file's sha256 in the store. */
  model: string;
  label: string;
  /** The shard's rows (encoded by data-codec) in the store. */
  shard: string;
  index: number;
  keep: string[];
  proba: boolean;
  batchSize: number;
  format: 'csv' | 'parquet';
  /** The part's absolute path (in an output directory every worker can write). */
  out: string;
}

export interface ShardJobResult {
  index: number;
  rows: number;
  bytes: number;
}

const models = new Map<string, Promise<{ model: unknown; manifest: import('../deploy/manifest.js').ModelManifest }>>();

async function scoringOf(d: ShardJobData, store: DataStore): Promise<Scoring> {
  let m = models.get(d.model);
  if (!m) {
    m = store.get(d.model).then((bytes) => decodeModel(bytes, d.label));
    models.set(d.model, m);
    m.catch(() => models.delete(d.model));
    if (models.size > 2) models.delete(models.keys().next().value as string);
  }
  const { model, manifest } = await m;
  return scoring(model, manifest, d.label, { keep: d.keep, proba: d.proba });
}

export default async function scoreShard(d: ShardJobData, { store }: { store: DataStore }): Promise<ShardJobResult> {
  const done = await stat(d.out).catch(() => undefined);
  const data = decodeData(await store.get(d.shard));
  if (done) return { index: d.index, rows: data.n, bytes: done.size };
  const columns = data.X as Table['columns'];
  if (columns === null || typeof columns !== 'object') throw new DataFormatError(`shard ${d.index} (${d.shard}): not a table of rows`);
  const sc = await scoringOf(d, store);
  const writer = predictionWriter(d.out, d.format, sc.header);
  try {
    for (let at = 0; at < data.n; at += d.batchSize) {
      const stop = Math.min(at + d.batchSize, data.n);
      const batch: Table = {
        rows: stop - at,
        columns: Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, c instanceof Float64Array ? c.subarray(at, stop) : c.slice(at, stop)])),
      };
      await writer.write(await sc.score(batch), batch.rows);
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return { index: d.index, rows: data.n, bytes: (await stat(d.out)).size };
}

/** The module's file, for `kiln worker` to register (the .ts source under tsx, the .js in dist/). */
export const SHARD_JOB_MODULE = new URL(`./shard-job.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
