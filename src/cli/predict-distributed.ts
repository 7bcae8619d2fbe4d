/**
 * `kiln predict --distributed --shard-rows N --redis redis://… --out DIR`: batch scoring on
 * `kiln worker`s. The input is read here once, in shards of at most N rows (CSV: row ranges;
 * Parquet: row ranges inside row groups, never across one), each shard written to the data store
 * by its digest; one BullMQ job per shard (children of one FlowProducer parent) scores it on a
 * worker, which writes one part into DIR. DIR then holds the parts and `manifest.json`: every
 * shard's digest, rows, part file and status, and the model's digest.
 *
 * Idempotent: a part's name carries its shard's digest and the scoring key (the model's digest,
 * the kept columns, --proba, the format), and a part exists only once finished (written under a
 * temporary name, then renamed), so a re-run scores only the shards whose part is missing — the
 * failed ones, or those whose rows or model changed — and removes parts no shard names any more.
 * A shard that fails after its attempts is recorded as failed and the command exits non-zero
 * naming it. The parts, concatenated in order (CSV: one header), are `kiln predict`'s output.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParamError, WorkerError } from '../core/errors.js';
import { ioError, writeFileAtomic } from '../deploy/atomic-write.js';
import { decodeModel } from '../deploy/model-file.js';
import { checkDigest, verifyDigest } from '../deploy/registry/store.js';
import { openBatches } from '../data/batches.js';
import { resolveSource } from '../data/source.js';
import { dataDigest, encodeData } from '../distributed/data-codec.js';
import { JOB, KEEP_COMPLETED, KEEP_FAILED, type RunJobData, stamp } from '../distributed/queue-jobs.js';
import { peer, probeRedis, redisOptions } from '../distributed/redis.js';
import { directoryStore } from '../distributed/store.js';
import { kilnVersion } from '../deploy/version.js';
import { jobSignal } from './interrupt.js';
import { resolveModel } from './model-ref.js';
import { parseKeep, scoring } from './predict-core.js';
import type { PredictFlags } from './predict.js';
import { SHARD_JOB, type ShardJobData, type ShardJobResult } from './shard-job.js';

export interface DistributedPredictFlags extends PredictFlags {
  distributed: true;
  shardRows?: number;
  redis?: string;
  /** The data directory workers read (default: env KILN_STORE or ./kiln-data). */
  store?: string;
  queue?: string;
  /** Parts' format (default csv). */
  format?: string;
  /** Tries per shard before it is recorded as failed (default 3). */
  attempts?: number;
  /** Milliseconds to wait for Redis before E_IO (default 5000). */
  connectTimeout?: number;
}

export interface ShardRecord {
  index: number;
  /** sha256 of the shard's rows as the store holds them. */
  digest: string;
  /** Its first row in the input (0-based data rows). */
  offset: number;
  rows: number;
  part: string;
  /** scored: by this run; reused: its part was already there; failed: after its attempts. */
  status: 'scored' | 'reused' | 'failed';
  error?: string;
}

export interface ScoringManifest {
  kiln: string;
  model: { label: string; digest: string };
  /** The digest of what decides a part's bytes besides its rows: model, kept columns, --proba, format. */
  scoringKey: string;
  input: string;
  format: 'csv' | 'parquet';
  shardRows: number;
  rows: number;
  complete: boolean;
  shards: ShardRecord[];
}

export interface DistributedSummary {
  output: string;
  manifest: string;
  shards: number;
  scored: number;
  reused: number;
  failed: number;
  rows: number;
  seconds: number;
}

export const MANIFEST = 'manifest.json';
const PART = /^part-\d{5,}-[0-9a-f]{16}-[0-9a-f]{16}\.(csv|parquet)$/;

type Parts = { flow: any; events: any; q: any; bull: typeof import('bullmq') };

export async function scoreDistributed(flags: DistributedPredictFlags): Promise<{ summary: DistributedSummary; manifest: ScoringManifest }> {
  const fn = 'kiln predict --distributed';
  const started = performance.now();
  const shardRows = flags.shardRows;
  if (!Number.isInteger(shardRows) || shardRows! < 1) throw new ParamError(`${fn}: --shard-rows N is required (rows per shard, a positive integer)`);
  const redis = flags.redis ?? process.env.KILN_REDIS;
  if (!redis) throw new ParamError(`${fn}: --redis is required (or env KILN_REDIS), e.g. --redis redis://127.0.0.1:6379`);
  const format = (flags.format ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'parquet') throw new ParamError(`--format: parts are csv or parquet, got ${flags.format}`);
  const batchSize = flags.batchSize ?? 65_536;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ParamError(`--batch-size: must be a positive integer, got ${flags.batchSize}`);
  const attempts = flags.attempts ?? 3;
  const timeout = flags.connectTimeout ?? 5000;
  const queue = flags.queue ?? 'kiln';
  const connection = redisOptions(redis, fn);
  const outDir = resolve(flags.out);
  const isDir = await fsp.stat(outDir).then(
    (s) => s.isDirectory(),
    () => undefined,
  );
  if (isDir === false || (isDir === undefined && /\.(csv|tsv|parquet|json)$/i.test(outDir))) {
    throw new ParamError(
      `--out: with --distributed the output is a directory of parts and a manifest, not a file (got ${flags.out}); name a directory, e.g. --out scores/`,
    );
  }

  const ref = await resolveModel(flags.model, flags.registry);
  const modelBytes = new Uint8Array(await fsp.readFile(ref.path).catch((e) => Promise.reject(ioError(e, `reading ${ref.path}`))));
  const modelDigest = dataDigest(modelBytes);
  if (ref.sha256 !== undefined) verifyDigest(modelBytes, checkDigest(ref.sha256, ref.label), `model file ${ref.path}`);
  const { model, manifest } = await decodeModel(modelBytes, ref.label);
  const keep = parseKeep(flags.keep);
  const proba = flags.proba === true;
  const sc = scoring(model, manifest, ref.label, { keep, proba }); // refuses --proba without probabilities before any work
  const scoringKey = createHash('sha256')
    .update(JSON.stringify({ model: modelDigest, keep, proba, format }))
    .digest('hex');

  await probeRedis(connection, timeout, fn); // an unreachable Redis is E_IO within the timeout, before reading the input
  const store = directoryStore(flags.store ?? process.env.KILN_STORE ?? './kiln-data');
  await fsp.mkdir(outDir, { recursive: true }).catch((e) => Promise.reject(ioError(e, `creating ${outDir}`)));
  await store.put(modelBytes);

  // read the input once, shard by shard: a shard whose part exists is not stored again
  const src = resolveSource(flags.in, process.cwd(), '--in');
  const reader = await openBatches(src, { columns: sc.columns, batchSize: shardRows!, limit: flags.limit, missing: sc.spec.missing });
  const signal = jobSignal();
  const shards: ShardRecord[] = [];
  const pending: ShardJobData[] = [];
  const s = stamp();
  for await (const batch of reader.batches()) {
    signal.throwIfAborted();
    const bytes = encodeData({ X: batch.columns, y: undefined, fitParams: {}, n: batch.rows });
    const digest = dataDigest(bytes);
    const index = shards.length;
    const part = `part-${String(index).padStart(5, '0')}-${digest.slice(0, 16)}-${scoringKey.slice(0, 16)}.${format}`;
    const there = await fsp.stat(join(outDir, part)).then(
      (st) => st.isFile(),
      () => false,
    );
    shards.push({ index, digest, offset: batch.offset, rows: batch.rows, part, status: there ? 'reused' : 'scored' });
    if (there) continue;
    await store.put(bytes);
    pending.push({ ...s, model: modelDigest, label: ref.label, shard: digest, index, keep, proba, batchSize, format, out: join(outDir, part) });
  }

  if (pending.length) await runShards(pending, shards, { connection, queue, attempts, signal, fn });

  // parts no shard names any more (changed rows, another model) go: the directory holds one output
  const named = new Set(shards.map((r) => r.part));
  for (const f of await fsp.readdir(outDir)) if (PART.test(f) && !named.has(f)) await fsp.rm(join(outDir, f), { force: true });
  const failed = shards.filter((r) => r.status === 'failed');
  const doc: ScoringManifest = {
    kiln: kilnVersion(),
    model: { label: ref.label, digest: modelDigest },
    scoringKey,
    input: src.spec,
    format,
    shardRows: shardRows!,
    rows: shards.reduce((a, r) => a + r.rows, 0),
    complete: failed.length === 0,
    shards,
  };
  const manifestPath = join(outDir, MANIFEST);
  await writeFileAtomic(manifestPath, new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`), `writing ${manifestPath}`);
  const summary: DistributedSummary = {
    output: outDir,
    manifest: manifestPath,
    shards: shards.length,
    scored: shards.filter((r) => r.status === 'scored').length,
    reused: shards.filter((r) => r.status === 'reused').length,
    failed: failed.length,
    rows: doc.rows,
    seconds: (performance.now() - started) / 1000,
  };
  if (failed.length) {
    const first = failed[0];
    throw new WorkerError(
      `${fn}: ${failed.length} shard(s) failed after ${attempts} attempt(s): shard ${failed.map((r) => r.index).join(', ')} ` +
        `(shard ${first.index}: rows ${first.offset}–${first.offset + first.rows - 1}, ${first.error}); ${manifestPath} records them; ` +
        're-run the same command to score only the missing shards',
    );
  }
  return { summary, manifest: doc };
}

/** One job per pending shard under one flow parent; each shard's record says how it ended. */
async function runShards(
  pending: ShardJobData[],
  shards: ShardRecord[],
  o: { connection: ReturnType<typeof redisOptions>; queue: string; attempts: number; signal: AbortSignal; fn: string },
): Promise<void> {
  const bull = await peer<typeof import('bullmq')>('bullmq', o.fn);
  const p: Parts = {
    bull,
    flow: new bull.FlowProducer({ connection: o.connection }),
    events: new bull.QueueEvents(o.queue, { connection: o.connection }),
    q: new bull.Queue(o.queue, { connection: o.connection }),
  };
  try {
    await Promise.all([p.events.waitUntilReady(), p.q.waitUntilReady()]);
    p.events.setMaxListeners(0);
    p.q.setMaxListeners(0);
    p.flow.setMaxListeners(0);
    const runId = randomUUID();
    const node = await p.flow.add({
      name: JOB.run,
      queueName: o.queue,
      data: { ...stamp(), runId, tasks: pending.length } satisfies RunJobData,
      opts: { removeOnComplete: KEEP_COMPLETED },
      children: pending.map((data) => ({
        name: SHARD_JOB,
        queueName: o.queue,
        data,
        opts: {
          attempts: o.attempts,
          backoff: { type: 'fixed', delay: 100 },
          ignoreDependencyOnFailure: true,
          removeOnComplete: KEEP_COMPLETED,
          removeOnFail: KEEP_FAILED,
        },
      })),
    });
    const jobs: any[] = (node.children ?? []).map((c: { job: any }) => c.job);
    for (const j of jobs) j.queue?.setMaxListeners?.(0);
    const aborted = new Promise<never>((_, reject) => {
      if (o.signal.aborted) reject(o.signal.reason);
      else o.signal.addEventListener('abort', () => reject(o.signal.reason), { once: true });
    });
    aborted.catch(() => {});
    try {
      await Promise.race([
        aborted,
        Promise.all(
          jobs.map(async (job) => {
            const rec = shards[(job.data as ShardJobData).index];
            try {
              (await job.waitUntilFinished(p.events)) as ShardJobResult;
            } catch (e) {
              rec.status = 'failed';
              rec.error = (e as Error)?.message ?? String(e);
            }
          }),
        ),
      ]);
    } catch (e) {
      // an interrupted run takes its waiting shards off the queue; finished parts stay for the re-run
      await Promise.all(
        jobs.map(async (j) => {
          const state = await j.getState().catch(() => 'unknown');
          if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await j.remove().catch(() => {});
        }),
      );
      throw e;
    }
  } finally {
    await Promise.all([p.flow.close(), p.events.close(), p.q.close()]);
  }
}

export async function distributedPredictCommand(flags: DistributedPredictFlags): Promise<void> {
  const { summary: s } = await scoreDistributed(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  process.stderr.write(
    `scored ${s.rows} rows in ${s.shards} shards (${s.scored} on workers, ${s.reused} already done) in ${s.seconds.toFixed(2)} s → ${s.output} (${MANIFEST})\n`,
  );
}
