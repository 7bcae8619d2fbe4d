/**
 * What a kiln job on the queue carries, shared by the producer (bullmqExecutor) and the workers
 * (startKilnWorker's processor). Every job names the kiln version and model-format version it was
 * written by; a worker that cannot read that format refuses it for good (no retries).
 */
import { MODEL_FORMAT_VERSION } from '../deploy/manifest.js';
import { kilnVersion } from '../deploy/version.js';
import type { RunWire, TaskWire } from './wire.js';

/** Job names on a kiln queue. */
export const JOB = { fold: 'kiln:fold', run: 'kiln:run', noop: 'kiln:noop' } as const;

/**
 * A job kind that a layer above registers with the worker (batch-scoring shards, retraining: their
 * code lives in cli/, which distributed/ may not import). The module's default export runs the job
 * in the sandboxed child; `store` is the worker's data store.
 */
/**
 * How long finished jobs stay in Redis. A producer waits with job.waitUntilFinished, which first
 * asks Redis whether the job already ended: a job removed the moment it completed reads as
 * "Missing key" there, a false failure whenever a fast job beats the waiter (seen under load).
 * Kept an hour, a late waiter reads the result; BullMQ trims them by age as later jobs finish.
 */
export const KEEP_COMPLETED = { age: 3600 } as const;
/** Failed jobs stay a day, for `bullmq` tools and people to read why. */
export const KEEP_FAILED = { age: 24 * 3600 } as const;

export type JobHandler = (data: any, ctx: { store: import('./store.js').DataStore }) => Promise<unknown>;

export interface JobStamp {
  /** kiln's version that wrote the job (for messages). */
  kiln: string;
  /** The model-format version of the estimator's plain form; workers refuse a format they cannot read. */
  formatVersion: number;
}

/** One fold task: the data by digest, the run's shareable form, the task (its indices by digest). */
export interface FoldJobData extends JobStamp {
  digest: string;
  runId: string;
  index: number;
  run: RunWire;
  task: TaskWire;
}

/** The parent of a run's fold jobs (a BullMQ flow): it completes once every child has finished. */
export interface RunJobData extends JobStamp {
  runId: string;
  tasks: number;
}

export function stamp(): JobStamp {
  return { kiln: kilnVersion(), formatVersion: MODEL_FORMAT_VERSION };
}

/** BullMQ fails a job without retrying when its error is named UnrecoverableError. */
export function unrecoverable(message: string): Error {
  const e = new Error(message);
  Object.defineProperty(e, 'name', { value: 'UnrecoverableError', enumerable: true, writable: true });
  return e;
}

/** The refusal of a job from a kiln whose model format this worker cannot read; undefined when it can. */
export function versionRefusal(data: Partial<JobStamp> | undefined): string | undefined {
  const v = data?.formatVersion;
  if (v === MODEL_FORMAT_VERSION) return undefined;
  return `kiln worker ${kilnVersion()} reads model format ${MODEL_FORMAT_VERSION}, but this job was written in format ${String(v)} by kiln ${String(data?.kiln)}; run workers of the producer's kiln version`;
}
