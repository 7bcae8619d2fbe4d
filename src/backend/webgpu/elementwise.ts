/** The webgpu elementwise family: upload, one WGSL kernel, read back. */
import type { ElementwiseKernels } from '../contract/elementwise.js';
import type { GpuHost } from './host.js';
import * as kern from './kernels.js';

export function gpuElementwise(host: GpuHost): ElementwiseKernels {
  return {
    binary(op, a, b) {
      return host.run(op, async (r, keep) => {
        const out = keep(kern.binary(r, op, keep(r.upload('a', a.data)), a, keep(r.upload('b', b.data)), b));
        return new Float32Array(await r.read(out, Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols) * 4));
      });
    },
    unary(op, x, p0, p1) {
      return host.run(op, async (r, keep) => {
        const out = keep(kern.unary(r, op, keep(r.upload('x', x)), x.length, p0, p1));
        return new Float32Array(await r.read(out, x.byteLength));
      });
    },
    softmaxRows(x, rows, cols) {
      return host.run('softmax', async (r, keep) => {
        const out = keep(kern.softmaxRows(r, keep(r.upload('x', x)), rows, cols));
        return new Float32Array(await r.read(out, x.byteLength));
      });
    },
    argmaxRows(x, rows, cols) {
      return host.run('argmax', async (r, keep) => {
        const out = keep(kern.argmaxRows(r, keep(r.upload('x', x)), rows, cols));
        return new Int32Array(await r.read(out, rows * 4));
      });
    },
  };
}
