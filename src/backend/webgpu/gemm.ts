/** The webgpu gemm: upload, one WGSL sgemm, read C back. */
import type { GemmKernels } from '../contract/gemm.js';
import type { GpuHost } from './host.js';
import * as kern from './kernels.js';

export function gpuGemm(host: GpuHost): GemmKernels {
  return {
    async sgemm(g) {
      await host.run('sgemm', async (r, keep) => {
        const a = keep(r.upload('a', g.a));
        const b = keep(r.upload('b', g.b));
        const c = keep(g.beta !== 0 ? r.upload('c', g.c) : r.alloc('c', g.c.byteLength));
        kern.sgemm(r, g, a, b, c);
        g.c.set(new Float32Array(await r.read(c, g.c.byteLength)));
      });
    },
  };
}
