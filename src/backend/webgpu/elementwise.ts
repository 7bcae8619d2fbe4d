/** The webgpu elementwise family: upload, one WGSL kernel, read back (into the caller's `out` when given). */
import type { ElementwiseKernels } from '../contract/elementwise.js';
import type { GpuHost } from './host.js';
import * as kern from './kernels.js';

export function gpuElementwise(host: GpuHost): ElementwiseKernels {
  return {
    binary(op, a, b, given) {
      return host.run(op, async (r, keep) => {
        const out = keep(kern.binary(r, op, keep(r.upload('a', a.data)), a, keep(r.upload('b', b.data)), b));
        return into(given, new Float32Array(await r.read(out, Math.max(a.rows, b.rows) * Math.max(a.cols, b.cols) * 4)));
      });
    },
    unary(op, x, p0, p1, given) {
      return host.run(op, async (r, keep) => {
        const out = keep(kern.unary(r, op, keep(r.upload('x', x)), x.length, p0, p1));
        return into(given, new Float32Array(await r.read(out, x.byteLength)));
      });
    },
    softmaxRows(x, rows, cols, given) {
      return host.run('softmax', async (r, keep) => {
        const out = keep(kern.softmaxRows(r, keep(r.upload('x', x)), rows, cols));
        return into(given, new Float32Array(await r.read(out, x.byteLength)));
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

/** The read-back result, copied into the caller's array when there is one. */
function into(given: Float32Array | undefined, result: Float32Array): Float32Array {
  if (!given) return result;
  given.set(result);
  return given;
}
