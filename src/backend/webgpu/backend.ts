/**
 * The webgpu backend: WGSL kernels from `shaders/`, run through Dawn. Buffers
 * come from a pool and pipelines are compiled once per device. A lost device
 * (or one destroyed by dispose()) is replaced on the next call.
 */
import { BackendLimitError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';
import { STATS_FIELDS, type Backend, type RawColumnStats, type SgemmArgs } from '../backend.js';
import { BufferPool } from './buffer-pool.js';
import { GpuContext } from './context.js';
import { PipelineCache } from './pipelines.js';

const STORAGE_IN = 0x80 /* STORAGE */ | 0x08 /* COPY_DST */;
const STORAGE_OUT = 0x80 /* STORAGE */ | 0x08 /* COPY_DST */ | 0x04 /* COPY_SRC */;
const UNIFORM = 0x40 /* UNIFORM */ | 0x08 /* COPY_DST */;
const READBACK = 0x01 /* MAP_READ */ | 0x08 /* COPY_DST */;
const GEMM_TILE = 64;

interface Device {
  ctx: GpuContext;
  pool: BufferPool;
  pipelines: PipelineCache;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  private current: Promise<Device> | undefined;

  /** The live device, created (or re-created after a loss) on demand. */
  private async device(): Promise<Device> {
    if (this.current) {
      const d = await this.current.catch(() => undefined);
      if (d && !d.ctx.lost) return d;
    }
    this.current = GpuContext.create().then((ctx) => ({
      ctx,
      pool: new BufferPool(ctx.device),
      pipelines: new PipelineCache(ctx.device),
    }));
    try {
      return await this.current;
    } catch (e) {
      this.current = undefined;
      throw e;
    }
  }

  async describe(): Promise<{ description: string; hardware: boolean }> {
    const { ctx } = await this.device();
    return ctx.summary;
  }

  async sgemm(g: SgemmArgs): Promise<void> {
    const d = await this.device();
    const { ctx, pool } = d;
    checkBinding(ctx, 'a', g.a.byteLength);
    checkBinding(ctx, 'b', g.b.byteLength);
    checkBinding(ctx, 'c', g.c.byteLength);
    const device = ctx.device;
    const a = upload(d, g.a);
    const b = upload(d, g.b);
    const c = g.beta !== 0 ? upload(d, g.c, STORAGE_OUT) : pool.acquire(g.c.byteLength, STORAGE_OUT);
    const uniforms: GPUBuffer[] = [];
    try {
      await ctx.guarded('sgemm', async () => {
        const pipeline = d.pipelines.get('gemm', 'sgemm');
        const encoder = device.createCommandEncoder();
        const maxGroups = ctx.limits.maxComputeWorkgroupsPerDimension;
        const rowsPerDispatch = maxGroups * GEMM_TILE;
        const groupsX = Math.ceil(g.n / GEMM_TILE);
        if (groupsX > maxGroups) {
          throw new BackendLimitError(`webgpu sgemm: n = ${g.n} needs more than ${maxGroups} workgroups; use the native backend`);
        }
        for (let rowBase = 0; rowBase < g.m; rowBase += rowsPerDispatch) {
          const rows = Math.min(rowsPerDispatch, g.m - rowBase);
          const params = new ArrayBuffer(32);
          new Uint32Array(params, 0, 4).set([g.m, g.n, g.k, (g.transA ? 1 : 0) | (g.transB ? 2 : 0)]);
          new Float32Array(params, 16, 2).set([g.alpha, g.beta]);
          new Uint32Array(params, 24, 2).set([rowBase, 0]);
          const u = pool.acquire(32, UNIFORM);
          uniforms.push(u);
          device.queue.writeBuffer(u, 0, params);
          const pass = encoder.beginComputePass();
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: [
              { binding: 0, resource: { buffer: u, size: 32 } },
              { binding: 1, resource: { buffer: a, size: bindSize(g.a.byteLength) } },
              { binding: 2, resource: { buffer: b, size: bindSize(g.b.byteLength) } },
              { binding: 3, resource: { buffer: c, size: bindSize(g.c.byteLength) } },
            ],
          }));
          pass.dispatchWorkgroups(groupsX, Math.ceil(rows / GEMM_TILE), 1);
          pass.end();
        }
        device.queue.submit([encoder.finish()]);
        const out = await readback(d, c, g.c.byteLength);
        g.c.set(new Float32Array(out));
      });
    } finally {
      for (const buf of [a, b, c, ...uniforms]) pool.release(buf);
    }
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    const d = await this.device();
    const { ctx, pool } = d;
    const x32 = x instanceof Float32Array ? x : Float32Array.from(x);
    checkBinding(ctx, 'x', x32.byteLength);
    const blocks = Math.max(1, Math.min(1024, Math.ceil(rows / 64)));
    const blockRows = Math.ceil(rows / blocks);
    const fields = STATS_FIELDS.length;
    const partialBytes = blocks * fields * cols * 4;
    checkBinding(ctx, 'column partials', partialBytes);
    const groupsX = Math.ceil(cols / 64);
    if (groupsX > ctx.limits.maxComputeWorkgroupsPerDimension) {
      throw new BackendLimitError(`webgpu columnStats: ${cols} columns exceed the dispatch limit; use the native backend`);
    }
    const xb = upload(d, x32);
    const partials = pool.acquire(partialBytes, STORAGE_OUT);
    const u = pool.acquire(16, UNIFORM);
    let raw: Float32Array;
    try {
      raw = await ctx.guarded('columnStats', async () => {
        const device = ctx.device;
        device.queue.writeBuffer(u, 0, new Uint32Array([rows, cols, blockRows, 0]));
        const pipeline = d.pipelines.get('reduce', 'column_partials');
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: u, size: 16 } },
            { binding: 1, resource: { buffer: xb, size: bindSize(x32.byteLength) } },
            { binding: 2, resource: { buffer: partials, size: partialBytes } },
          ],
        }));
        pass.dispatchWorkgroups(groupsX, blocks, 1);
        pass.end();
        device.queue.submit([encoder.finish()]);
        return new Float32Array(await readback(d, partials, partialBytes));
      });
    } finally {
      for (const buf of [xb, partials, u]) pool.release(buf);
    }
    return mergeBlockPartials(raw, blocks, cols);
  }

  /** Destroys the device and its buffers; the next call creates a new one. */
  async dispose(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    const d = await current?.catch(() => undefined);
    if (d) {
      d.pool.clear();
      d.ctx.destroy();
    }
  }
}

function bindSize(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}

function checkBinding(ctx: GpuContext, name: string, bytes: number): void {
  const limit = Math.min(ctx.limits.maxStorageBufferBindingSize, ctx.limits.maxBufferSize);
  if (bytes > limit) {
    throw new BackendLimitError(
      `webgpu: ${name} needs ${bytes} bytes, over this device's storage binding limit of ${limit}; ` +
        'use the native backend for inputs this large',
    );
  }
}

function upload(d: Device, data: Float32Array, usage = STORAGE_IN): GPUBuffer {
  const buffer = d.pool.acquire(data.byteLength, usage);
  if (data.byteLength > 0) d.ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

/** Copies `bytes` of `src` back to the host; the only way data leaves the device. */
async function readback(d: Device, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = d.pool.acquire(bytes, READBACK);
  try {
    const encoder = d.ctx.device.createCommandEncoder();
    encoder.copyBufferToBuffer(src, 0, staging, 0, bindSize(bytes));
    d.ctx.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(0x0001 /* GPUMapMode.READ */, 0, bindSize(bytes));
    const copy = staging.getMappedRange(0, bindSize(bytes)).slice(0, bytes);
    staging.unmap();
    return copy;
  } finally {
    d.pool.release(staging);
  }
}

/** Merges per-block f32 partials ([block][field][col]) in f64 with Chan's formula. */
function mergeBlockPartials(raw: Float32Array, blocks: number, cols: number): RawColumnStats {
  const f = (block: number, field: number, col: number) => raw[(block * STATS_FIELDS.length + field) * cols + col];
  const s: RawColumnStats = {
    count: new Float64Array(cols), nonFinite: new Float64Array(cols), sum: new Float64Array(cols),
    mean: new Float64Array(cols), m2: new Float64Array(cols),
    min: new Float64Array(cols).fill(Infinity), max: new Float64Array(cols).fill(-Infinity),
  };
  for (let b = 0; b < blocks; b++) {
    for (let c = 0; c < cols; c++) {
      s.nonFinite[c] += f(b, 1, c);
      const nb = f(b, 0, c);
      if (nb === 0) continue;
      const na = s.count[c], n = na + nb;
      const delta = f(b, 3, c) - s.mean[c];
      s.mean[c] += (delta * nb) / n;
      s.m2[c] += f(b, 4, c) + (delta * delta * na * nb) / n;
      s.count[c] = n;
      s.sum[c] += f(b, 2, c);
      s.min[c] = Math.min(s.min[c], f(b, 5, c));
      s.max[c] = Math.max(s.max[c], f(b, 6, c));
    }
  }
  return s;
}
