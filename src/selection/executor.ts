/**
 * Where cross-validation's fits run. Every runner in this room (cross-validation, curves,
 * feature-selection wrappers, later the searches) describes its work as a list of independent
 * tasks and hands it to one Executor, which returns the results in task order. A task carries
 * everything it needs (its fold's indices, its seed), never state picked up from where it runs,
 * so results are identical whatever executor runs them: the serial one here, a worker pool, or a
 * distributed one plugged in later.
 */
import { availableParallelism } from 'node:os';
import { ParamError } from '../core/errors.js';
import { fitAndScore, type FoldResult, type FoldRun, type FoldTask } from './fit-score.js';

export interface RunOptions {
  signal?: AbortSignal;
  /** Called as each task finishes (in completion order), for progress bars and early results. */
  onResult?: (index: number, result: FoldResult) => void;
}

export interface Executor {
  /** Runs `run` on every task and resolves to the results in task order; rejects with the first failure. In-process work (closures). */
  map<T, R>(tasks: readonly T[], run: (task: T, index: number) => Promise<R>, opts?: { signal?: AbortSignal }): Promise<R[]>;
  /**
   * Fits and scores every fold task of one run, results in task order. This is the unit that
   * leaves the process: an executor that runs work elsewhere (worker threads, BullMQ workers)
   * implements it by shipping the run's shareable form once and each task by itself. Optional:
   * without it, the tasks go through `map` in this process.
   */
  fitAndScore?(run: FoldRun, tasks: readonly FoldTask[], opts?: RunOptions): Promise<FoldResult[]>;
}

/** The fold tasks of one run through `executor`: its own fitAndScore when it has one, else its map in this process. */
export async function runFolds(executor: Executor, run: FoldRun, tasks: readonly FoldTask[], opts: RunOptions = {}): Promise<FoldResult[]> {
  if (executor.fitAndScore) return executor.fitAndScore(run, tasks, opts);
  return executor.map(
    tasks,
    async (t, i) => {
      const r = await fitAndScore(run.estimator, run.data, t, run.scorers, { ...run.options, signal: opts.signal });
      opts.onResult?.(i, r);
      return r;
    },
    { signal: opts.signal },
  );
}

/** Runs the tasks one after another in this thread (kiln's native kernels still use every core). */
export const serialExecutor: Executor = {
  async map<T, R>(tasks: readonly T[], run: (task: T, index: number) => Promise<R>, opts: { signal?: AbortSignal } = {}): Promise<R[]> {
    const out: R[] = [];
    for (let i = 0; i < tasks.length; i++) {
      opts.signal?.throwIfAborted();
      out.push(await run(tasks[i], i));
    }
    return out;
  },
};

/**
 * How `nJobs` becomes an executor. The selection room cannot import the worker pool (it lives in
 * src/distributed, a layer above), so the composition root (src/index.ts) registers the factory;
 * until then `nJobs` > 1 is E_PARAM saying so.
 */
export type ParallelExecutorFactory = (nJobs: number) => Executor;
let parallelFactory: ParallelExecutorFactory | undefined;

/** Registers what `nJobs` > 1 runs on (the package root registers the worker_threads pool). Returns the previous factory. */
export function registerParallelExecutor(factory: ParallelExecutorFactory | undefined): ParallelExecutorFactory | undefined {
  const previous = parallelFactory;
  parallelFactory = factory;
  return previous;
}

/** `nJobs` as a worker count: undefined and 1 are one (serial), -1 is every core, else an integer >= 1. */
export function resolveNJobs(nJobs: unknown, fn: string, cores: number): number {
  if (nJobs === undefined || nJobs === null) return 1;
  if (nJobs === -1) return Math.max(1, cores);
  if (typeof nJobs !== 'number' || !Number.isInteger(nJobs) || nJobs < 1) {
    throw new ParamError(`${fn}: nJobs must be an integer >= 1 or -1 (every core), got ${String(nJobs)}`);
  }
  return nJobs;
}

/**
 * The executor option of a runner: undefined is the serial executor; anything else must have map.
 * `nJobs` (> 1) picks the registered parallel executor instead; giving both is E_PARAM.
 */
export function executorOption(e: unknown, fn: string, nJobs?: unknown): Executor {
  if (nJobs !== undefined && nJobs !== null) {
    if (e !== undefined) throw new ParamError(`${fn}: pass either executor or nJobs, not both (an executor decides its own parallelism)`);
    const n = resolveNJobs(nJobs, fn, availableParallelism());
    if (n === 1) return serialExecutor;
    if (!parallelFactory) {
      throw new ParamError(
        `${fn}: nJobs needs the worker pool, which the package root registers; import kiln's functions from 'kiln' (or pass executor: workerPool({ nJobs }))`,
      );
    }
    return parallelFactory(n);
  }
  if (e === undefined) return serialExecutor;
  if (e === null || typeof e !== 'object' || typeof (e as Executor).map !== 'function') {
    throw new ParamError(`${fn}: executor must be an object with a map(tasks, run) method (e.g. serialExecutor), got ${String(e)}`);
  }
  return e as Executor;
}
