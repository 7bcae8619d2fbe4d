/**
 * Reuses GPU storage buffers: sizes are rounded up to a power of two (at least
 * 256 bytes) and freed buffers wait in a per-size list. The pool keeps at most
 * `maxIdleBytes` of idle buffers; beyond that, released buffers are destroyed.
 */
import { countDeviceBytes } from './counters.js';

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private idleBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxIdleBytes = 256 * 1024 * 1024,
  ) {}

  static bucketSize(bytes: number): number {
    return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
  }

  acquire(bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = BufferPool.bucketSize(bytes);
    const list = this.free.get(key(size, usage));
    const reused = list?.pop();
    if (reused) {
      this.idleBytes -= size;
      return reused;
    }
    countDeviceBytes(size);
    return this.device.createBuffer({ size, usage });
  }

  release(buffer: GPUBuffer): void {
    if (this.idleBytes + buffer.size > this.maxIdleBytes) {
      countDeviceBytes(-buffer.size);
      buffer.destroy();
      return;
    }
    const k = key(buffer.size, buffer.usage);
    let list = this.free.get(k);
    if (!list) this.free.set(k, (list = []));
    list.push(buffer);
    this.idleBytes += buffer.size;
  }

  /** Bytes held by idle buffers (for tests and diagnostics). */
  get idle(): number {
    return this.idleBytes;
  }

  /** Destroys every idle buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) countDeviceBytes(-b.size), b.destroy();
    this.free.clear();
    this.idleBytes = 0;
  }
}

function key(size: number, usage: number): string {
  return `${size}:${usage}`;
}
