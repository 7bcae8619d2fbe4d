/** One command buffer of hist.wgsl work: dispatches with their uniforms and bindings, clears and copies. */
import { BackendLimitError } from '../../../core/errors.js';
import { bindSize, type GpuRunner } from '../runner.js';
import { COPY_DST, UNIFORM } from './layout.js';

export interface ParamFields {
  count?: number;
  words?: number;
  groups?: number;
  row0?: number;
  row1?: number;
  pos0?: number;
  pos1?: number;
  minData?: number;
  l0Lo?: number;
  l0Hi?: number;
  flags?: number;
  lam1?: number;
  lam2?: number;
  nfeat?: number;
  base?: number;
}

export type Binding = [GPUBuffer, number, number?];

/** One command buffer: dispatches of hist.wgsl, clears and copies; temporaries released after submit. */
export class Recorder {
  private enc: GPUCommandEncoder;
  private temps: GPUBuffer[] = [];

  constructor(private readonly r: GpuRunner) {
    this.enc = r.device.createCommandEncoder();
  }

  data(name: string, a: Uint32Array): GPUBuffer {
    const b = this.r.alloc(name, Math.max(16, a.byteLength));
    this.r.write(b, 0, a);
    this.temps.push(b);
    return b;
  }

  dispatch(entry: string, f: ParamFields, bindings: Record<number, Binding>, workgroups: number, constants: Record<string, number> = {}): void {
    if (workgroups <= 0) return;
    const r = this.r,
      max = r.ctx.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(workgroups, max),
      y = Math.ceil(workgroups / x);
    if (y > max) throw new BackendLimitError(`webgpu hist: ${workgroups} workgroups exceed the dispatch limit; use the native backend`);
    const params = new ArrayBuffer(64);
    new Uint32Array(params, 0, 12).set([
      f.count ?? 0,
      x,
      f.words ?? 0,
      f.groups ?? 0,
      f.row0 ?? 0,
      f.row1 ?? 0,
      f.pos0 ?? 0,
      f.pos1 ?? 0,
      f.minData ?? 0,
      f.l0Lo ?? 0,
      f.l0Hi ?? 0,
      f.flags ?? 0,
    ]);
    new Float32Array(params, 48, 2).set([f.lam1 ?? 0, f.lam2 ?? 0]);
    new Uint32Array(params, 56, 2).set([f.nfeat ?? 0, f.base ?? 0]);
    const u = r.pool.acquire(64, UNIFORM | COPY_DST);
    r.device.queue.writeBuffer(u, 0, params);
    this.temps.push(u);
    const pipeline = r.pipelines.get('hist', entry, constants);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: u, size: 64 } }];
    for (const [binding, [buffer, bytes, offset]] of Object.entries(bindings)) {
      entries.push({ binding: Number(binding), resource: { buffer, offset: offset ?? 0, size: bindSize(bytes) } });
    }
    const pass = this.enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, r.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(x, y, 1);
    pass.end();
  }

  clear(buffer: GPUBuffer, offset: number, bytes: number): void {
    if (bytes > 0) this.enc.clearBuffer(buffer, offset, bytes);
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes > 0) this.enc.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  submit(): void {
    this.r.device.queue.submit([this.enc.finish()]);
    this.r.release(...this.temps);
    this.temps = [];
  }
}
