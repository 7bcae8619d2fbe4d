/**
 * Adapter and device lifecycle for the webgpu backend. The `webgpu` package
 * (Dawn) is an optional dependency: when it or an adapter is missing, the
 * backend reports why. The object `create([])` returns is kept for as long as
 * the device lives: if it were collected, Dawn would free its instance under a
 * live device and abort the process.
 */
import { existsSync, readdirSync } from 'node:fs';
import { BackendUnavailableError, DeviceLostError, KilnError } from '../../core/errors.js';

export interface AdapterSummary {
  description: string;
  /** false for CPU adapters (lavapipe/llvmpipe, SwiftShader): they never win `auto`. */
  hardware: boolean;
}

type WebGpuModule = { create(flags: string[]): GPU; globals: Record<string, unknown> };

export class GpuContext {
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly summary: AdapterSummary;
  /** Set when the device is lost or destroyed; the backend then makes a new context. */
  lost: string | null = null;

  private constructor(gpu: GPU, adapter: GPUAdapter, device: GPUDevice) {
    this.gpu = gpu;
    this.adapter = adapter;
    this.device = device;
    this.summary = summarizeAdapter(adapter);
    device.lost.then((info) => {
      this.lost = `${info.reason}: ${info.message}`;
    });
  }

  static async create(): Promise<GpuContext> {
    const { gpu, adapter } = await requestAdapter();
    const lim = adapter.limits;
    let device: GPUDevice;
    try {
      // Ask for everything the adapter offers for the limits kernels care about.
      device = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
          maxBufferSize: lim.maxBufferSize,
          maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
          maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
          maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
          maxComputeWorkgroupSizeY: lim.maxComputeWorkgroupSizeY,
          maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
          // smaller is better here: row blocks of split operands start at these offsets
          minStorageBufferOffsetAlignment: lim.minStorageBufferOffsetAlignment,
        },
      });
    } catch (e) {
      throw new BackendUnavailableError(`webgpu: the adapter refused to create a device (${(e as Error).message})`, { cause: e });
    }
    return new GpuContext(gpu, adapter, device);
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /**
   * Runs `encode` (which records and submits work) inside error scopes, so that
   * validation errors and out-of-memory become KilnErrors instead of console noise.
   */
  async guarded<T>(what: string, encode: () => T | Promise<T>): Promise<T> {
    if (this.lost) throw new DeviceLostError(`webgpu: device lost before ${what} (${this.lost}); retry to re-initialise`);
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let result: T | undefined,
      failure: unknown,
      failed = false;
    try {
      result = await encode();
    } catch (e) {
      failed = true;
      failure = e;
    }
    // the scopes are popped either way; a device error explains a failure better than what it caused
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (oom) throw new DeviceLostError(`webgpu: out of GPU memory during ${what}; use smaller inputs or the native backend`);
    if (validation) throw new KilnError('E_INTERNAL', `webgpu: ${what} failed validation: ${validation.message}`);
    if (failed) throw failure;
    if (this.lost) throw new DeviceLostError(`webgpu: device lost during ${what} (${this.lost}); retry to re-initialise`);
    return result as T;
  }

  destroy(): void {
    if (!this.lost) this.lost = 'destroyed';
    this.device.destroy();
  }
}

let modulePromise: Promise<WebGpuModule> | undefined;

async function loadModule(): Promise<WebGpuModule> {
  modulePromise ??= import('webgpu' as string).then((m) => {
    const mod = m as WebGpuModule;
    // Dawn's entry points expect the WebGPU constants (GPUBufferUsage, ...) as globals.
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as any)[k] = v;
    return mod;
  });
  return modulePromise;
}

/**
 * Whether this host may have a hardware GPU, judged without loading Dawn: on Linux, a
 * DRM render node, an NVIDIA device or WSL's GPU device must exist (a CPU adapter never
 * wins `auto`, so without one the probe could only load Dawn for nothing); macOS and
 * Windows are assumed to have one. `auto` probes an adapter only when this says yes.
 */
export function mayHaveHardwareGpu(): boolean {
  if (process.platform !== 'linux') return process.platform === 'darwin' || process.platform === 'win32';
  const renderNode = () => {
    try {
      return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
    } catch {
      return false;
    }
  };
  return renderNode() || existsSync('/dev/nvidiactl') || existsSync('/dev/dxg');
}

/** Finds an adapter without creating a device (used by backends() and `auto`). */
export async function requestAdapter(): Promise<{ gpu: GPU; adapter: GPUAdapter }> {
  let mod: WebGpuModule;
  try {
    mod = await loadModule();
  } catch (e) {
    modulePromise = undefined;
    throw new BackendUnavailableError(
      'webgpu: the optional package `webgpu` (Dawn) is not installed or failed to load ' +
        `(${(e as Error).message.split('\n')[0]}); add it with \`npm install webgpu\``,
      { cause: e },
    );
  }
  if (!process.env.XDG_RUNTIME_DIR && process.platform === 'linux') {
    // Dawn's Vulkan loader wants it; any writable folder will do.
    process.env.XDG_RUNTIME_DIR = '/tmp';
  }
  const gpu = mod.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new BackendUnavailableError(
      'webgpu: no adapter found; install a GPU driver with Vulkan/Metal/D3D12 support ' +
        '(on Linux without a GPU, Mesa lavapipe: `npm run setup:webgpu-cpu` in a kiln checkout or `apt-get install mesa-vulkan-drivers`)',
    );
  }
  return { gpu, adapter };
}

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const cpu =
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    info.architecture === 'software' ||
    /llvmpipe|lavapipe|swiftshader|software|cpu/i.test(text);
  return { description: info.description || text || 'unknown adapter', hardware: !cpu };
}
