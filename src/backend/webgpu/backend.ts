/**
 * The webgpu backend, host-facing: upload, run WGSL kernels (kernels.ts), read
 * back once. The device is created on first use and re-created after a loss.
 */
import type { FloatArray } from '../../core/matrix.js';
import { BackendLimitError, DeviceLostError, KilnError } from '../../core/errors.js';
import {
  STATS_FIELDS, type Backend, type BinaryOp, type HistBinSpec, type HistGrowArgs, type HistLoss, type HistPredictArgs,
  type KnnIndex, type KnnMetric, type KnnResult, type MlpEpochArgs, type MlpNetwork, type Operand,
  type RawColumnStats, type SgemmArgs, type UnaryOp,
} from '../backend.js';
import { histBinRef, histGradientsRef, histPredictRef } from '../hist-reference.js';
import { refineQuery, rowNorms64, type ExactContext } from '../knn-reference.js';
import { loadNativeAddon, NativeBackend } from '../native.js';
import { ForestCache, forestOnDevice, forestPredictGpu } from './forest.js';
import { histGpuUnsupported, histGrowGpu } from './hist.js';
import { mlpEpochGpu, mlpForwardGpu } from './mlp.js';
import { GpuContext } from './context.js';
import * as kern from './kernels.js';
import { GpuRunner } from './runner.js';

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  private current: Promise<GpuRunner> | undefined;

  allocF32(length: number): Float32Array {
    return new Float32Array(length);
  }

  /** The live device's runner, created (or re-created after a loss) on demand. */
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

  /** Runs `body` on the device inside error scopes; releases the buffers it lists afterwards. */
  private async run<T>(what: string, body: (r: GpuRunner, keep: (b: GPUBuffer) => GPUBuffer) => Promise<T>): Promise<T> {
    const r = await this.runner();
    const owned: GPUBuffer[] = [];
    try {
      return await r.ctx.guarded(what, () => body(r, (b) => (owned.push(b), b)));
    } finally {
      r.release(...owned);
    }
  }

  async sgemm(g: SgemmArgs): Promise<void> {
    await this.run('sgemm', async (r, keep) => {
      const a = keep(r.upload('a', g.a));
      const b = keep(r.upload('b', g.b));
      const c = keep(g.beta !== 0 ? r.upload('c', g.c) : r.alloc('c', g.c.byteLength));
      kern.sgemm(r, g, a, b, c);
      g.c.set(new Float32Array(await r.read(c, g.c.byteLength)));
    });
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    const parts = await this.run('columnStats', async (r, keep) => {
      const xb = keep(r.upload('x', toF32(x)));
      const out: { data: Float32Array; blocks: number }[] = [];
      for (const { partials, blocks, bytes } of kern.columnPartials(r, xb, rows, cols)) {
        keep(partials);
        out.push({ data: new Float32Array(await r.read(partials, bytes)), blocks });
      }
      return out;
    });
    return mergeBlockPartials(parts, cols);
  }

  async rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array> {
    return this.run('rowNorms', async (r, keep) => {
      const out = keep(kern.rowNorms(r, keep(r.upload('x', toF32(x))), rows, cols, squared));
      return Float64Array.from(new Float32Array(await r.read(out, rows * 4)));
    });
  }

  async binary(op: BinaryOp, a: Operand, b: Operand): Promise<Float32Array> {
    return this.run(op, async (r, keep) => {
      const out = keep(kern.binary(r, op, keep(r.upload('a', a.data)), a, keep(r.upload('b', b.data)), b));
      return new Float32Array(await r.read(out, Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols) * 4));
    });
  }

  async unary(op: UnaryOp, x: Float32Array, p0: number, p1: number): Promise<Float32Array> {
    return this.run(op, async (r, keep) => {
      const out = keep(kern.unary(r, op, keep(r.upload('x', x)), x.length, p0, p1));
      return new Float32Array(await r.read(out, x.byteLength));
    });
  }

  async softmaxRows(x: Float32Array, rows: number, cols: number): Promise<Float32Array> {
    return this.run('softmax', async (r, keep) => {
      const out = keep(kern.softmaxRows(r, keep(r.upload('x', x)), rows, cols));
      return new Float32Array(await r.read(out, x.byteLength));
    });
  }

  async argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array> {
    return this.run('argmax', async (r, keep) => {
      const out = keep(kern.argmaxRows(r, keep(r.upload('x', x)), rows, cols));
      return new Int32Array(await r.read(out, rows * 4));
    });
  }

  /**
   * Uploads the base once (f32, rows normalised for cosine) with its squared norms:
   * it stays resident on the device across searches until dispose().
   */
  async knnIndex(base: FloatArray, n: number, d: number, metric: KnnMetric): Promise<KnnIndex> {
    if (metric === 'manhattan') {
      throw new BackendLimitError("webgpu k-NN has no manhattan kernel; use backend 'native' or 'js' for metric 'manhattan'");
    }
    const r = await this.runner();
    const norms = rowNorms64(base, n, d);
    const rows = new Float32Array(n * d);
    const xn = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const scale = metric === 'cosine' && norms[j] > 0 ? 1 / norms[j] : 1;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const v = Math.fround(base[j * d + c] * scale);
        rows[j * d + c] = v;
        s += v * v;
      }
      xn[j] = s;
    }
    const buffers = await r.ctx.guarded('knnIndex', () => ({ rows: r.upload('k-NN base', rows), xn: r.upload('k-NN norms', xn) }));
    let released = false;
    const index: GpuKnnIndex = {
      backend: 'webgpu', base, n, d, metric, norms, maxNorm: norms.reduce((a, b) => Math.max(a, b), 0), runner: r, buffers,
      dispose() {
        if (released) return;
        released = true;
        r.release(buffers.rows, buffers.xn);
      },
    };
    return index;
  }

  async knnSearch(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult> {
    const ix = index as GpuKnnIndex;
    const r = await this.runner();
    if (r !== ix.runner) throw new BackendLimitError('webgpu: the device was re-created since this k-NN index was built; fit again');
    const { n, d, metric } = ix;
    const eligible = excludeSelf ? n - 1 : n;
    const cap = Math.min(eligible, k + Math.max(8, k >> 1));
    if (cap > 512) throw new BackendLimitError(`webgpu k-NN supports k up to 340 (got ${k}); use the native backend`);
    const queryNorms = rowNorms64(queries, nq, d);
    const q32 = new Float32Array(nq * d);
    for (let q = 0; q < nq; q++) {
      const scale = metric === 'cosine' && queryNorms[q] > 0 ? 1 / queryNorms[q] : 1;
      for (let c = 0; c < d; c++) q32[q * d + c] = queries[q * d + c] * scale;
    }
    const l2 = metric === 'euclidean' || metric === 'sqeuclidean';
    // Chunks of base points: multiples of 64 so each starts at an aligned byte offset.
    const chunk = Math.min(Math.ceil(n / 64) * 64, Math.max(64, Math.floor(r.maxBindingBytes / (4 * Math.max(d, 1024)) / 64) * 64), 8192);
    const batch = Math.max(1, Math.min(nq, Math.floor(r.maxBindingBytes / (chunk * 4)), 4096));
    const out: KnnResult = { distances: new Float64Array(nq * k), indices: new Int32Array(nq * k) };
    const ctx: ExactContext = { metric, base: ix.base, n, d, baseNorms: ix.norms, queries, queryNorms, k, excludeSelf };
    for (let q0 = 0; q0 < nq; q0 += batch) {
      const nb = Math.min(batch, nq - q0);
      const lists = await this.run('knnSearch', async (rr, keep) => {
        const qb = keep(rr.upload('k-NN queries', q32.subarray(q0 * d, (q0 + nb) * d)));
        const tile = keep(rr.alloc('k-NN tile', nb * chunk * 4));
        const lists = {
          key: keep(rr.alloc('k-NN candidates', nb * cap * 4)),
          idx: keep(rr.alloc('k-NN candidates', nb * cap * 4)),
          count: keep(rr.alloc('k-NN candidate counts', nb * 4)),
        };
        rr.zero(lists.count, nb * 4);
        for (let j0 = 0; j0 < n; j0 += chunk) {
          const cols = Math.min(chunk, n - j0);
          kern.sgemm(rr, { transA: false, transB: true, m: nb, n: cols, k: d, alpha: 1, beta: 0 }, qb, ix.buffers.rows, tile, j0 * d * 4);
          kern.selectCandidates(rr, tile, ix.buffers.xn, n, lists, { nq: nb, chunk: cols, j0, cap, excludeSelf, q0, l2 });
        }
        return {
          key: new Float32Array(await rr.read(lists.key, nb * cap * 4)),
          idx: new Int32Array(await rr.read(lists.idx, nb * cap * 4)),
          count: new Uint32Array(await rr.read(lists.count, nb * 4)),
        };
      });
      for (let i = 0; i < nb; i++) {
        const count = lists.count[i];
        const worst = count === cap ? lists.key[i * cap + cap - 1] : Infinity;
        refineQuery(ctx, q0 + i, lists.idx.subarray(i * cap, i * cap + count), count, worst, ix.maxNorm, out);
      }
    }
    return out;
  }

  /** One MLP epoch in a single GPU submission (see webgpu/mlp.ts). */
  async mlpEpoch(args: MlpEpochArgs): Promise<number> {
    return mlpEpochGpu(await this.runner(), args);
  }

  async mlpForward(net: MlpNetwork, x: Float32Array, n: number): Promise<Float32Array> {
    return mlpForwardGpu(await this.runner(), net, x, n);
  }

  /**
   * Grows one tree on the GPU (webgpu/hist.ts, shaders/hist.wgsl): quantised gradients only,
   * giving the same tree as the native engine. A device lost mid-tree is a DeviceLostError.
   */
  async histGrow(args: HistGrowArgs): Promise<void> {
    const why = histGpuUnsupported(args);
    if (why) throw new BackendLimitError(why);
    const r = await this.runner();
    try {
      await r.ctx.guarded('histGrow', () => histGrowGpu(r, args));
    } catch (e) {
      throw await asDeviceLoss(r, e, 'histGrow');
    }
  }

  // Binning, gradients and prediction of tree models run on the CPU, on the native kernels when the
  // addon is loaded (so that gradients, and hence the quantised integers, match the native engine's
  // bit for bit), else on the js reference kernels.
  private cpuHist: NativeBackend | null | undefined;
  /** Forests uploaded for device prediction, per HistForest.nodes array. */
  private readonly forests = new ForestCache();
  private cpu(): NativeBackend | null {
    if (this.cpuHist === undefined) {
      const r = loadNativeAddon();
      this.cpuHist = 'error' in r ? null : new NativeBackend(r.addon);
    }
    return this.cpuHist;
  }

  async histBin(x: FloatArray, n: number, p: number, spec: HistBinSpec): Promise<{ bins: Uint8Array; columns: null }> {
    const c = this.cpu();
    return { bins: c ? (await c.histBin(x, n, p, spec)).bins : histBinRef(x, n, p, spec), columns: null };
  }

  async histGradients(loss: HistLoss, n: number, k: number, y: Float64Array, scores: Float64Array, w: Float64Array | null,
    huberDelta: number, gradHess: Float64Array): Promise<number> {
    const c = this.cpu();
    return c ? c.histGradients(loss, n, k, y, scores, w, huberDelta, gradHess) : histGradientsRef(loss, n, k, y, scores, w, huberDelta, gradHess);
  }

  /**
   * Large batches with f32 inputs walk the trees on the device (webgpu/forest.ts,
   * shaders/forest.wgsl): the same leaves as the CPU, scores within f32 rounding. f64 inputs,
   * small work (rows × trees under KILN_WEBGPU_FOREST_MIN_WORK, default 2^20), calls of fewer
   * than 16 trees (training's per-tree and per-round updates) and forests over one binding run on
   * the CPU as below.
   */
  async histPredict(a: HistPredictArgs): Promise<void> {
    if (forestOnDevice(a)) {
      const r = await this.runner();
      try {
        if (await r.ctx.guarded('histPredict', () => forestPredictGpu(r, a, this.forests))) return;
      } catch (e) {
        throw await asDeviceLoss(r, e, 'histPredict');
      }
    }
    const c = this.cpu();
    if (c) await c.histPredict(a);
    else histPredictRef(a);
  }

  /** Destroys the device and its buffers; the next call creates a new one. */
  async dispose(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.forests.clear();
    (await current?.catch(() => undefined))?.destroy();
  }
}

/** An error from GPU work, as a DeviceLostError when the device was lost meanwhile. */
async function asDeviceLoss(r: GpuRunner, e: unknown, what: string): Promise<unknown> {
  if (e instanceof KilnError && e.code !== 'E_INTERNAL') return e;
  if (!r.ctx.lost) await Promise.race([r.ctx.device.lost, new Promise((res) => setTimeout(res, 200))]);
  if (!r.ctx.lost) return e;
  return new DeviceLostError(`webgpu: device lost during ${what} (${r.ctx.lost}); retry to re-initialise the device, ` +
    "or use backend 'native'", { cause: e });
}

function toF32(x: FloatArray): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}

/** Merges per-block f32 partials ([block][field][col]) in f64 with Chan's formula. */
export function mergeBlockPartials(parts: { data: Float32Array; blocks: number }[], cols: number): RawColumnStats {
  const s: RawColumnStats = {
    count: new Float64Array(cols), nonFinite: new Float64Array(cols), sum: new Float64Array(cols),
    mean: new Float64Array(cols), m2: new Float64Array(cols),
    min: new Float64Array(cols).fill(Infinity), max: new Float64Array(cols).fill(-Infinity),
  };
  for (const { data, blocks } of parts) for (let b = 0; b < blocks; b++) {
    const f = (field: number, col: number) => data[(b * STATS_FIELDS.length + field) * cols + col];
    for (let c = 0; c < cols; c++) {
      s.nonFinite[c] += f(1, c);
      const nb = f(0, c);
      if (nb === 0) continue;
      const na = s.count[c], n = na + nb;
      const delta = f(3, c) - s.mean[c];
      s.mean[c] += (delta * nb) / n;
      s.m2[c] += f(4, c) + (delta * delta * na * nb) / n;
      s.count[c] = n;
      s.sum[c] += f(2, c);
      s.min[c] = Math.min(s.min[c], f(5, c));
      s.max[c] = Math.max(s.max[c], f(6, c));
    }
  }
  return s;
}

interface GpuKnnIndex extends KnnIndex {
  norms: Float64Array;
  maxNorm: number;
  runner: GpuRunner;
  buffers: { rows: GPUBuffer; xn: GPUBuffer };
}
