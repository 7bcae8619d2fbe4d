/**
 * The body of a prediction log's worker thread (PredictionLogWorker, prediction-log-worker.ts): it
 * owns the store (SQLite or Parquet, opened here), writes each batch the server posts as it
 * arrives, answers queries, and runs the scheduled drift computation over the log, so neither
 * the writes nor the drift statistics share the event loop with requests. Messages are handled
 * one at a time in arrival order: a query or a drift run sees every batch posted before it, and
 * `close` writes nothing after the last batch.
 */
import { parentPort } from 'node:worker_threads';
import { encodeError, type ErrorWire } from '../core/error-wire.js';
import { type DriftOutcome, type DriftSpec, driftSnapshots } from './drift-snapshot.js';
import { type OpenPredictionLogOptions, openPredictionLog } from './open-prediction-log.js';
import type { LoggedPrediction, Pending, PredictionLogStats, PredictionQuery, PredictionStore, QueuedPredictionLog } from './prediction-store.js';

/** Failure drills for tests: a slow disk, a thread that dies, a thread that never closes. */
export interface LogWorkerHooks {
  /** Each batch write first sleeps this long (synchronously, as a slow disk would block). */
  writeDelayMs?: number;
  /** The thread exits (code 1) when this batch (1-based) arrives, before writing it. */
  exitOnBatch?: number;
  /** The thread ignores `close`. */
  hangOnClose?: boolean;
}

/** A spec whose reference the thread already holds names it by `referenceKey` instead of carrying it. */
export type DriftSpecWire = Omit<DriftSpec, 'reference'> & { referenceKey: string; reference?: Record<string, unknown> };

export type ToLogWorker =
  | { type: 'open'; path: string; opts: OpenPredictionLogOptions; hooks?: LogWorkerHooks }
  | { type: 'batch'; seq: number; rows: string }
  | { type: 'query'; id: number; q: PredictionQuery }
  | { type: 'drift'; id: number; specs: DriftSpecWire[]; window: { since: number; minRows: number } }
  | { type: 'close' };

/** The store's counters and disk use, sent with every answer so the server's /metrics reads them without asking. */
export interface LogState {
  stats: PredictionLogStats;
  bytes: number;
}

export type FromLogWorker =
  | ({ type: 'opened'; path: string } & LogState)
  | { type: 'open-failed'; error: ErrorWire }
  | ({ type: 'written'; seq: number } & LogState)
  | ({ type: 'reply'; id: number; value: LoggedPrediction[] | DriftOutcome[] } & LogState)
  | { type: 'failed'; id: number; error: ErrorWire }
  | { type: 'write-error'; error: ErrorWire }
  | ({ type: 'closed' } & LogState);

const port = parentPort;
let store: (PredictionStore & Pick<QueuedPredictionLog, 'writeNow'>) | undefined;
let hooks: LogWorkerHooks = {};
let batches = 0;
const references = new Map<string, Record<string, unknown>>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

const state = (): LogState => ({ stats: store!.stats(), bytes: store!.bytes() });

async function handle(m: ToLogWorker): Promise<void> {
  if (!port) return;
  if (m.type === 'open') {
    hooks = m.hooks ?? {};
    try {
      store = (await openPredictionLog(m.path, m.opts)) as PredictionStore & Pick<QueuedPredictionLog, 'writeNow'>;
      store.onError = (e) => port.postMessage({ type: 'write-error', error: encodeError(e) } satisfies FromLogWorker);
      port.postMessage({ type: 'opened', path: store.path, ...state() } satisfies FromLogWorker);
    } catch (e) {
      port.postMessage({ type: 'open-failed', error: encodeError(e) } satisfies FromLogWorker);
    }
    return;
  }
  if (!store) return; // the open failed and was reported; the server gives this thread up
  if (m.type === 'batch') {
    batches++;
    if (hooks.exitOnBatch === batches) process.exit(1);
    if (hooks.writeDelayMs) Atomics.wait(sleeper, 0, 0, hooks.writeDelayMs);
    let rows: Pending[];
    try {
      rows = JSON.parse(m.rows) as Pending[];
    } catch (e) {
      store.onError(e as Error);
      port.postMessage({ type: 'written', seq: m.seq, ...state() } satisfies FromLogWorker);
      return;
    }
    store.writeNow(rows);
    port.postMessage({ type: 'written', seq: m.seq, ...state() } satisfies FromLogWorker);
  } else if (m.type === 'query' || m.type === 'drift') {
    try {
      const value = m.type === 'query' ? await store.query(m.q) : await driftSnapshots(store, withReferences(m.specs), m.window);
      port.postMessage({ type: 'reply', id: m.id, value, ...state() } satisfies FromLogWorker);
    } catch (e) {
      port.postMessage({ type: 'failed', id: m.id, error: encodeError(e) } satisfies FromLogWorker);
    }
  } else if (m.type === 'close') {
    if (hooks.hangOnClose) return;
    try {
      await store.close();
    } catch (e) {
      // counted by the store when it was a write; the server is told either way, and the thread still ends
      port.postMessage({ type: 'write-error', error: encodeError(e) } satisfies FromLogWorker);
    }
    port.postMessage({ type: 'closed', stats: store.stats(), bytes: 0 } satisfies FromLogWorker);
    port.close();
  }
}

/** The specs with their references; references of variants no longer checked are forgotten (the server does the same). */
function withReferences(specs: DriftSpecWire[]): DriftSpec[] {
  const keys = new Set(specs.map((s) => s.referenceKey));
  for (const k of references.keys()) if (!keys.has(k)) references.delete(k);
  return specs.map(withReference);
}

function withReference(s: DriftSpecWire): DriftSpec {
  const { referenceKey, reference, ...spec } = s;
  if (reference) references.set(referenceKey, reference);
  const ref = references.get(referenceKey);
  if (!ref) throw new Error(`the log's thread holds no reference profile for ${referenceKey}`);
  return { ...spec, reference: ref };
}

if (port) {
  let tail = Promise.resolve();
  port.on('message', (m: ToLogWorker) => {
    tail = tail.then(() => handle(m)).catch((e) => port.postMessage({ type: 'write-error', error: encodeError(e) } satisfies FromLogWorker));
  });
}
