/** The native gemm: small products inline on the calling thread, larger ones on a libuv worker. */
import type { GemmSyncKernels, SgemmArgs } from '../contract/gemm.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

export function nativeGemm(addon: NativeAddon): GemmSyncKernels {
  const sgemmSync = (g: SgemmArgs): void => {
    callNative('sgemm', () => addon.sgemmSync(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
  };
  return {
    sgemmSync,
    async sgemm(g) {
      if (2 * g.m * g.n * g.k <= INLINE_MAX_FLOPS) return sgemmSync(g);
      await callNative('sgemm', () => addon.sgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
    },
  };
}
