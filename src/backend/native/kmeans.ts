/** The native kmeans family: GEMM-tiled assignment with exact f64 re-checks, threads over row blocks. */
import { checkKmeansArgs, type KmeansKernels } from '../contract/kmeans.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

export function nativeKmeans(addon: NativeAddon): KmeansKernels {
  return {
    async assign(a) {
      checkKmeansArgs(a);
      const labels = new Int32Array(a.n),
        dist2 = new Float64Array(a.n),
        sums = new Float64Array(a.k * a.d),
        weightSums = new Float64Array(a.k),
        inertia = new Float64Array(1);
      const args = [a.x, a.n, a.d, a.weights, a.centers, a.k, labels, dist2, a.accumulate ? sums : null, a.accumulate ? weightSums : null, inertia] as const;
      if (2 * a.n * a.k * a.d <= INLINE_MAX_FLOPS) callNative('kmeansAssign', () => addon.kmeansAssignSync(...args));
      else await callNative('kmeansAssign', () => addon.kmeansAssign(...args));
      return { labels, dist2, inertia: inertia[0], sums, weightSums };
    },
    async distances(x, n, d, centers, k) {
      const out = new Float64Array(n * k);
      if (3 * n * k * d <= INLINE_MAX_FLOPS) callNative('kmeansDistances', () => addon.kmeansDistancesSync(x, n, d, centers, k, out));
      else await callNative('kmeansDistances', () => addon.kmeansDistances(x, n, d, centers, k, out));
      return out;
    },
  };
}
