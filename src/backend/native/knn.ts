/**
 * The native knn family. A base that fits the memory budget is packed once at index time
 * (panels for the GEMM tiles, norms) and reused by every search; a larger one is packed chunk
 * by chunk within the budget at each search.
 */
import { KNN_METRICS, type KnnIndex, type KnnKernels } from '../contract/knn.js';
import { radiusScan } from '../js/knn.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

interface NativeKnnIndex extends KnnIndex {
  budgetBytes: number;
  prepared?: { packed: Float32Array; sqnorm: Float32Array; norms: Float64Array };
}

type Alloc = (length: number, opts: { overwritten?: boolean }) => Float32Array;

export function nativeKnn(addon: NativeAddon, alloc: Alloc): KnnKernels {
  return {
    async index(base, n, d, metric, budgetBytes) {
      const index: NativeKnnIndex = { backend: 'native', base, n, d, metric, budgetBytes, dispose() {} };
      const layout = addon.knnLayoutSync(n, d);
      const bytes = layout.packedFloats * 4 + layout.paddedPoints * 4 + n * 8;
      if (metric !== 'manhattan' && bytes <= budgetBytes) {
        const packed = alloc(layout.packedFloats, { overwritten: true });
        const sqnorm = new Float32Array(layout.paddedPoints);
        const norms = new Float64Array(n);
        await callNative('knnPrepare', () => addon.knnPrepare(base, n, d, KNN_METRICS.indexOf(metric), packed, sqnorm, norms));
        index.prepared = { packed, sqnorm, norms };
      }
      return index;
    },
    async search(index, queries, nq, k, excludeSelf) {
      const ix = index as NativeKnnIndex;
      const distances = new Float64Array(nq * k),
        indices = new Int32Array(nq * k);
      const p = ix.prepared;
      const args = [
        ix.base,
        ix.n,
        ix.d,
        queries,
        nq,
        k,
        KNN_METRICS.indexOf(ix.metric),
        excludeSelf,
        ix.budgetBytes,
        distances,
        indices,
        p?.packed,
        p?.sqnorm,
        p?.norms,
      ] as const;
      if (2 * nq * ix.n * ix.d <= INLINE_MAX_FLOPS) callNative('knnSearch', () => addon.knnSearchSync(...args));
      else await callNative('knnSearch', () => addon.knnSearch(...args));
      return { distances, indices };
    },
    /**
     * L2 metrics on GEMM tiles (CSR lists written into arrays sized by a guess; a second call
     * when they do not fit); the other metrics by the exact scan.
     */
    async radius(index, queries, nq, radius, excludeSelf) {
      const ix = index as NativeKnnIndex;
      if (ix.metric !== 'euclidean' && ix.metric !== 'sqeuclidean') return radiusScan(ix, queries, nq, radius, excludeSelf);
      const p = ix.prepared;
      const offsets = new Float64Array(nq + 1),
        needed = new Float64Array(1);
      let capacity = Math.min(nq * ix.n, Math.max(1024, nq * 32));
      for (;;) {
        const indices = new Int32Array(capacity),
          distances = new Float64Array(capacity);
        const args = [
          ix.base,
          ix.n,
          ix.d,
          queries,
          nq,
          radius,
          KNN_METRICS.indexOf(ix.metric),
          excludeSelf,
          offsets,
          indices,
          distances,
          needed,
          p?.packed,
          p?.sqnorm,
          p?.norms,
        ] as const;
        if (2 * nq * ix.n * ix.d <= INLINE_MAX_FLOPS) callNative('knnRadius', () => addon.knnRadiusSync(...args));
        else await callNative('knnRadius', () => addon.knnRadius(...args));
        if (needed[0] <= capacity) return { offsets, indices: indices.subarray(0, needed[0]), distances: distances.subarray(0, needed[0]) };
        capacity = needed[0];
      }
    },
  };
}
