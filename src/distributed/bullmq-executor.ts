/**
 * bullmqExecutor: an Executor whose fold tasks run as BullMQ jobs on `kiln worker` processes,
 * anywhere that reaches the same Redis and data store. Per run, the data is written once to the
 * content-addressed store, and so is each distinct fold's indices; each task becomes one job
 * carrying the data's digest, the estimator's plain form, its scorer names and its indices' digest
 * (so a job's size does not grow with the rows); a FlowProducer parent job collects a run's
 * children. Results come back in task order and are identical to the local executors' (tasks
 * carry their seeds and indices); onResult fires as each job completes.
 *
 * A job that fails after its `attempts` (a fit that throws every time, a worker that crashes
 * mid-fit every time): with errorScore 'raise' (the default) the run rejects with WorkerError
 * naming the task and the last cause; with a numeric errorScore the fold records that score, as a
 * local failed fit does, and the run completes without it (`onFailed` hears of it).
 */
import { randomUUID } from 'node:crypto';
import { ParamError, WorkerError } from '../core/errors.js';
import { type Executor, type RunOptions, serialExecutor } from '../selection/executor.js';
import type { FoldResult, FoldRun, FoldTask } from '../selection/fit-score.js';
import { encodeData } from './data-codec.js';
import { encodeIndices } from './fold-codec.js';
import { type FoldJobData, JOB, KEEP_COMPLETED, KEEP_FAILED, type RunJobData, stamp } from './queue-jobs.js';
import { peer, probeRedis, type RedisConnection, redisOptions } from './redis.js';
import type { DataStore } from './store.js';
import { decodeResult, encodeRun, encodeTask, type ResultWire } from './wire.js';

export interface BullmqExecutorOptions {
  /** Redis: 'redis://host:6379' or { host, port, password }. */
  connection: RedisConnection;
  /** The queue name workers listen on. Default: 'kiln'. */
  queue?: string;
  /** Where the data goes once per run (workers read it by digest): directoryStore(dir) on a shared mount. */
  store: DataStore;
  /** Tries per job before it is marked failed. Default: 3. */
  attempts?: number;
  /** Milliseconds to wait for Redis before E_IO. Default: 5000. */
  connectTimeoutMs?: number;
  /** Called when a job failed for good and the run went on without it (numeric errorScore). */
  onFailed?: (index: number, reason: string) => void;
}

export interface BullmqExecutor extends Executor {
  /** Closes the executor's Redis connections. */
  close(): Promise<void>;
}

type Bull = typeof import('bullmq');
/** The BullMQ objects of one executor (typed loosely: BullMQ's generics over backends add nothing here). */
interface Parts {
  bull: Bull;
  flow: any;
  events: any;
  q: any;
}
interface JobNode {
  job: any;
  children?: JobNode[];
}

/** The executor; connects lazily (first run), checking Redis first so a bad connection is E_IO within connectTimeoutMs. */
export function bullmqExecutor(opts: BullmqExecutorOptions): BullmqExecutor {
  const fn = 'bullmqExecutor';
  if (opts === null || typeof opts !== 'object') throw new ParamError(`${fn}: options are required: bullmqExecutor({ connection: 'redis://…', store })`);
  const connection = redisOptions(opts.connection, fn);
  const queue = opts.queue ?? 'kiln';
  if (typeof queue !== 'string' || queue.length === 0 || queue.includes(':'))
    throw new ParamError(`${fn}: queue must be a non-empty name without ':', got ${String(queue)}`);
  const store = opts.store;
  if (!store || typeof store.put !== 'function' || typeof store.get !== 'function') {
    throw new ParamError(`${fn}: store must be a data store the workers can read, e.g. directoryStore('/mnt/kiln-data')`);
  }
  const attempts = opts.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new ParamError(`${fn}: attempts must be an integer >= 1, got ${String(opts.attempts)}`);
  const timeout = opts.connectTimeoutMs ?? 5000;
  if (!(Number.isFinite(timeout) && timeout > 0))
    throw new ParamError(`${fn}: connectTimeoutMs must be a positive number, got ${String(opts.connectTimeoutMs)}`);

  let parts: Promise<Parts> | undefined;
  const open = (): Promise<Parts> => {
    const p: Promise<Parts> = (parts ??= (async (): Promise<Parts> => {
      await probeRedis(connection, timeout, fn);
      const bull = await peer<Bull>('bullmq', fn);
      const flow = new bull.FlowProducer({ connection });
      const events = new bull.QueueEvents(queue, { connection });
      const q = new bull.Queue(queue, { connection });
      await Promise.all([events.waitUntilReady(), q.waitUntilReady()]);
      events.setMaxListeners(0); // one waiter per job of a run
      q.setMaxListeners(0);
      flow.setMaxListeners(0); // one closing listener per flow added
      return { bull, flow, events, q };
    })());
    p.catch(() => {
      if (parts === p) parts = undefined; // a failed connection is retried on the next run
    });
    return p;
  };

  return {
    map: serialExecutor.map,
    async fitAndScore(run: FoldRun, tasks: readonly FoldTask[], ro: RunOptions = {}): Promise<FoldResult[]> {
      const { signal, onResult } = ro;
      signal?.throwIfAborted();
      if (tasks.length === 0) return [];
      const wire = await encodeRun(run, fn);
      const { bull, flow, events, q } = await open();
      const digest = await store.put(encodeData(run.data));
      const runId = randomUUID();
      const s = stamp();
      // a search's candidates share their folds (the same arrays): each fold is stored and hashed once
      const folds = new Map<Int32Array, Map<Int32Array, Promise<string>>>();
      const putIndices = (train: Int32Array, test: Int32Array): Promise<string> => {
        let byTest = folds.get(train);
        if (!byTest) folds.set(train, (byTest = new Map()));
        let d = byTest.get(test);
        if (!d) byTest.set(test, (d = store.put(encodeIndices(train, test))));
        return d;
      };
      const children = await Promise.all(
        tasks.map(async (t, index) => ({
          name: JOB.fold,
          queueName: queue,
          data: { ...s, digest, runId, index, run: wire, task: await encodeTask(t, putIndices) } satisfies FoldJobData,
          opts: {
            attempts,
            backoff: { type: 'fixed', delay: 50 },
            ignoreDependencyOnFailure: true,
            removeOnComplete: KEEP_COMPLETED,
            removeOnFail: KEEP_FAILED,
          },
        })),
      );
      const node: JobNode = await flow.add({
        name: JOB.run,
        queueName: queue,
        data: { ...s, runId, tasks: tasks.length } satisfies RunJobData,
        opts: { removeOnComplete: KEEP_COMPLETED },
        children,
      });
      const jobs = node.children ?? [];
      const byIndex = new Map<number, any>(jobs.map((c: JobNode) => [(c.job.data as FoldJobData).index, c.job]));
      for (const c of jobs) c.job.queue?.setMaxListeners?.(0); // each waiter listens for the queue closing
      const results: FoldResult[] = new Array(tasks.length);
      const errorScore = run.options.errorScore;
      let stop: ((e: unknown) => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        stop = reject;
        if (signal?.aborted) reject(signal.reason);
        else signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      aborted.catch(() => {});
      try {
        await Promise.race([
          aborted,
          Promise.all(
            tasks.map(async (_, index) => {
              const job = byIndex.get(index);
              if (!job) throw new WorkerError(`${fn}: the queue did not accept task ${index} of run ${runId}`);
              let r: FoldResult;
              try {
                r = await decodeResult((await job.waitUntilFinished(events)) as ResultWire);
              } catch (e) {
                if (signal?.aborted) throw signal.reason;
                const reason = (e as Error)?.message ?? String(e);
                if (typeof errorScore !== 'number') {
                  const made = (await bull.Job.fromId(q, job.id).catch(() => undefined))?.attemptsMade ?? attempts;
                  throw new WorkerError(`${fn}: task ${index} (job ${job.id} on queue '${queue}') failed after ${made} attempt(s): ${reason}`, {
                    cause: e,
                  });
                }
                const failed = Object.fromEntries([...run.scorers.keys()].map((k) => [k, errorScore]));
                r = { test: failed, train: run.options.returnTrainScore ? { ...failed } : undefined, fitTime: 0, scoreTime: 0 };
                opts.onFailed?.(index, reason);
              }
              results[index] = r;
              onResult?.(index, r);
            }),
          ),
        ]);
        // the parent has collected every child once they all finished; wait for it so the flow is complete
        const parent = await bull.Job.fromId(q, node.job.id!).catch(() => undefined);
        if (parent) await Promise.race([aborted, parent.waitUntilFinished(events).catch(() => undefined)]);
      } catch (e) {
        stop?.(e);
        // jobs still waiting leave the queue; running ones finish unread; failed ones stay for inspection
        await Promise.all(
          jobs.map(async (c: JobNode) => {
            const state = await c.job.getState().catch(() => 'unknown');
            if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await c.job.remove().catch(() => {});
          }),
        );
        throw e;
      }
      return results;
    },
    async close() {
      const p = parts;
      parts = undefined;
      if (!p) return;
      const o = await p.catch(() => undefined);
      if (o) await Promise.all([o.flow.close(), o.events.close(), o.q.close()]);
    },
  };
}
