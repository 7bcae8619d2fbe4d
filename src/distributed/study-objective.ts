/**
 * Module objectives on worker_threads (see selection/study/module-objective.ts): one thread per
 * concurrent trial, started on first use; each answers its trial's calls to the study (suggest,
 * report, shouldPrune, setUserAttr) through the thread's shared answer buffer.
 */
import { Worker } from 'node:worker_threads';
import { WorkerError } from '../core/errors.js';
import type { ModuleObjectiveRunner, ObjectiveModule } from '../selection/study/module-objective.js';
import type { Trial } from '../selection/study/trial.js';
import { TrialPruned } from '../selection/study/trial-pruned.js';
import { ANSWER_BYTES, type FromStudyWorker, type ToStudyWorker } from './study-worker.js';
import { threadEntry } from '../core/thread-entry.js';

interface Thread {
  worker: Worker;
  flag: Int32Array;
  bytes: Uint8Array;
  busy: boolean;
}

/** Answers the trial's call `op` (a method of Trial) in this thread. */
function answer(trial: Trial, op: string, args: unknown[]): unknown {
  const t = trial as unknown as Record<string, (...a: unknown[]) => unknown>;
  if (op === 'params') return trial.params;
  if (!['suggestFloat', 'suggestInt', 'suggestCategorical', 'report', 'shouldPrune', 'setUserAttr'].includes(op))
    throw new Error(`a study thread asked for '${op}', which a trial does not have`);
  return t[op].apply(trial, args) ?? null;
}

export function workerModuleObjective(spec: ObjectiveModule, nJobs: number): ModuleObjectiveRunner {
  const threads: Thread[] = [];
  const start = (): Thread => {
    const { entry, eval: isEval } = threadEntry('study-worker', import.meta.url);
    const shared = new SharedArrayBuffer(8 + ANSWER_BYTES);
    const worker = new Worker(entry, { eval: isEval });
    worker.postMessage({ type: 'init', module: spec.module, export: spec.export ?? 'default', shared } satisfies ToStudyWorker);
    const t: Thread = { worker, flag: new Int32Array(shared, 0, 2), bytes: new Uint8Array(shared, 8), busy: false };
    threads.push(t);
    return t;
  };
  return {
    run(trial: Trial, signal?: AbortSignal): Promise<number> {
      const t = threads.find((x) => !x.busy) ?? (threads.length < nJobs ? start() : null);
      if (!t) return Promise.reject(new WorkerError('Study.optimize: more trials at once than nJobs threads'));
      t.busy = true;
      return new Promise<number>((resolve, reject) => {
        const end = () => {
          t.worker.off('message', onMessage);
          t.worker.off('error', onError);
          signal?.removeEventListener('abort', onAbort);
          t.busy = false;
        };
        const reply = (body: unknown) => {
          let bytes = new TextEncoder().encode(JSON.stringify(body));
          if (bytes.length > ANSWER_BYTES) bytes = new TextEncoder().encode(JSON.stringify({ error: { name: 'Error', message: 'the answer is too large' } }));
          t.bytes.set(bytes);
          t.flag[1] = bytes.length;
          Atomics.store(t.flag, 0, 1);
          Atomics.notify(t.flag, 0);
        };
        const onMessage = (m: FromStudyWorker) => {
          if (m.type === 'call') {
            try {
              reply({ value: answer(trial, m.op, m.args) });
            } catch (e) {
              reply({ error: { name: (e as Error).name, message: (e as Error).message } });
            }
            return;
          }
          end();
          if (m.type === 'done') resolve(m.value as number);
          else if (m.pruned) reject(new TrialPruned(m.message));
          else {
            const e = new Error(m.message);
            e.name = m.name;
            reject(e);
          }
        };
        const onError = (e: Error) => {
          end();
          threads.splice(threads.indexOf(t), 1);
          reject(new WorkerError(`Study.optimize: the objective's thread crashed (${e.message})`, { cause: e }));
        };
        const onAbort = () => {
          end();
          threads.splice(threads.indexOf(t), 1);
          void t.worker.terminate();
          reject(signal?.reason);
        };
        t.worker.on('message', onMessage);
        t.worker.on('error', onError);
        signal?.addEventListener('abort', onAbort, { once: true });
        t.worker.postMessage({ type: 'trial', number: trial.number } satisfies ToStudyWorker);
      });
    },
    async close(): Promise<void> {
      await Promise.all(threads.splice(0).map((t) => t.worker.terminate()));
    },
  };
}
