/**
 * workerPool: an Executor on node worker_threads. A run's shareable form — the estimator's plain
 * form, its scorers by name, its data encoded once into a SharedArrayBuffer that every thread
 * reads in place — goes to each thread once; then tasks go one by one to whichever thread is
 * free, and results come back in task order. A task carries its own indices and parameters, so
 * results are identical to serialExecutor's whatever nJobs is.
 *
 * While the pool works, kiln's native thread count is divided among its threads (the native pool
 * is per process): nJobs × threads ≤ cores. Idle threads are unref'd, so an idle pool never keeps
 * the process alive; close() ends them.
 */
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { getThreads, setThreads } from '../backend/index.js';
import { ParamError, WorkerError } from '../core/errors.js';
import { threadEntry } from '../core/thread-entry.js';
import { type Executor, type RunOptions, resolveNJobs, serialExecutor } from '../selection/executor.js';
import type { FoldResult, FoldRun, FoldTask } from '../selection/fit-score.js';
import { encodeData } from './data-codec.js';
import type { FromWorker, ToWorker } from './pool-worker.js';
import { decodeError, decodeResult, encodeRun, encodeTask, type RunWire } from './wire.js';

export interface WorkerPoolOptions {
  /** Worker threads (-1: one per core). Default: the number of cores. */
  nJobs?: number;
  /** V8 heap limits of each thread (node's ResourceLimits); a thread that runs out crashes with WorkerError. */
  resourceLimits?: ResourceLimits;
}

export interface WorkerPool extends Executor {
  readonly nJobs: number;
  /** Ends every thread; a run still in progress rejects with WorkerError. */
  close(): Promise<void>;
}

interface RunState {
  id: number;
  wire: RunWire;
  data: Uint8Array;
  tasks: readonly FoldTask[];
  results: (FoldResult | undefined)[];
  left: number;
  onResult?: RunOptions['onResult'];
  resolve: (r: FoldResult[]) => void;
  reject: (e: unknown) => void;
  done: boolean;
}

interface Slot {
  worker: Worker;
  sent: Set<number>;
  current?: { run: RunState; index: number };
  ended: boolean;
}

let nextRunId = 1;

class Pool implements WorkerPool {
  readonly nJobs: number;
  private readonly limits?: ResourceLimits;
  private slots: Slot[] = [];
  private queue: { run: RunState; index: number }[] = [];
  private savedThreads: number | undefined;
  private readonly active = new Set<RunState>();
  private closed = false;

  constructor(nJobs: number, limits?: ResourceLimits) {
    this.nJobs = nJobs;
    this.limits = limits;
  }

  map<T, R>(tasks: readonly T[], run: (task: T, index: number) => Promise<R>, opts?: { signal?: AbortSignal }): Promise<R[]> {
    // closures cannot leave this thread: map runs here; fold work goes through fitAndScore
    return serialExecutor.map(tasks, run, opts);
  }

  async fitAndScore(run: FoldRun, tasks: readonly FoldTask[], opts: RunOptions = {}): Promise<FoldResult[]> {
    if (this.closed) throw new ParamError('workerPool: this pool is closed; create a new one');
    const { signal, onResult } = opts;
    signal?.throwIfAborted();
    if (tasks.length === 0) return [];
    const wire = await encodeRun(run, 'workerPool');
    const bytes = encodeData(run.data);
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    return new Promise<FoldResult[]>((resolve, reject) => {
      const state: RunState = {
        id: nextRunId++,
        wire,
        data: shared,
        tasks,
        results: new Array(tasks.length),
        left: tasks.length,
        onResult,
        resolve,
        reject,
        done: false,
      };
      const onAbort = () => this.fail(state, signal?.reason, true);
      if (signal?.aborted) {
        reject(signal.reason); // aborted while the run was being encoded
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      state.resolve = (r) => {
        settle();
        resolve(r);
      };
      state.reject = (e) => {
        settle();
        reject(e);
      };
      this.active.add(state);
      this.divideThreads();
      for (let i = 0; i < tasks.length; i++) this.queue.push({ run: state, index: i });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) {
      s.ended = true;
      if (s.current) this.fail(s.current.run, new WorkerError('workerPool: the pool was closed while a run was in progress'), false);
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.restoreThreads();
  }

  /** Hands queued tasks to free threads, starting threads up to nJobs. */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current && !s.ended);
      if (!slot && this.slots.length < this.nJobs) slot = this.spawn();
      if (!slot) break;
      const item = this.queue.shift()!;
      if (item.run.done) continue;
      slot.current = item;
      slot.worker.ref();
      if (!slot.sent.has(item.run.id)) {
        slot.sent.add(item.run.id);
        slot.worker.postMessage({ type: 'run', runId: item.run.id, run: item.run.wire, data: item.run.data } satisfies ToWorker);
      }
      void encodeTask(item.run.tasks[item.index]).then(
        (task) => {
          if (!slot.ended) slot.worker.postMessage({ type: 'task', runId: item.run.id, index: item.index, task } satisfies ToWorker);
        },
        (e) => this.fail(item.run, e, false),
      );
    }
    if (this.slots.every((s) => !s.current)) this.idle();
  }

  private spawn(): Slot {
    const { entry, eval: isEval } = threadEntry('pool-worker', import.meta.url);
    const worker = new Worker(entry, { eval: isEval, resourceLimits: this.limits });
    const slot: Slot = { worker, sent: new Set(), ended: false };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.crashed(slot, e));
    worker.on('exit', (code) => this.crashed(slot, new Error(`the thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const cur = slot.current;
    if (!cur || cur.run.id !== m.runId || cur.index !== m.index) return;
    slot.current = undefined;
    const run = cur.run;
    if (m.type === 'error') this.fail(run, decodeError(m.error), false);
    else if (!run.done) {
      void decodeResult(m.result).then(
        (r) => {
          if (run.done) return;
          run.results[m.index] = r;
          run.onResult?.(m.index, r);
          if (--run.left === 0) this.finish(run);
        },
        (e) => this.fail(run, e, false),
      );
    }
    this.pump();
  }

  private crashed(slot: Slot, cause: unknown): void {
    if (slot.ended) return;
    slot.ended = true;
    this.slots = this.slots.filter((s) => s !== slot);
    const cur = slot.current;
    slot.current = undefined;
    if (cur) {
      const msg = (cause as Error)?.message ?? String(cause);
      this.fail(
        cur.run,
        new WorkerError(`workerPool: a worker thread crashed while running task ${cur.index} (${msg}); the run is abandoned`, { cause }),
        false,
      );
    }
    void slot.worker.terminate();
    this.pump();
  }

  private finish(run: RunState): void {
    run.done = true;
    this.drop(run);
    run.resolve(run.results as FoldResult[]);
  }

  /** Rejects a run once; `terminate` also ends the threads still working on it (abort). */
  private fail(run: RunState, error: unknown, terminate: boolean): void {
    if (run.done) return;
    run.done = true;
    this.queue = this.queue.filter((q) => q.run !== run);
    for (const s of [...this.slots]) {
      if (s.current?.run !== run) continue;
      s.current = undefined;
      if (terminate) {
        s.ended = true;
        this.slots = this.slots.filter((x) => x !== s);
        void s.worker.terminate();
      }
    }
    this.drop(run);
    run.reject(error);
    this.pump();
  }

  private drop(run: RunState): void {
    this.active.delete(run);
    if (this.active.size === 0) this.restoreThreads();
    for (const s of this.slots) {
      if (s.sent.delete(run.id) && !s.ended) s.worker.postMessage({ type: 'drop', runId: run.id } satisfies ToWorker);
    }
  }

  private divideThreads(): void {
    if (this.savedThreads !== undefined) return;
    try {
      this.savedThreads = getThreads();
      setThreads(Math.max(1, Math.floor(availableParallelism() / this.nJobs)));
    } catch {
      this.savedThreads = undefined; // no native addon: nothing to divide
    }
  }

  private restoreThreads(): void {
    if (this.savedThreads === undefined) return;
    try {
      setThreads(this.savedThreads);
    } catch {
      // the addon went away: nothing to restore
    }
    this.savedThreads = undefined;
  }

  private idle(): void {
    for (const s of this.slots) s.worker.unref();
  }
}

/**
 * An executor running fold tasks on `nJobs` worker threads (scikit-learn's n_jobs). Runners use
 * it through `executor: workerPool({ nJobs })` or their `nJobs` option; a custom scorer function
 * cannot cross to a thread and is E_PARAM.
 */
export function workerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  if (opts === null || typeof opts !== 'object') throw new ParamError('workerPool: options must be an object, e.g. workerPool({ nJobs: 2 })');
  const n = resolveNJobs(opts.nJobs ?? -1, 'workerPool', availableParallelism());
  return new Pool(n, opts.resourceLimits);
}

const shared = new Map<number, WorkerPool>();

/** The pool behind a runner's `nJobs` option: one per size, kept (idle threads do not hold the process). */
export function sharedWorkerPool(nJobs: number): WorkerPool {
  let p = shared.get(nJobs);
  if (!p) {
    p = workerPool({ nJobs });
    shared.set(nJobs, p);
  }
  return p;
}
