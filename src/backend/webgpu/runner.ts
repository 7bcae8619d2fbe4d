/**
 * One live device's working set: a buffer pool, the pipeline cache, and the
 * few primitives every WGSL kernel needs — upload, allocate, dispatch, read back.
 * Dispatches are submitted in order on the device queue, so a buffer released to
 * the pool after a dispatch can be reused by the next one safely (queue order).
 */
import { BackendLimitError } from '../../core/errors.js';
import { BufferPool } from './buffer-pool.js';
import { deviceCounters } from './counters.js';
import type { GpuContext } from './context.js';
import { PipelineCache } from './pipelines.js';

const STORAGE = 0x80,
  COPY_SRC = 0x04,
  COPY_DST = 0x08,
  UNIFORM = 0x40,
  MAP_READ = 0x01;
const DATA_USAGE = STORAGE | COPY_SRC | COPY_DST;

export class GpuRunner {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  /** How many times data came back to the host (tests count these). */
  readbacks = 0;
  /** Commands recorded since beginBatch(), submitted together by endBatch(). */
  private batch: { encoder: GPUCommandEncoder; uniforms: GPUBuffer[] } | undefined;

  constructor(readonly ctx: GpuContext) {
    this.pool = new BufferPool(ctx.device);
    this.pipelines = new PipelineCache(ctx.device);
  }

  get device(): GPUDevice {
    return this.ctx.device;
  }

  /**
   * Largest range one binding may cover: the device's limit, or less when
   * KILN_WEBGPU_MAX_BINDING_BYTES says so (tests use it to exercise splitting).
   */
  get maxBindingBytes(): number {
    const override = Number(process.env.KILN_WEBGPU_MAX_BINDING_BYTES);
    const limit = Math.min(this.ctx.limits.maxStorageBufferBindingSize, this.ctx.limits.maxBufferSize);
    return override > 0 ? Math.min(limit, override) : limit;
  }

  /** Binding offsets must be multiples of this. */
  get offsetAlignment(): number {
    return this.ctx.limits.minStorageBufferOffsetAlignment;
  }

  /**
   * Splits `rows` into blocks whose bound ranges (rowBytes[i] per row, for each
   * row-split buffer) fit one binding and start at aligned offsets.
   */
  rowBlocks(name: string, rows: number, rowBytes: number[]): [number, number][] {
    let granule = 1;
    for (const bytes of rowBytes) {
      const g = this.offsetAlignment / gcd(bytes, this.offsetAlignment);
      granule = (granule * g) / gcd(granule, g);
    }
    const widest = Math.max(...rowBytes, 1);
    const per = Math.floor(Math.floor(this.maxBindingBytes / widest) / granule) * granule;
    if (per < 1) {
      throw new BackendLimitError(`webgpu: one row of ${name} (${widest} bytes) does not fit a binding; use the native backend`);
    }
    const blocks: [number, number][] = [];
    for (let r = 0; r < rows; r += per) blocks.push([r, Math.min(rows, r + per)]);
    return blocks;
  }

  /** Throws unless `bytes` fit one binding (for buffers kiln cannot split). */
  checkBinding(name: string, bytes: number): void {
    if (bytes > this.maxBindingBytes) {
      throw new BackendLimitError(
        `webgpu: ${name} needs ${bytes} bytes in one binding, over this device's limit of ${this.maxBindingBytes}; ` +
          'use the native backend for inputs this large',
      );
    }
  }

  /** A storage buffer for `bytes` of data (contents undefined). */
  alloc(name: string, bytes: number): GPUBuffer {
    if (bytes > this.ctx.limits.maxBufferSize) {
      throw new BackendLimitError(
        `webgpu: ${name} needs ${bytes} bytes, over this device's buffer limit of ${this.ctx.limits.maxBufferSize}; ` +
          'use the native backend for data this large',
      );
    }
    return this.pool.acquire(bytes, DATA_USAGE);
  }

  /** Fills the first `bytes` of a buffer with zeros. */
  zero(buffer: GPUBuffer, bytes: number): void {
    if (bytes > 0) this.device.queue.writeBuffer(buffer, 0, new Uint8Array(bindSize(bytes)));
  }

  upload(name: string, data: Float32Array | Int32Array): GPUBuffer {
    const buffer = this.alloc(name, data.byteLength);
    this.write(buffer, 0, data);
    return buffer;
  }

  /** Writes host data into a buffer at `offset` bytes (counted in deviceCounters). */
  write(buffer: GPUBuffer, offset: number, data: ArrayBufferView, bytes = data.byteLength): void {
    if (bytes <= 0) return;
    deviceCounters.uploads++;
    deviceCounters.uploadBytes += bytes;
    this.device.queue.writeBuffer(buffer, offset, data.buffer, data.byteOffset, bytes);
  }

  release(...buffers: (GPUBuffer | undefined)[]): void {
    for (const b of buffers) if (b) this.pool.release(b);
  }

  /**
   * Records and submits one compute dispatch of `family.entry` with a uniform
   * block and storage bindings ({ binding index: [buffer, bytes used, byte offset] };
   * offsets must be multiples of minStorageBufferOffsetAlignment).
   */
  dispatch(
    family: string,
    entry: string,
    uniforms: ArrayBuffer,
    bindings: Record<number, [GPUBuffer, number, number?]>,
    groups: [number, number, number],
  ): void {
    const device = this.device;
    const pipeline = this.pipelines.get(family, entry);
    const u = this.pool.acquire(uniforms.byteLength, UNIFORM | COPY_DST);
    device.queue.writeBuffer(u, 0, uniforms);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: u, size: uniforms.byteLength } }];
    for (const [binding, [buffer, bytes, offset]] of Object.entries(bindings)) {
      entries.push({ binding: Number(binding), resource: { buffer, offset: offset ?? 0, size: bindSize(bytes) } });
    }
    const encoder = this.batch?.encoder ?? device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    pass.end();
    if (this.batch) {
      // its uniform values were written at record time: keep the buffer out of the pool until the submit
      this.batch.uniforms.push(u);
      return;
    }
    device.queue.submit([encoder.finish()]);
    this.pool.release(u);
  }

  /** Copies bytes between buffers on the device (recorded into the batch when one is open). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    const encoder = this.batch?.encoder ?? this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    if (!this.batch) this.device.queue.submit([encoder.finish()]);
  }

  /** Records the following dispatches and copies into one command buffer (one submission). */
  beginBatch(): void {
    if (this.batch) throw new Error('GpuRunner: a batch is already open');
    this.batch = { encoder: this.device.createCommandEncoder(), uniforms: [] };
  }

  /** Submits the batch opened by beginBatch(). */
  endBatch(): void {
    const b = this.batch;
    if (!b) return;
    this.batch = undefined;
    this.device.queue.submit([b.encoder.finish()]);
    for (const u of b.uniforms) this.pool.release(u);
  }

  /** A dispatch grid covering `items` invocations of `workgroupSize` within the per-dimension limit. */
  grid(items: number, workgroupSize: number): [number, number, number] {
    const groups = Math.max(1, Math.ceil(items / workgroupSize));
    const max = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= max) return [groups, 1, 1];
    const y = Math.ceil(groups / max);
    if (y > max) throw new BackendLimitError(`webgpu: ${items} items exceed the dispatch limit; use the native backend`);
    return [max, y, 1];
  }

  /** Copies `bytes` of `src` to the host: the only way data leaves the device. */
  async read(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.readbacks++;
    deviceCounters.readbacks++;
    deviceCounters.readbackBytes += bytes;
    const size = bindSize(bytes);
    const staging = this.pool.acquire(size, MAP_READ | COPY_DST);
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(src, 0, staging, 0, size);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(0x0001 /* GPUMapMode.READ */, 0, size);
      const copy = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      return copy;
    } finally {
      this.pool.release(staging);
    }
  }

  destroy(): void {
    this.pool.clear();
    this.ctx.destroy();
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Binding sizes are whole f32/i32 words and never zero. */
export function bindSize(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}
