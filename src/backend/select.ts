/**
 * Which backend runs a call: a per-call `backend` option, else the process-wide
 * choice (`setBackend`, or the KILN_BACKEND environment variable), else `auto`.
 * `auto` is native (js when the addon is missing), switching to webgpu for large
 * work only when a hardware GPU adapter is present; a CPU adapter never wins. Dawn
 * is loaded only when needed: `auto` probes for an adapter only for large work on a
 * host that shows a GPU device (mayHaveHardwareGpu), so small calls, and any call on
 * a GPU-less server, never load it (loading it in a worker_thread that is then
 * terminated mid-load aborts the process).
 */
import { BackendLimitError, BackendUnavailableError, ParamError, UnknownBackendError } from '../core/errors.js';
import {
  BACKEND_NAMES,
  type Backend,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type CpuBackend,
  type KernelFamilies,
  type KernelFamily,
} from './backend.js';
import type { HistSyncKernels } from './contract/hist.js';
import { JsBackend } from './js/index.js';
import { loadNativeAddon, NativeBackend } from './native/index.js';
import { mayHaveHardwareGpu, requestAdapter, summarizeAdapter, type AdapterSummary } from './webgpu/context.js';
import { WebGpuBackend } from './webgpu/backend.js';
import { deviceKernels as bindDeviceKernels } from './webgpu/device-ops.js';
import type { DeviceKernels } from './contract/device.js';
import { deviceCounters, type DeviceCounters } from './webgpu/counters.js';

/**
 * One kernel resolution: which backend runs a call of `owner` (kiln bench reports these, so a
 * user sees which backend really ran each step and what fell back, and why).
 */
export interface KernelEvent {
  owner: string;
  /** The kernel family, or 'sync' for a synchronous call (which runs on a CPU backend). */
  family: KernelFamily | 'sync';
  /** What was asked for: a backend name or 'auto'. */
  asked: BackendChoice;
  /** The backend whose kernels run the call. */
  backend: BackendName;
  /** Why the call (or part of it) runs elsewhere than the backend the choice resolved to. */
  fellBack?: string;
}

const kernelListeners = new Set<(e: KernelEvent) => void>();

/** Calls `listener` with every kernel resolution from now on; returns the function that stops it. */
export function onKernelEvent(listener: (e: KernelEvent) => void): () => void {
  kernelListeners.add(listener);
  return () => kernelListeners.delete(listener);
}

function emit(e: KernelEvent): void {
  for (const l of kernelListeners) l(e);
}

/** Work (in multiply-adds or elements touched) from which `auto` prefers a hardware GPU. */
export const AUTO_GPU_MIN_WORK = 1 << 27;

let explicitChoice: BackendChoice | undefined;
let jsBackend: JsBackend | undefined;
let nativeBackend: NativeBackend | undefined;
let webgpuBackend: WebGpuBackend | undefined;
let adapterProbe: Promise<AdapterSummary | { error: string }> | undefined;

function parseChoice(value: unknown, source: string): BackendChoice {
  if (value === 'auto' || (typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value))) {
    return value as BackendChoice;
  }
  throw new UnknownBackendError(`${source} is ${JSON.stringify(value)}; expected one of 'auto', ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}`);
}

/** Sets the process-wide backend for calls that do not name one. */
export function setBackend(choice: BackendChoice): void {
  explicitChoice = parseChoice(choice, 'setBackend(name)');
}

/** The process-wide choice: setBackend's, else KILN_BACKEND's, else 'auto'. */
export function getBackend(): BackendChoice {
  if (explicitChoice) return explicitChoice;
  const env = process.env.KILN_BACKEND;
  return env === undefined || env === '' ? 'auto' : parseChoice(env, 'the KILN_BACKEND environment variable');
}

function js(): JsBackend {
  return (jsBackend ??= new JsBackend());
}

function native(): NativeBackend {
  if (nativeBackend) return nativeBackend;
  const r = loadNativeAddon();
  if ('error' in r) throw new BackendUnavailableError(r.error);
  return (nativeBackend = new NativeBackend(r.addon));
}

function webgpu(): WebGpuBackend {
  return (webgpuBackend ??= new WebGpuBackend());
}

function probeAdapter(): Promise<AdapterSummary | { error: string }> {
  adapterProbe ??= requestAdapter().then(
    ({ adapter }) => summarizeAdapter(adapter),
    (e: Error) => ({ error: e.message }),
  );
  return adapterProbe;
}

/**
 * Resolves the backend for one call. `work` sizes the call for `auto`;
 * `choice` is the per-call option (undefined = the process-wide choice).
 */
export async function resolveBackend(choice: BackendChoice | undefined, work: number): Promise<Backend> {
  const c = choice === undefined ? getBackend() : parseChoice(choice, 'the backend option');
  switch (c) {
    case 'js':
      return js();
    case 'native':
      return native();
    case 'webgpu': {
      const probe = await probeAdapter();
      if ('error' in probe) {
        adapterProbe = undefined; // let a later call retry (e.g. after installing a driver)
        throw new BackendUnavailableError(probe.error);
      }
      return webgpu();
    }
    case 'auto': {
      if (work >= AUTO_GPU_MIN_WORK && mayHaveHardwareGpu()) {
        const probe = await probeAdapter();
        if (!('error' in probe) && probe.hardware) return webgpu();
      }
      return 'error' in loadNativeAddon() ? js() : native();
    }
  }
}

/** The backend for a synchronous call: webgpu has no synchronous path. */
export function resolveBackendSync(choice: BackendChoice | undefined, op: string): CpuBackend {
  const c = choice === undefined ? getBackend() : parseChoice(choice, 'the backend option');
  if (c === 'webgpu') {
    throw new ParamError(`${op} runs on the CPU only; use the async ${op.replace(/Sync$/, '')} for backend 'webgpu'`);
  }
  const b = c === 'js' ? js() : c === 'native' ? native() : 'error' in loadNativeAddon() ? js() : native();
  if (kernelListeners.size) emit({ owner: op, family: 'sync', asked: c, backend: b.name });
  return b;
}

/**
 * The CPU backend for a synchronous call that a webgpu choice runs on the CPU too (sorts, shuffles,
 * group codes, f64 products, a tree model's row scores): `choice`, else the process-wide one, with
 * 'webgpu' read as 'auto'.
 */
export function resolveCpuBackendSync(choice: BackendChoice | undefined, op: string): CpuBackend {
  const c = choice ?? getBackend();
  return resolveBackendSync(c === 'webgpu' ? 'auto' : c, op);
}

/**
 * The fallback order of operations a backend does not run itself: webgpu → native → js
 * (native only when its addon loads). A family's operations resolve along it.
 */
export const FALLBACK: Readonly<Record<BackendName, readonly BackendName[]>> = { webgpu: ['native', 'js'], native: ['js'], js: [] };

/** The first CPU backend of `name`'s fallback order that can run here. */
function cpuFallback(name: BackendName): CpuBackend {
  for (const next of FALLBACK[name]) {
    if (next === 'js') return js();
    if (next === 'native' && !('error' in loadNativeAddon())) return native();
  }
  return js();
}

/** A family's kernels for one call, the backend chosen, and which backends run each operation (in the order tried). */
export interface ResolvedKernels<F extends KernelFamily> {
  kernels: KernelFamilies[F];
  backend: BackendName;
  ops: Readonly<Record<string, readonly BackendName[]>>;
}

function ranAll(kernels: object, name: BackendName): Record<string, readonly BackendName[]> {
  return Object.fromEntries(Object.keys(kernels).map((op) => [op, [name]]));
}

/**
 * Resolves the kernels of one family for a call: the backend `choice` (and `work`, for 'auto')
 * picks, when it runs the family. webgpu runs a share of the hist family (histDevice): its
 * other operations, and the calls it declines, run on the fallback, and `ops` says so. A family
 * the chosen backend does not run at all is a BackendLimitError for an explicit choice; 'auto'
 * takes the fallback. `owner` names the caller in errors.
 */
export async function resolveKernels<F extends KernelFamily>(
  family: F,
  choice: BackendChoice | undefined,
  work: number,
  owner: string,
): Promise<ResolvedKernels<F>> {
  const asked = choice === undefined ? getBackend() : parseChoice(choice, 'the backend option');
  const explicit = asked !== 'auto';
  const b = await resolveBackend(choice, work);
  if (family === 'hist' && b.name === 'webgpu' && b.histDevice) {
    const cpu = cpuFallback(b.name),
      dev = b.histDevice,
      c = cpu.hist;
    const kernels: HistSyncKernels = {
      // The device grower reads neither the feature-major copy nor anything but the bins.
      bin: async (x, n, p, spec) => ({ bins: (await c.bin(x, n, p, spec)).bins, columns: null }),
      binSample: c.binSample,
      gradients: c.gradients,
      rankGradients: c.rankGradients,
      quantize: c.quantize,
      sampleRows: c.sampleRows,
      predictSync: c.predictSync,
      rowPredictor: c.rowPredictor,
      grow: async (a) => {
        const why = dev.unsupported(a);
        if (!why) return dev.grow(a, c.quantize);
        if (explicit) throw new BackendLimitError(`${owner}: ${why}`);
        if (kernelListeners.size) emit({ owner: `${owner} (grow)`, family, asked, backend: cpu.name, fellBack: why });
        return c.grow(a);
      },
      predict: async (a) => {
        if (!(await dev.predict(a))) await c.predict(a);
      },
    };
    if (kernelListeners.size) emit({ owner, family, asked, backend: b.name });
    return {
      kernels: kernels as KernelFamilies[F],
      backend: b.name,
      ops: { ...ranAll(c, cpu.name), grow: explicit ? ['webgpu'] : ['webgpu', cpu.name], predict: ['webgpu', cpu.name] },
    };
  }
  let own = b[family as keyof Backend] as KernelFamilies[F] | undefined;
  let ran: BackendName = b.name;
  if (!own) {
    if (explicit) {
      const runs = BACKEND_NAMES.filter((n) => n !== b.name && n !== 'webgpu')
        .map((n) => `'${n}'`)
        .join(' or ');
      throw new BackendLimitError(`${owner}: the ${family} kernels run on ${runs}, not '${b.name}'; pick one of those as the backend option`);
    }
    const cpu = cpuFallback(b.name);
    own = cpu[family as keyof CpuBackend] as KernelFamilies[F];
    ran = cpu.name;
  }
  if (kernelListeners.size) emit({ owner, family, asked, backend: ran, ...(ran !== b.name ? { fellBack: `'${b.name}' has no ${family} kernels` } : {}) });
  return { kernels: own, backend: ran, ops: ranAll(own as object, ran) };
}

/** Every backend, whether it can run here, what runs it, and if not, why. */
export async function backends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  const n = loadNativeAddon();
  out.push(
    'error' in n
      ? { name: 'native', available: false, description: 'C++ kernels', reason: n.error }
      : { name: 'native', available: true, description: native().describe() },
  );
  const probe = await probeAdapter();
  if ('error' in probe) {
    adapterProbe = undefined;
    out.push({ name: 'webgpu', available: false, description: 'WGSL kernels through Dawn', reason: probe.error });
  } else {
    out.push({
      name: 'webgpu',
      available: true,
      hardware: probe.hardware,
      description: `WGSL kernels on ${probe.description}${probe.hardware ? '' : ' (CPU adapter: never chosen by auto)'}`,
    });
  }
  out.push({ name: 'js', available: true, description: 'TypeScript reference kernels' });
  return out;
}

/**
 * @internal
 * The device kernels for calls with GpuMatrix operands (which live on webgpu): the
 * `backend` option may only be left out or say 'webgpu'.
 */
export async function deviceKernels(choice: BackendChoice | undefined, op: string): Promise<DeviceKernels> {
  if (choice !== undefined && parseChoice(choice, 'the backend option') !== 'webgpu') {
    throw new ParamError(`${op}: GpuMatrix operands are computed on 'webgpu', not '${choice}'; read them back with toMatrix() first`);
  }
  return bindDeviceKernels((await resolveBackend('webgpu', 0)) as WebGpuBackend);
}

/** The native thread count calls use now (1 without the native addon). */
export function getThreads(): number {
  return 'error' in loadNativeAddon() ? 1 : native().addon.info().threads;
}

/** Sets the native thread count (1..cores; KILN_THREADS sets the default). */
export function setThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new ParamError(`setThreads(n) needs an integer n >= 1, got ${n}`);
  return native().addon.setThreads(n);
}

/** The process's cumulative WebGPU transfer and device-memory counters (zeros before any device work). */
export function webgpuCounters(): DeviceCounters {
  return { ...deviceCounters };
}

/** Starts a new device-memory high-water mark at the current live bytes (kiln bench, between steps). */
export function resetWebgpuPeak(): void {
  deviceCounters.peakBytes = deviceCounters.liveBytes;
}

/** Releases GPU devices and buffers so nothing is held; later calls re-create them. */
export async function dispose(): Promise<void> {
  await webgpuBackend?.dispose();
}

export type { BackendName };
