/**
 * The webgpu backend, host-facing: upload, run WGSL kernels, read back once. The device is
 * created on first use and re-created after a loss. One file per kernel family; of the hist
 * family it holds only the device's share (histDevice): binning, gradients, quantisation and
 * the predictions it declines run on the next backend of the fallback order, which select.ts
 * names — this backend never calls another one itself.
 */
import { BackendLimitError } from '../../core/errors.js';
import type { Backend } from '../backend.js';
import type { HistDeviceKernels } from '../contract/hist.js';
import { GpuContext } from './context.js';
import { gpuElementwise } from './elementwise.js';
import { ForestCache, forestOnDevice, forestPredictGpu } from './forest.js';
import { gpuGemm } from './gemm.js';
import { histGpuUnsupported, histGrowGpu } from './hist/index.js';
import { asDeviceLoss, type GpuHost } from './host.js';
import { gpuKnn } from './knn.js';
import { gpuMlp } from './mlp.js';
import { gpuReduce } from './reduce.js';
import { GpuRunner } from './runner.js';

export class WebGpuBackend implements Backend, GpuHost {
  readonly name = 'webgpu' as const;
  readonly gemm = gpuGemm(this);
  readonly reduce = gpuReduce(this);
  readonly elementwise = gpuElementwise(this);
  readonly knn = gpuKnn(this);
  readonly mlp = gpuMlp(this);
  readonly histDevice: HistDeviceKernels = {
    unsupported: histGpuUnsupported,
    /**
     * Grows one tree on the GPU (webgpu/hist, shaders/hist.wgsl): quantised gradients only,
     * giving the same tree as the native engine. A device lost mid-tree is a DeviceLostError.
     */
    grow: async (args, quantize) => {
      const why = histGpuUnsupported(args);
      if (why) throw new BackendLimitError(why);
      const r = await this.runner();
      try {
        await r.ctx.guarded('histGrow', () => histGrowGpu(r, args, quantize));
      } catch (e) {
        throw await asDeviceLoss(r, e, 'histGrow');
      }
    },
    /**
     * Large batches with f32 inputs walk the trees on the device (webgpu/forest.ts,
     * shaders/forest.wgsl): the same leaves as the CPU, scores within f32 rounding. f64 inputs,
     * small work (rows × trees under KILN_WEBGPU_FOREST_MIN_WORK, default 2^20), calls of fewer
     * than 16 trees (training's per-tree and per-round updates) and forests over one binding are
     * declined (false): the fallback predicts them.
     */
    predict: async (a) => {
      if (!forestOnDevice(a)) return false;
      const r = await this.runner();
      try {
        return await r.ctx.guarded('histPredict', () => forestPredictGpu(r, a, this.forests));
      } catch (e) {
        throw await asDeviceLoss(r, e, 'histPredict');
      }
    },
  };
  private current: Promise<GpuRunner> | undefined;
  /** Forests uploaded for device prediction, per HistForest.nodes array. */
  private readonly forests = new ForestCache();

  allocF32(length: number): Float32Array {
    return new Float32Array(length);
  }

  async runner(): Promise<GpuRunner> {
    if (this.current) {
      const r = await this.current.catch(() => undefined);
      if (r && !r.ctx.lost) return r;
    }
    this.current = GpuContext.create().then((ctx) => new GpuRunner(ctx));
    try {
      return await this.current;
    } catch (e) {
      this.current = undefined;
      throw e;
    }
  }

  async run<T>(what: string, body: (r: GpuRunner, keep: (b: GPUBuffer) => GPUBuffer) => Promise<T>): Promise<T> {
    const r = await this.runner();
    const owned: GPUBuffer[] = [];
    try {
      return await r.ctx.guarded(what, () => body(r, (b) => (owned.push(b), b)));
    } finally {
      r.release(...owned);
    }
  }

  /** Destroys the device and its buffers; the next call creates a new one. */
  async dispose(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.forests.clear();
    (await current?.catch(() => undefined))?.destroy();
  }
}
