/**
 * Retraining as a queue job: `kiln retrain --redis …` (and `kiln serve --retrain … --redis …`)
 * send the job to the `kiln worker`s and wait for its result instead of training in this process;
 * `kiln retrain --schedule <cron> --redis …` registers a BullMQ job scheduler (a repeatable job:
 * the schedule lives in Redis and any worker runs each occurrence), `--unschedule` removes it.
 * One scheduler per model and alias, so scheduling again replaces the schedule.
 */
import { resolve } from 'node:path';
import { ParamError, WorkerError } from '../core/errors.js';
import { registryLocation } from '../deploy/registry/open.js';
import { KEEP_COMPLETED, KEEP_FAILED, stamp } from '../distributed/queue-jobs.js';
import { peer, probeRedis, redisOptions } from '../distributed/redis.js';
import type { RetrainFlags, RetrainResult } from './retrain.js';
import { RETRAIN_JOB, type RetrainJobData } from './retrain-job.js';

export interface QueueFlags {
  redis: string;
  /** Default: kiln. */
  queue?: string;
  /** Milliseconds to wait for Redis before E_IO (default 5000). */
  connectTimeout?: number;
}

const fn = 'kiln retrain --redis';

function jobData(config: string, flags: RetrainFlags): RetrainJobData {
  const { json: _json, ...rest } = flags;
  return { ...stamp(), config: resolve(config), flags: { ...rest, registry: registryLocation(flags.registry) } };
}

async function withQueue<T>(q: QueueFlags, body: (bull: typeof import('bullmq'), queue: any, connection: object) => Promise<T>): Promise<T> {
  const connection = redisOptions(q.redis, fn);
  await probeRedis(connection, q.connectTimeout ?? 5000, fn);
  const bull = await peer<typeof import('bullmq')>('bullmq', fn);
  const queue = new bull.Queue(q.queue ?? 'kiln', { connection });
  try {
    await queue.waitUntilReady();
    return await body(bull, queue, connection);
  } finally {
    await queue.close();
  }
}

/** Runs the retraining job on a worker and returns its result (what `kiln retrain` returns here). */
export async function retrainOnQueue(config: string, flags: RetrainFlags, q: QueueFlags): Promise<RetrainResult> {
  if (!flags.registry) throw new ParamError('--registry: name the registry the champion lives in');
  if (!flags.name) throw new ParamError('--name: name the registered model to retrain');
  const data = jobData(config, flags);
  return withQueue(q, async (bull, queue, connection) => {
    const events = new bull.QueueEvents(queue.name, { connection });
    try {
      await events.waitUntilReady();
      const job = await queue.add(RETRAIN_JOB, data, { attempts: 1, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED });
      try {
        return (await job.waitUntilFinished(events)) as RetrainResult;
      } catch (e) {
        throw new WorkerError(`${fn}: the retraining job ${job.id} on queue '${queue.name}' failed on its worker: ${(e as Error)?.message ?? String(e)}`, {
          cause: e,
        });
      }
    } finally {
      await events.close();
    }
  });
}

/** The scheduler id of a model's retraining: one per name and alias. */
export const schedulerId = (flags: Pick<RetrainFlags, 'name' | 'alias'>) => `kiln-retrain:${flags.name}@${flags.alias ?? 'production'}`;

/** Registers (or replaces) the repeatable retraining job; returns when it next runs. */
export async function scheduleRetrain(config: string, flags: RetrainFlags, cron: string, q: QueueFlags): Promise<{ id: string; next: number | undefined }> {
  if (typeof cron !== 'string' || cron.trim().split(/\s+/).length < 5)
    throw new ParamError(`--schedule: a cron pattern of 5 or 6 fields, e.g. "0 3 * * *" (03:00 daily), got ${JSON.stringify(cron)}`);
  const data = jobData(config, { ...flags, reason: flags.reason ?? `schedule: ${cron}` });
  const id = schedulerId(flags);
  return withQueue(q, async (_bull, queue) => {
    let job: { delay?: number; timestamp?: number } | undefined;
    try {
      job = await queue.upsertJobScheduler(id, { pattern: cron }, { name: RETRAIN_JOB, data, opts: { attempts: 1, removeOnComplete: true } });
    } catch (e) {
      throw new ParamError(`--schedule ${JSON.stringify(cron)}: BullMQ refused the pattern (${(e as Error).message})`);
    }
    return { id, next: job?.timestamp !== undefined ? job.timestamp + (job.delay ?? 0) : undefined };
  });
}

export async function unscheduleRetrain(flags: RetrainFlags, q: QueueFlags): Promise<{ id: string; removed: boolean }> {
  const id = schedulerId(flags);
  return withQueue(q, async (_bull, queue) => ({ id, removed: await queue.removeJobScheduler(id) }));
}

export interface RetrainQueueFlags extends RetrainFlags, Partial<QueueFlags> {
  schedule?: string;
  unschedule?: boolean;
}

/** `kiln retrain` with --redis: run on a worker, or (un)schedule the repeatable job. */
export async function retrainQueueCommand(config: string, flags: RetrainQueueFlags): Promise<void> {
  const redis = flags.redis ?? process.env.KILN_REDIS;
  if (!redis) throw new ParamError('--schedule / --unschedule: retraining schedules live in Redis; add --redis redis://host:port (or env KILN_REDIS)');
  const q: QueueFlags = { redis, ...(flags.queue ? { queue: flags.queue } : {}), ...(flags.connectTimeout ? { connectTimeout: flags.connectTimeout } : {}) };
  const out = (o: unknown, text: string) => process.stdout.write(flags.json ? `${JSON.stringify(o, null, 2)}\n` : `${text}\n`);
  if (flags.unschedule) {
    const r = await unscheduleRetrain(flags, q);
    out(r, r.removed ? `removed the retraining schedule ${r.id}` : `no retraining schedule ${r.id} to remove`);
    return;
  }
  if (flags.schedule !== undefined) {
    const r = await scheduleRetrain(config, flags, flags.schedule, q);
    out(
      { ...r, schedule: flags.schedule },
      `scheduled ${r.id} (${flags.schedule}) on queue ${flags.queue ?? 'kiln'}${r.next ? `; next run ${new Date(r.next).toISOString()}` : ''}`,
    );
    return;
  }
  const { printRetrainResult } = await import('./retrain.js');
  printRetrainResult(await retrainOnQueue(config, flags, q), flags.json === true);
}
