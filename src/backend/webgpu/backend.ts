/**
 * The webgpu backend, host-facing: upload, run WGSL kernels (kernels.ts), read
 * back once. The device is created on first use and re-created after a loss.
 */
import type { FloatArray } from '../../core/matrix.js';
import { STATS_FIELDS, type Backend, type BinaryOp, type Operand, type RawColumnStats, type SgemmArgs, type UnaryOp } from '../backend.js';
import { GpuContext } from './context.js';
import * as k from './kernels.js';
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
      k.sgemm(r, g, a, b, c);
      g.c.set(new Float32Array(await r.read(c, g.c.byteLength)));
    });
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    const raw = await this.run('columnStats', async (r, keep) => {
      const xb = keep(r.upload('x', toF32(x)));
      const { partials, blocks, bytes } = k.columnPartials(r, xb, rows, cols);
      keep(partials);
      return { data: new Float32Array(await r.read(partials, bytes)), blocks };
    });
    return mergeBlockPartials(raw.data, raw.blocks, cols);
  }

  async rowNorms(x: FloatArray, rows: number, cols: number, squared: boolean): Promise<Float64Array> {
    return this.run('rowNorms', async (r, keep) => {
      const out = keep(k.rowNorms(r, keep(r.upload('x', toF32(x))), rows, cols, squared));
      return Float64Array.from(new Float32Array(await r.read(out, rows * 4)));
    });
  }

  async binary(op: BinaryOp, a: Operand, b: Operand): Promise<Float32Array> {
    return this.run(op, async (r, keep) => {
      const out = keep(k.binary(r, op, keep(r.upload('a', a.data)), a, keep(r.upload('b', b.data)), b));
      return new Float32Array(await r.read(out, Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols) * 4));
    });
  }

  async unary(op: UnaryOp, x: Float32Array, p0: number, p1: number): Promise<Float32Array> {
    return this.run(op, async (r, keep) => {
      const out = keep(k.unary(r, op, keep(r.upload('x', x)), x.length, p0, p1));
      return new Float32Array(await r.read(out, x.byteLength));
    });
  }

  async softmaxRows(x: Float32Array, rows: number, cols: number): Promise<Float32Array> {
    return this.run('softmax', async (r, keep) => {
      const out = keep(k.softmaxRows(r, keep(r.upload('x', x)), rows, cols));
      return new Float32Array(await r.read(out, x.byteLength));
    });
  }

  async argmaxRows(x: Float32Array, rows: number, cols: number): Promise<Int32Array> {
    return this.run('argmax', async (r, keep) => {
      const out = keep(k.argmaxRows(r, keep(r.upload('x', x)), rows, cols));
      return new Int32Array(await r.read(out, rows * 4));
    });
  }

  /** Destroys the device and its buffers; the next call creates a new one. */
  async dispose(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    (await current?.catch(() => undefined))?.destroy();
  }
}

function toF32(x: FloatArray): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
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
