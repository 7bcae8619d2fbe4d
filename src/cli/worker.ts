/**
 * `kiln worker --redis redis://… [--concurrency N] [--queues a,b] [--store DIR]`: a queue worker
 * running kiln's jobs (cross-validation folds, search candidates, batch-scoring shards,
 * retraining) in sandboxed child processes until SIGTERM / SIGINT, which stop it taking jobs and
 * let the running ones finish.
 */
import { ParamError } from '../core/errors.js';
import { startKilnWorker } from '../distributed/kiln-worker.js';
import { RETRAIN_JOB, RETRAIN_JOB_MODULE } from './retrain-job.js';
import { SHARD_JOB, SHARD_JOB_MODULE } from './shard-job.js';

export interface WorkerFlags {
  redis?: string;
  concurrency?: number;
  queues?: string;
  store?: string;
  threads?: number;
}

export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const redis = flags.redis ?? process.env.KILN_REDIS;
  if (!redis) throw new ParamError('kiln worker: --redis is required (or env KILN_REDIS), e.g. --redis redis://127.0.0.1:6379');
  const store = flags.store ?? process.env.KILN_STORE ?? './kiln-data';
  const queues = (flags.queues ?? 'kiln')
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const worker = await startKilnWorker({
    connection: redis,
    queue: queues,
    store,
    concurrency: flags.concurrency ?? 1,
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    handlers: { [SHARD_JOB]: SHARD_JOB_MODULE, [RETRAIN_JOB]: RETRAIN_JOB_MODULE },
  });
  process.stderr.write(
    `kiln worker: serving ${queues.join(', ')} on ${redis.replace(/\/\/[^@]*@/, '//***@')} with concurrency ${flags.concurrency ?? 1}, data in ${store}\n`,
  );
  const stop = (signal: string) => {
    process.stderr.write(`kiln worker: ${signal}: finishing the running jobs, taking no new ones\n`);
    void worker.close().then(
      () => {
        process.stderr.write('kiln worker: stopped\n');
        process.exitCode = 0;
      },
      (e) => {
        process.stderr.write(`kiln worker: closing failed: ${(e as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
