/** What the webgpu kernel families share: the live device's runner and one guarded way to run work on it. */
import { DeviceLostError, KilnError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';
import type { GpuRunner } from './runner.js';

export interface GpuHost {
  /** The live device's runner, created (or re-created after a loss) on demand. */
  runner(): Promise<GpuRunner>;
  /** Runs `body` on the device inside error scopes; releases the buffers it lists afterwards. */
  run<T>(what: string, body: (r: GpuRunner, keep: (b: GPUBuffer) => GPUBuffer) => Promise<T>): Promise<T>;
}

/** An error from GPU work, as a DeviceLostError when the device was lost meanwhile. */
export async function asDeviceLoss(r: GpuRunner, e: unknown, what: string): Promise<unknown> {
  if (e instanceof KilnError && e.code !== 'E_INTERNAL') return e;
  if (!r.ctx.lost) await Promise.race([r.ctx.device.lost, new Promise((res) => setTimeout(res, 200))]);
  if (!r.ctx.lost) return e;
  return new DeviceLostError(`webgpu: device lost during ${what} (${r.ctx.lost}); retry to re-initialise the device, ` + "or use backend 'native'", {
    cause: e,
  });
}

export function toF32(x: FloatArray): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}
