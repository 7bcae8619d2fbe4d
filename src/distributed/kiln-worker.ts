/**
 * startKilnWorker: a BullMQ worker running kiln's jobs (fold tasks of cross-validation and
 * searches, their flow parents) with BullMQ's sandboxed file processor: each job runs in a child
 * process, so a fit that crashes takes down only its child and the job is retried. The children
 * read the data store named by `store` and divide the machine's cores among themselves
 * (KILN_THREADS = cores / concurrency). `close()` (and SIGTERM in `kiln worker`) stops taking
 * jobs and waits for the running ones to finish.
 */
import { availableParallelism } from 'node:os';
import { ParamError } from '../core/errors.js';
import { JOB } from './queue-jobs.js';
import { peer, probeRedis, type RedisConnection, redisOptions } from './redis.js';
import { makeStartSafe } from './start-safe-pool.js';
import type { DataStore } from './store.js';

export interface KilnWorkerOptions {
  connection: RedisConnection;
  /** Queue names to serve (one BullMQ worker each). Default: ['kiln']. */
  queue?: string | string[];
  /** The directory store the producers write to (a shared mount), or a directoryStore. */
  store: string | DataStore;
  /** Jobs at once (each in its own child process). Default: 1. */
  concurrency?: number;
  /** Milliseconds to wait for Redis before E_IO. Default: 5000. */
  connectTimeoutMs?: number;
  /** Native threads per child. Default: cores / concurrency (lower it when several workers share a machine). */
  threads?: number;
  /**
   * More job kinds: job name → the file URL of a module whose default export is a JobHandler
   * (`kiln worker` registers batch-scoring shards and retraining this way).
   */
  handlers?: Record<string, string | URL>;
}

export interface KilnWorker {
  readonly queues: readonly string[];
  /** Stops taking jobs, lets the running ones finish, closes the connections. */
  close(): Promise<void>;
}

/** The processor file and how its children load it: from dist/ as is, from the sources through tsx. */
function processorFile(): { file: URL; execArgv?: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return { file: new URL('./queue-processor.js', import.meta.url) };
  return {
    file: new URL('./queue-processor.ts', import.meta.url),
    execArgv: ['--import', new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href],
  };
}

export async function startKilnWorker(opts: KilnWorkerOptions): Promise<KilnWorker> {
  const fn = 'startKilnWorker';
  if (opts === null || typeof opts !== 'object') throw new ParamError(`${fn}: options are required: startKilnWorker({ connection: 'redis://…', store: dir })`);
  const connection = redisOptions(opts.connection, fn);
  const queues = typeof opts.queue === 'string' ? [opts.queue] : (opts.queue ?? ['kiln']);
  if (!Array.isArray(queues) || queues.length === 0 || queues.some((q) => typeof q !== 'string' || q.length === 0 || q.includes(':'))) {
    throw new ParamError(`${fn}: queue must be a queue name or a list of names (no ':'), got ${String(opts.queue)}`);
  }
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ParamError(`${fn}: concurrency must be an integer >= 1, got ${String(opts.concurrency)}`);
  const store = opts.store;
  const location = typeof store === 'string' ? store : store?.location;
  if (typeof location !== 'string' || !location.startsWith(typeof store === 'string' ? '' : 'dir:')) {
    throw new ParamError(`${fn}: store must be the data directory the producers write to (or a directoryStore); workers read the data there`);
  }
  const handlers: Record<string, string> = {};
  for (const [name, url] of Object.entries(opts.handlers ?? {})) {
    const href = url instanceof URL ? url.href : url;
    if (typeof href !== 'string' || !/^file:/.test(href)) throw new ParamError(`${fn}: handlers.${name} must be a file: URL of a module, got ${String(url)}`);
    if ((Object.values(JOB) as string[]).includes(name))
      throw new ParamError(`${fn}: handlers.${name}: '${name}' is one of kiln's own jobs; name yours otherwise`);
    handlers[name] = href;
  }
  await probeRedis(connection, opts.connectTimeoutMs ?? 5000, fn);
  const bull = await peer<typeof import('bullmq')>('bullmq', fn);
  const { file, execArgv } = processorFile();
  const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  if (!Number.isInteger(threads) || threads < 1) throw new ParamError(`${fn}: threads must be an integer >= 1, got ${String(opts.threads)}`);
  const env = { ...process.env, KILN_STORE: location, KILN_THREADS: String(threads), KILN_JOB_HANDLERS: JSON.stringify(handlers) };
  const workers = queues.map(
    (q) =>
      new bull.Worker(q, file, {
        connection,
        concurrency,
        useWorkerThreads: false,
        workerForkOptions: { env, ...(execArgv ? { execArgv } : {}) },
      }),
  );
  for (const w of workers) {
    w.on('error', () => {}); // connection blips: BullMQ reconnects; job errors go to the job
    makeStartSafe(bull, w);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  let closing: Promise<void> | undefined;
  return {
    queues,
    close() {
      closing ??= Promise.all(workers.map((w) => w.close())).then(() => undefined);
      return closing;
    },
  };
}
