/**
 * The body of one study-objective thread: it imports the objective module once, then runs one
 * trial at a time. The objective's trial is a proxy: each suggestion, report or prune question is
 * a synchronous call to the main thread (posted, then Atomics.wait on a shared flag until the
 * answer is written back), so the sampler and the storage stay in the study's thread.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

export type ToStudyWorker = { type: 'init'; module: string; export: string; shared: SharedArrayBuffer } | { type: 'trial'; number: number };
export type FromStudyWorker =
  | { type: 'call'; op: string; args: unknown[] }
  | { type: 'done'; value: unknown }
  | { type: 'fail'; name: string; message: string; pruned: boolean };

/** Bytes of an answer after the 8-byte header (flag, length). */
export const ANSWER_BYTES = 1 << 16;

const port = parentPort;
let objective: Promise<(trial: unknown) => unknown> | undefined;
let flag: Int32Array;
let bytes: Uint8Array;

function call(op: string, ...args: unknown[]): unknown {
  Atomics.store(flag, 0, 0);
  port?.postMessage({ type: 'call', op, args } satisfies FromStudyWorker);
  Atomics.wait(flag, 0, 0);
  const answer = JSON.parse(new TextDecoder().decode(bytes.slice(0, flag[1]))) as { value?: unknown; error?: { name: string; message: string } };
  if (answer.error) {
    const e = new Error(answer.error.message);
    e.name = answer.error.name;
    throw e;
  }
  return answer.value;
}

function proxyTrial(number: number) {
  return {
    number,
    get params() {
      return call('params');
    },
    suggestFloat: (...a: unknown[]) => call('suggestFloat', ...a),
    suggestInt: (...a: unknown[]) => call('suggestInt', ...a),
    suggestCategorical: (...a: unknown[]) => call('suggestCategorical', ...a),
    report: (...a: unknown[]) => void call('report', ...a),
    shouldPrune: () => call('shouldPrune'),
    setUserAttr: (...a: unknown[]) => void call('setUserAttr', ...a),
  };
}

async function runTrial(number: number): Promise<void> {
  try {
    const fn = await (objective as Promise<(trial: unknown) => unknown>);
    port?.postMessage({ type: 'done', value: await fn(proxyTrial(number)) } satisfies FromStudyWorker);
  } catch (e) {
    const err = e as Error;
    port?.postMessage({
      type: 'fail',
      name: String(err?.name ?? 'Error'),
      message: String(err?.message ?? e),
      pruned: err?.name === 'TrialPruned',
    } satisfies FromStudyWorker);
  }
}

if (port) {
  port.on('message', (m: ToStudyWorker) => {
    if (m.type === 'init') {
      flag = new Int32Array(m.shared, 0, 2);
      bytes = new Uint8Array(m.shared, 8);
      const url = m.module.startsWith('file:') ? m.module : pathToFileURL(isAbsolute(m.module) ? m.module : resolve(m.module)).href;
      objective = import(url).then((mod) => {
        const fn = mod[m.export];
        if (typeof fn !== 'function') throw new Error(`the module ${m.module} exports no function named '${m.export}'`);
        return fn;
      });
      objective.catch(() => {}); // reported with the first trial
    } else void runTrial(m.number);
  });
}
