/**
 * benchmark(): how fast a user's model fits and predicts on their data, on each backend × thread
 * count the machine has — fit time, batch throughput, single-row latency, peak memory, device
 * transfers — with the backend that really ran each step. Timing is kiln's own (explicit
 * warm-up, K repetitions, every sample kept for the JSON) rather than tinybench's time-boxed
 * loops: a fit takes seconds and must run exactly K times.
 */
import {
  getBackend,
  getThreads,
  onKernelEvent,
  resetWebgpuPeak,
  setBackend,
  setThreads,
  webgpuCounters,
  type BackendName,
  type KernelEvent,
} from '../backend/index.js';
import { BackendLimitError, BackendUnavailableError, ParamError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import type { Table } from '../data/table.js';
import { load } from '../deploy/model-file.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { latency, spread, type Latency, type Spread } from './summary.js';

/** Bumped when a field changes meaning or goes away (adding fields keeps the version). */
export const BENCHMARK_SCHEMA_VERSION = 1;

export type BenchData = Matrix | Table;

export interface BenchmarkOptions {
  /** An estimator (fitted, or to fit with `fit`) or the path of a kiln model file. */
  model: object | string;
  /** Training data: fit time is measured (the model is cloned for every repetition). */
  fit?: { X: BenchData; y: ArrayLike<unknown> };
  /** Rows to predict: batch throughput and single-row latency are measured on them. */
  data?: BenchData;
  /** Backends to run: names, or 'all' (every backend; those that cannot run here are reported with the reason). Default: 'all'. */
  backends?: readonly BackendName[] | 'all';
  /** Native thread counts to run (each backend × each count). Default: [the machine's cores]. */
  threads?: readonly number[];
  /** Timed repetitions of fit and batch predict, after one warm-up. Default: 5. */
  repeat?: number;
  /** Single-row calls timed for latency (after 100 warm-up calls). Default: 2000. */
  latencyCalls?: number;
  /** What to call the model in the report. Default: its class name or file name. */
  label?: string;
}

export interface BenchStep {
  /** The backend asked for and the native thread count set. */
  backend: BackendName;
  threads: number;
  available: boolean;
  /** Why this backend cannot run here (or why the step failed). */
  reason?: string;
  fitMs?: Spread;
  /** Batch predict over all the data: milliseconds per call and rows per second at the median. */
  predictMs?: Spread;
  predictRowsPerSec?: number;
  /** One row per call, in microseconds; `path` says whether predictSync or the Promise path ran. */
  latencyUs?: Latency & { path: 'sync' | 'async' };
  /** The process's resident-memory high-water mark after this step (process-wide, never lower than an earlier step's). */
  peakRssMb?: number;
  /** WebGPU traffic and device memory during this step (present when the device was used). */
  device?: { uploads: number; uploadBytes: number; readbacks: number; readbackBytes: number; peakBytes: number };
  /** Which backend ran each kernel family, per caller, and what fell back and why. */
  kernels?: (Omit<KernelEvent, 'asked'> & { calls: number })[];
}

export interface BenchmarkResult {
  schemaVersion: number;
  kind: 'kiln-benchmark';
  createdAt: string;
  model: string;
  rows: { fit?: number; predict?: number; features?: number };
  repeat: number;
  machine: MachineInfo;
  steps: BenchStep[];
}

interface Model {
  fit?: (X: unknown, y: unknown) => Promise<unknown>;
  predict: (X: unknown) => Promise<unknown>;
  predictSync?: (X: unknown) => unknown;
  clone?: () => Model;
  getParams?: () => Record<string, unknown>;
  setParams?: (p: Record<string, unknown>) => unknown;
}

const ALL: readonly BackendName[] = ['native', 'webgpu', 'js'];

function rowsOf(d: BenchData): number {
  return d instanceof Matrix ? d.rows : d.rows;
}

/** Row r of the data as a one-row input of the same kind. */
function oneRow(d: BenchData, r: number): BenchData {
  if (d instanceof Matrix) return new Matrix(d.data.subarray(r * d.cols, (r + 1) * d.cols), 1, d.cols);
  return { rows: 1, columns: Object.fromEntries(Object.entries(d.columns).map(([k, c]) => [k, c.slice(r, r + 1)])) } as Table;
}

/** Every estimator inside a model (pipeline steps, column transformers), the model first. */
function parts(m: unknown, out: Model[] = []): Model[] {
  if (m === null || typeof m !== 'object') return out;
  out.push(m as Model);
  const steps = (m as { steps?: unknown }).steps;
  if (Array.isArray(steps)) for (const s of steps) if (Array.isArray(s)) parts(s[1], out);
  const transformers = (m as { transformers?: unknown }).transformers;
  if (Array.isArray(transformers)) for (const t of transformers) if (Array.isArray(t)) parts(t[1], out);
  return out;
}

/** Points every part with a `backend` parameter at `name`; returns how to undo it. */
function pinBackend(m: Model, name: BackendName): () => void {
  const undo: (() => void)[] = [];
  for (const p of parts(m)) {
    const params = p.getParams?.();
    if (params && 'backend' in params && p.setParams) {
      const before = params.backend;
      p.setParams({ backend: name });
      undo.push(() => p.setParams!({ backend: before }));
    }
  }
  return () => {
    for (const u of undo) u();
  };
}

async function timeMs(fn: () => Promise<unknown>, repeat: number): Promise<number[]> {
  await fn(); // warm-up: JIT, thread pool, device pipelines, resident uploads
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function singleRowLatency(m: Model, d: BenchData, calls: number): Promise<Latency & { path: 'sync' | 'async' }> {
  const n = rowsOf(d);
  const rows = Array.from({ length: Math.min(n, 256) }, (_, r) => oneRow(d, r));
  const sync = typeof m.predictSync === 'function';
  let syncWorks = sync;
  if (sync) {
    try {
      m.predictSync!(rows[0]);
    } catch (e) {
      // a model whose sync path cannot run on this backend (webgpu) is timed on the Promise path
      if (!(e instanceof ParamError)) throw e;
      syncWorks = false;
    }
  }
  const call = syncWorks ? async (x: BenchData) => m.predictSync!(x) : (x: BenchData) => m.predict(x);
  for (let i = 0; i < 100; i++) await call(rows[i % rows.length]);
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const x = rows[i % rows.length];
    const t = performance.now();
    await call(x);
    us.push((performance.now() - t) * 1000);
  }
  return { ...latency(us), path: syncWorks ? 'sync' : 'async' };
}

function kernelSummary(events: KernelEvent[]): BenchStep['kernels'] {
  const seen = new Map<string, Omit<KernelEvent, 'asked'> & { calls: number }>();
  for (const { asked: _asked, ...e } of events) {
    const key = `${e.owner}|${e.family}|${e.backend}|${e.fellBack ?? ''}`;
    const s = seen.get(key);
    if (s) s.calls++;
    else seen.set(key, { ...e, calls: 1 });
  }
  return [...seen.values()];
}

async function runStep(m: Model, opts: BenchmarkOptions, backend: BackendName, threads: number, repeat: number): Promise<BenchStep> {
  const step: BenchStep = { backend, threads, available: true };
  const events: KernelEvent[] = [];
  const stop = onKernelEvent((e) => events.push(e));
  const before = webgpuCounters();
  resetWebgpuPeak();
  const unpin = pinBackend(m, backend);
  try {
    let fitted = m;
    if (opts.fit) {
      const { X, y } = opts.fit;
      if (typeof m.clone !== 'function' || typeof m.fit !== 'function') throw new ParamError('benchmark: fit needs a model with fit() and clone()');
      let last: Model = m;
      step.fitMs = spread(
        await timeMs(async () => {
          last = m.clone!();
          await last.fit!(X, y);
        }, repeat),
      );
      fitted = last;
    }
    if (opts.data) {
      const d = opts.data;
      const ms = await timeMs(() => fitted.predict(d), repeat);
      step.predictMs = spread(ms);
      step.predictRowsPerSec = Math.round(rowsOf(d) / (step.predictMs.median / 1000));
      step.latencyUs = await singleRowLatency(fitted, d, opts.latencyCalls ?? 2000);
    }
  } catch (e) {
    // the backend cannot run this model (unavailable, over a limit): reported, the other steps go on;
    // anything else (bad data, a broken model) stops the benchmark
    if (!(e instanceof BackendUnavailableError || e instanceof BackendLimitError)) throw e;
    if (e instanceof BackendUnavailableError) step.available = false;
    step.reason = `${e.code}: ${e.message}`;
  } finally {
    unpin();
    stop();
  }
  step.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const after = webgpuCounters();
  if (after.uploads > before.uploads || after.readbacks > before.readbacks) {
    step.device = {
      uploads: after.uploads - before.uploads,
      uploadBytes: after.uploadBytes - before.uploadBytes,
      readbacks: after.readbacks - before.readbacks,
      readbackBytes: after.readbackBytes - before.readbackBytes,
      peakBytes: after.peakBytes,
    };
  }
  step.kernels = kernelSummary(events);
  return step;
}

function checkOptions(opts: BenchmarkOptions): { backends: readonly BackendName[]; repeat: number } {
  if (!opts || (typeof opts.model !== 'string' && (typeof opts.model !== 'object' || opts.model === null))) {
    throw new ParamError('benchmark: model must be an estimator or the path of a kiln model file');
  }
  if (!opts.fit && !opts.data) throw new ParamError('benchmark: give data (rows to predict), fit ({ X, y } to train on), or both');
  const backends = opts.backends === undefined || opts.backends === 'all' ? ALL : opts.backends;
  if (!Array.isArray(backends) || backends.length === 0)
    throw new ParamError("benchmark: backends must be 'all' or a non-empty list of 'native', 'webgpu', 'js'");
  for (const b of backends) {
    if (!ALL.includes(b)) throw new ParamError(`benchmark: unknown backend ${JSON.stringify(b)}; use 'native', 'webgpu' or 'js'`);
  }
  const repeat = opts.repeat ?? 5;
  if (!Number.isInteger(repeat) || repeat < 1) throw new ParamError(`benchmark: repeat must be an integer >= 1, got ${repeat}`);
  for (const t of opts.threads ?? []) {
    if (!Number.isInteger(t) || t < 1) throw new ParamError(`benchmark: threads must be integers >= 1, got ${t}`);
  }
  if (opts.latencyCalls !== undefined && !(Number.isInteger(opts.latencyCalls) && opts.latencyCalls >= 1)) {
    throw new ParamError(`benchmark: latencyCalls must be an integer >= 1, got ${opts.latencyCalls}`);
  }
  return { backends, repeat };
}

/** Runs the benchmark; backends that cannot run here are steps with `available: false` and the reason. */
export async function benchmark(opts: BenchmarkOptions): Promise<BenchmarkResult> {
  const { backends, repeat } = checkOptions(opts);
  const machine = await describeMachine();
  const model = (typeof opts.model === 'string' ? await load(opts.model) : opts.model) as Model;
  if (typeof model.predict !== 'function') throw new ParamError('benchmark: the model has no predict method');
  const nativeHere = machine.backends.find((b) => b.name === 'native')?.available === true;
  const threads = opts.threads?.length ? opts.threads : [machine.cores];
  const previousBackend = getBackend();
  const previousThreads = getThreads();
  const steps: BenchStep[] = [];
  try {
    for (const backend of backends) {
      const info = machine.backends.find((b) => b.name === backend);
      // the js backend runs no native threads: one step, whatever the thread list
      const counts = backend === 'js' || !nativeHere ? [threads[0]] : threads;
      for (const t of counts) {
        if (info && !info.available) {
          steps.push({ backend, threads: t, available: false, reason: info.reason ?? `${backend} cannot run here` });
          continue;
        }
        // the pool clamps to the threads it has: the step records the count that really ran
        const ran = nativeHere ? setThreads(t) : 1;
        setBackend(backend);
        steps.push(await runStep(model, opts, backend, ran, repeat));
      }
    }
  } finally {
    setBackend(previousBackend);
    if (nativeHere) setThreads(previousThreads);
  }
  const first = opts.data ?? opts.fit?.X;
  return {
    schemaVersion: BENCHMARK_SCHEMA_VERSION,
    kind: 'kiln-benchmark',
    createdAt: new Date().toISOString(),
    model: opts.label ?? (typeof opts.model === 'string' ? opts.model : (model.constructor?.name ?? 'model')),
    rows: {
      ...(opts.fit ? { fit: rowsOf(opts.fit.X) } : {}),
      ...(opts.data ? { predict: rowsOf(opts.data) } : {}),
      ...(first ? { features: first instanceof Matrix ? first.cols : Object.keys(first.columns).length } : {}),
    },
    repeat,
    machine,
    steps,
  };
}
