/**
 * The body of one workerPool thread: it receives each run once (the estimator's plain form,
 * scorer names, and the data as bytes over a SharedArrayBuffer, read in place), then tasks one
 * by one, and answers each with its result or its error.
 */
import { parentPort } from 'node:worker_threads';
import { fitAndScore, type FoldRun } from '../selection/fit-score.js';
import { decodeData } from './data-codec.js';
import { decodeRun, decodeTask, encodeError, encodeResult, type RunWire, type TaskWire } from './wire.js';

export type ToWorker =
  | { type: 'run'; runId: number; run: RunWire; data: Uint8Array }
  | { type: 'task'; runId: number; index: number; task: TaskWire }
  | { type: 'drop'; runId: number };

export type FromWorker =
  | { type: 'result'; runId: number; index: number; result: import('./wire.js').ResultWire }
  | { type: 'error'; runId: number; index: number; error: import('./wire.js').ErrorWire };

const runs = new Map<number, Promise<FoldRun>>();
const port = parentPort;

if (port) {
  port.on('message', (m: ToWorker) => {
    if (m.type === 'run') runs.set(m.runId, decodeRun(m.run, decodeData(m.data)));
    else if (m.type === 'drop') runs.delete(m.runId);
    else void runTask(m.runId, m.index, m.task);
  });
}

async function runTask(runId: number, index: number, t: TaskWire): Promise<void> {
  try {
    const run = await runs.get(runId);
    if (!run) throw new Error(`workerPool: task ${index} arrived before its run ${runId}`);
    const r = await fitAndScore(run.estimator, run.data, await decodeTask(t), run.scorers, run.options);
    port?.postMessage({ type: 'result', runId, index, result: await encodeResult(r) } satisfies FromWorker);
  } catch (e) {
    port?.postMessage({ type: 'error', runId, index, error: encodeError(e) } satisfies FromWorker);
  }
}
