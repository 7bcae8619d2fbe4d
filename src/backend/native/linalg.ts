/** The native linalg family: symmetric eigen-decomposition, thin QR and dgemm (native/kernels/linalg). */
import { checkDgemmArgs, checkSymEigArgs, checkThinQrArgs, type DgemmArgs, type LinalgSyncKernels } from '../contract/linalg.js';
import { callNative, INLINE_MAX_ELEMENTS, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

/** Work (≈ flops) below which a call runs on the calling thread. */
const inline = (flops: number) => flops <= INLINE_MAX_ELEMENTS * 16;

export function nativeLinalg(addon: NativeAddon): LinalgSyncKernels {
  const symEigSync = (a: Float64Array, n: number) => {
    checkSymEigArgs(a, n);
    const values = new Float64Array(n),
      vectors = new Float64Array(n * n);
    callNative('symEig', () => addon.symEigSync(a, n, values, vectors));
    return { values, vectors };
  };
  const thinQrSync = (a: Float64Array, m: number, n: number) => {
    checkThinQrArgs(a, m, n);
    const q = new Float64Array(m * n),
      r = new Float64Array(n * n);
    callNative('thinQr', () => addon.thinQrSync(a, m, n, q, r));
    return { q, r };
  };
  const dgemmSync = (g: DgemmArgs): void => {
    checkDgemmArgs(g);
    callNative('dgemm', () => addon.dgemmSync(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
  };
  return {
    dgemmSync,
    async dgemm(g) {
      if (2 * g.m * g.n * g.k <= INLINE_MAX_FLOPS) return dgemmSync(g);
      checkDgemmArgs(g);
      await callNative('dgemm', () => addon.dgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.b, g.beta, g.c));
    },
    symEigSync,
    thinQrSync,
    async symEig(a, n) {
      if (inline(n * n * n)) return symEigSync(a, n);
      checkSymEigArgs(a, n);
      const values = new Float64Array(n),
        vectors = new Float64Array(n * n);
      await callNative('symEig', () => addon.symEig(a, n, values, vectors));
      return { values, vectors };
    },
    async thinQr(a, m, n) {
      if (inline(m * n * n)) return thinQrSync(a, m, n);
      checkThinQrArgs(a, m, n);
      const q = new Float64Array(m * n),
        r = new Float64Array(n * n);
      await callNative('thinQr', () => addon.thinQr(a, m, n, q, r));
      return { q, r };
    },
  };
}
