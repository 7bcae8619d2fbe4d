/** Moving data onto the GPU: device-resident matrices for op chains without readbacks. */
import { readMatrix } from '../core/read-matrix.js';
import type { MatrixLike } from '../core/matrix.js';
import { checkOptions } from '../core/validate.js';
import { deviceKernels } from '../backend/select.js';
import { GpuMatrix } from '../backend/index.js';

/**
 * Uploads x to the GPU (f32). Ops given a GpuMatrix run on webgpu and return
 * GpuMatrix results that stay on the device; `await m.toMatrix()` reads one back.
 */
export async function toGpu(x: MatrixLike, opts: { allowNonFinite?: boolean } = {}): Promise<GpuMatrix> {
  checkOptions(opts, ['allowNonFinite'], 'toGpu');
  const m = readMatrix(x, 'toGpu: x', { nonFinite: opts.allowNonFinite ? 'keep' : 'refuse' });
  return (await deviceKernels(undefined, 'toGpu')).upload(m);
}

export const isGpu = (x: unknown): x is GpuMatrix => x instanceof GpuMatrix;
