/**
 * A matrix resident on the GPU: the result of an op stays on the device, so a chain
 * (matmul → add bias → relu → matmul …) runs without reading back in between; data
 * returns to the host only through toMatrix(). Free it with dispose(); a
 * FinalizationRegistry returns forgotten buffers to the pool as a backstop.
 */
import { DeviceLostError, ParamError } from '../../core/errors.js';
import { Matrix } from '../../core/matrix.js';
import type { GpuRunner } from './runner.js';

const backstop = new FinalizationRegistry<{ runner: GpuRunner; buffer: GPUBuffer }>(({ runner, buffer }) => {
  if (!runner.ctx.lost) runner.release(buffer);
});

export class GpuMatrix {
  readonly rows: number;
  readonly cols: number;
  /** @internal The device this matrix lives on. */
  readonly runner: GpuRunner;
  private held: GPUBuffer | undefined;

  /** @internal Wraps a device buffer holding rows × cols f32 values (takes ownership); users get one from toGpu(). */
  constructor(runner: GpuRunner, buffer: GPUBuffer, rows: number, cols: number) {
    this.runner = runner;
    this.held = buffer;
    this.rows = rows;
    this.cols = cols;
    backstop.register(this, { runner, buffer }, this);
  }

  get dtype(): 'float32' {
    return 'float32';
  }

  get disposed(): boolean {
    return this.held === undefined;
  }

  /** @internal The device buffer; throws if disposed or if its device was lost. */
  get buffer(): GPUBuffer {
    if (!this.held) throw new ParamError('this GpuMatrix was disposed; keep it (or upload the data again) to use it');
    if (this.runner.ctx.lost) {
      throw new DeviceLostError(`the GPU device holding this GpuMatrix was lost (${this.runner.ctx.lost}); upload the data again`);
    }
    return this.held;
  }

  /** Reads the values back to the host (one readback). */
  async toMatrix(): Promise<Matrix<Float32Array>> {
    const bytes = this.rows * this.cols * 4;
    const data = await this.runner.ctx.guarded('GpuMatrix readback', () => this.runner.read(this.buffer, bytes));
    return new Matrix(new Float32Array(data), this.rows, this.cols);
  }

  /** Returns the buffer to the pool now (idempotent). */
  dispose(): void {
    if (!this.held) return;
    backstop.unregister(this);
    if (!this.runner.ctx.lost) this.runner.release(this.held);
    this.held = undefined;
  }
}
